"""Fields the world computes instead of drawing: what a real backend would never store wrong.

- a line's total is its unit price times its quantity;
- a row holding lines (an order, a cart) totals them: its subtotal is their sum, and its total
  the subtotal with the row's fees and taxes added and discounts taken off; its item count
  is how many lines it holds;
- a refund exists once the row is cancelled or refunded, and is what was paid.
When things happen is `world/timeline.py`'s; fields named for a stage of the row's lifecycle
are `world/stage_fields.py`'s.

Money is read and written in whatever shape the row has it: a number, or `{amount, currency}`.
"""

from __future__ import annotations

from typing import Any

from gauntlet.names import kind_of, words
from gauntlet.world.lifecycle import refunds
from gauntlet.world.row_spec import MONEY, R
from gauntlet.world.state import Row
from gauntlet.world.timeline import moment
from gauntlet.world.world_words import WORLD

UNIT_WORDS = frozenset({"unit", "price", "each"})
NOT_AMOUNTS = frozenset({"level", "tier", "rank", "rating", "score", "count"})  # `price_level`
RATE_WORDS = frozenset({"price", "rate", "fare"})  # what a booked thing costs
COUNT_WORDS = frozenset({"quantity", "passengers", "seats", "tickets"})  # how many are booked


def amount(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def with_amount(old: Any, new: float) -> Any:
    """`new` in the shape (and number type) the field had."""
    if isinstance(old, dict):
        return {**old, "amount": with_amount(old.get("amount"), new)}
    return int(round(new)) if isinstance(old, int) else round(new, 2)


def line_total(row: Row) -> None:
    """`line_total` (or `total`, `amount`) = unit price x quantity, on a line that has both."""
    quantity = next((row[f] for f in row if "quantity" in words(f) or f == "qty"), None)
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        return
    price_field = next((f for f in row if set(words(f)) & UNIT_WORDS and amount(row[f])), None)
    total_field = next(
        (f for f in row if f != price_field and set(words(f)) & {"total", "subtotal"}), None
    )
    if price_field and total_field and amount(row[total_field]) is not None:
        row[total_field] = with_amount(row[total_field], amount(row[price_field]) * quantity)


def sum_lines(row: Row, lines: list[Row]) -> None:
    """A row's subtotal, total and item count from the lines it holds."""
    totals = [_line_amount(line) for line in lines]
    if not lines or None in totals:
        return
    subtotal = round(sum(totals), 2)
    fields = {f: set(words(f)) for f in row}
    for f, ws in fields.items():
        counted = ws & {"item", "items", "line", "lines"} and ws & {"count", "number"}
        if counted and isinstance(row[f], int) and not isinstance(row[f], bool):
            row[f] = len(lines)
    sub = _subtotal_field(row)
    if sub:
        row[sub] = with_amount(row[sub], subtotal)
    settle_total(row, subtotal)


def settle_total(row: Row, subtotal: float | None = None) -> None:
    """A row's total is its subtotal (by default its own) with fees and taxes added and
    discounts taken off: an order never totals less than what is in it before discounts."""
    fields = {f: set(words(f)) for f in row}
    sub = _subtotal_field(row)
    if subtotal is None:
        subtotal = _amount_of(row, sub)
    if subtotal is None:
        return
    total = next(
        (f for f, ws in fields.items() if ws & set(MONEY["sums"]) and "subtotal" not in ws), None
    )
    shares(row, subtotal, skip=(sub, total))
    if total and amount(row[total]) is not None:
        extra = 0.0
        for f, ws in fields.items():
            value = amount(row[f]) if f not in (sub, total) else None
            if value is not None and ws & set(MONEY["adds"]):
                extra += value
            elif value is not None and ws & set(MONEY["subtracts"]):
                extra -= value
        row[total] = with_amount(row[total], round(max(subtotal + extra, 0.0), 2))


def _subtotal_field(row: Row) -> str | None:
    return next((f for f in row if "subtotal" in words(f) and amount(row[f]) is not None), None)


def share_of(prop: str, row: Row) -> float | None:
    """What a fee, tax or refund the row does not store comes to: its share of the row's
    base amount (a transfer's fee is a small part of what is sent), or None."""
    share = next((MONEY["shares"][w] for w in words(prop) if w in MONEY["shares"]), None)
    base = _amount_of(row, base_field(row))
    if share is None or not base:
        return None
    return round(base * (share[0] + share[1]) / 2, 2)


def base_field(row: Row) -> str | None:
    """The amount the row's fees, taxes, discounts and refunds are shares of: its first money
    field named like a base (`subtotal`, `price`, `amount`, `total`...) that is no share."""
    return next(
        (
            f
            for w in MONEY["bases"]
            for f in row
            if w in words(f)
            and not set(words(f)) & (set(MONEY["shares"]) | NOT_AMOUNTS)
            and amount(row[f]) is not None
        ),
        None,
    )


def _amount_of(row: Row, field: str | None) -> float | None:
    return None if field is None else amount(row[field])


def shares(row: Row, base: float | None = None, skip: tuple = ()) -> None:
    """A fee, tax or discount is a share of what it is charged on: one larger than its share
    of `base` (by default the row's own base amount) is brought back to it, and a tax smaller
    than its rate brought up to it."""
    if base is None:
        base = _amount_of(row, base_field(row))
    if not base:
        return
    for f in list(row):
        share = next((MONEY["shares"][w] for w in words(f) if w in MONEY["shares"]), None)
        value = amount(row[f]) if f not in skip else None
        if not share or value is None:
            continue
        low = value < base * share[0] and set(words(f)) & set(MONEY["floored"])
        if value > base * share[1] or low:
            row[f] = with_amount(row[f], round(base * (share[0] + share[1]) / 2, 2))


def _line_amount(line: Row) -> float | None:
    for f in line:
        if set(words(f)) & {"total", "subtotal", "amount"} and amount(line[f]) is not None:
            return amount(line[f])
    price = next((amount(line[f]) for f in line if set(words(f)) & UNIT_WORDS), None)
    qty = next((line[f] for f in line if "quantity" in words(f)), 1)
    return None if price is None else price * (qty if isinstance(qty, int) else 1)


def nights(row: Row) -> None:
    """A stay's or span's length in days agrees with its two dates (check-in to check-out)."""
    length = next((f for f in row if words(f) and words(f)[-1] in ("nights", "days")), None)
    if length is None or not isinstance(row[length], int) or isinstance(row[length], bool):
        return
    for start, end in R["time"]["pairs"]:
        a = next((moment(row[f]) for f in row if _leads(f, start)), None)
        b = next((moment(row[f]) for f in row if _leads(f, end)), None)
        if a and b and b >= a:
            row[length] = max((b.date() - a.date()).days, 1)
            return


def from_references(
    row: Row, res: dict[str, Any], rows_of: Any, shared: frozenset[str] = frozenset()
) -> None:
    """A copy a row keeps of what it points at (`hotel_name` of its `hotel_id`, `doctor_name`
    of its doctor) is that row's own value, not a second made-up one; so is a moment or a
    place it repeats from a shared row (a booking's `departure_time` is its flight's)."""
    for field, target in res["references"].items():
        pointed = rows_of(target, row.get(field))
        if pointed is None:
            continue
        for f in row:
            ws = words(f)
            repeats = target in shared and f in pointed and _repeatable(f, res)
            if repeats and isinstance(pointed[f], type(row[f])):
                row[f] = pointed[f]
                continue
            if f == field or len(ws) < 2 or "_".join(ws[:-1]) != target:
                continue
            source = f if f in pointed else ws[-1] if ws[-1] in pointed else None
            if source is None and ws[-1] == "name":
                source = next((k for k in ("full_name", "display_name") if k in pointed), None)
            if source and isinstance(pointed[source], type(row[f])):
                row[f] = pointed[source]


def priced_by_reference(
    row: Row, res: dict[str, Any], rows_of: Any, resources: dict[str, dict], status: Any
) -> None:
    """A booking costs what it books: its total is the flight's price, or the room type's
    nightly rate times the nights (times the passengers or tickets it holds). Its fees and a
    refund follow the new total."""
    total = next(
        (
            f
            for f in row
            if "total" in words(f) and "subtotal" not in words(f) and amount(row[f]) is not None
        ),
        None,
    )
    if total is None:
        return
    priced = []
    for field, target in res["references"].items():
        pointed = rows_of(target, row.get(field))
        rate = next(
            (
                f
                for f in pointed or {}
                if set(words(f)) & RATE_WORDS
                and not set(words(f)) & NOT_AMOUNTS
                and amount(pointed[f])
            ),
            None,
        )
        if rate:
            priced.append((target, pointed, rate))
    if not priced:
        return
    # the most specific: a room type (which points at its hotel) over the hotel
    targets = {t for t, _, _ in priced}
    specific = [p for p in priced if set(resources[p[0]]["references"].values()) & targets]
    target, pointed, rate = (specific or priced)[-1]
    unit = next((f for f in row if set(words(f)) & UNIT_WORDS and "total" not in words(f)), None)
    if unit is not None and amount(row[unit]) is not None:  # a line: its unit price is the
        row[unit] = with_amount(row[unit], amount(pointed[rate]))  # product's, times quantity
        line_total(row)
        return
    times = 1
    if set(words(rate)) & {"nightly", "night"} and isinstance(row.get("nights"), int):
        times = max(row["nights"], 1)
    count = next((row[f] for f in row if set(words(f)) & COUNT_WORDS), None)
    if isinstance(count, int) and not isinstance(count, bool) and count > 0:
        times *= count
    row[total] = with_amount(row[total], round(amount(pointed[rate]) * times, 2))
    shares(row, amount(row[total]), skip=(total,))
    refund_in_full(row, status)


def _repeatable(field: str, res: dict[str, Any]) -> bool:
    """A field a row may repeat from a shared row it points at: a time or a place, never its
    own key, status, price or bookkeeping stamps."""
    spec = next((f for f in res["fields"] if f["name"] == field), None)
    if spec is None or field == res["key"]["field"] or field.startswith("_"):
        return False
    own = set(words(field)) & set(WORLD["own_stamps"])
    return spec["kind"] in WORLD["repeated_kinds"] and not own


def keep_previous(row: Row, before: Row, given: set[str]) -> None:
    """A change keeps what it replaced where the row has room for it: `previous_start_time`
    is the start time before a reschedule, unless the call set it itself."""
    for f in list(row):
        previous = f"previous_{f}"
        if previous in row and previous not in given and row[f] != before.get(f):
            row[previous] = before.get(f)


def _leads(field: str, lead: str) -> bool:
    want = tuple(words(lead))
    return tuple(words(field))[: len(want)] == want


def refund_in_full(row: Row, status: Any) -> None:
    """A refund exists once the row is cancelled, refunded or returned, and then it is what
    was paid; before that there is none."""
    base = base_field(row)
    for f in [f for f in row if "refund" in words(f) or "refunded" in words(f)]:
        if isinstance(row[f], (str, bool)):
            continue  # a refund method, not an amount
        if not refunds(status):
            row[f] = None
        elif base is not None and (amount(row[f]) is not None or row[f] is None):
            shape = row[f] if row[f] is not None else row[base]
            row[f] = with_amount(shape, amount(row[base]))


def net_below_gross(row: Row) -> None:
    """What is paid out is what is earned less what is taken off: net never exceeds gross."""
    gross = next((f for f in row if "gross" in words(f) and amount(row[f])), None)
    net = next((f for f in row if "net" in words(f) and amount(row[f]) is not None), None)
    if not (gross and net):
        return
    g, n = amount(row[gross]), amount(row[net])
    if not 0.55 * g <= n <= 0.9 * g:  # take-home pay is most of gross, never all of it
        row[net] = with_amount(row[net], round(g * (0.6 + (round(g * 100) % 25) / 100), 2))


def priced_lines(row: Row, rows_of: Any, resources: dict[str, dict]) -> list[Row]:
    """The lines a new row holds inline (`items: [{menu_item_id, quantity}]`), each priced from
    the row it names (a menu item's price times the quantity), or [] when any line cannot be
    priced."""
    lines = []
    for value in row.values():
        if not (isinstance(value, list) and value and all(isinstance(i, dict) for i in value)):
            continue
        for item in value:
            named = [
                rows_of(kind_of(p), v)
                for p, v in item.items()
                if kind_of(p) in resources and not isinstance(v, (dict, list))
            ]
            price = next((r[f] for r in named if r for f in r if set(words(f)) & UNIT_WORDS), None)
            if price is None:
                return []
            lines.append({"unit_price": price, "quantity": item.get("quantity", 1)})
    return lines
