"""Lists of objects an answer holds that the world keeps no rows for: a flight's fares, a
payslip's earnings, a shipment's tracking events, a restaurant's opening hours.

An empty list where the tool promises "fares per cabin" is a thin answer, and a list of
made-up items is only worth having when it agrees with the row it belongs to, so:
- items that carry another resource's key (`related_articles: [{article_id, title}]`) are
  that resource's rows, never the row itself;
- each item is made whole at once (its fields agree with each other), with a different value
  of each enum field (one fare per cabin);
- items with moments come in time order (newest first when the list says so);
- one item per tier (`cabin`) with a price: prices rise along the enum's order;
- items whose amounts make up one of the row's amounts add up to it: a payslip's earnings to
  its gross pay, its deductions to what lies between gross and net besides the row's own
  other amounts (`income_tax`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gauntlet.names import words
from gauntlet.seeds import derive_int
from gauntlet.world import derived, timeline
from gauntlet.world.kinds import value_kind
from gauntlet.world.seed import PARENT
from gauntlet.world.state import Row, WorldState
from gauntlet.world.world_words import WORLD

MakeUp = Callable[[str, str, dict[str, Any], tuple], Any]
_NEWEST = re.compile(r"\b(newest|latest|most recent) first\b", re.IGNORECASE)


def value_list(
    prop: str,
    items: dict[str, Any],
    description: str,
    row: Row,
    resource: str | None,
    state: WorldState,
    resources: dict[str, dict],
    make_up: MakeUp,
    key: tuple,
) -> tuple[str | None, list[Row]]:
    """The rows to show as `prop`'s items (`description` is the list's own), and the resource
    they are rows of (None when they are made up)."""
    props = items.get("properties") or {}
    if not props:
        return None, []
    n = 2 + derive_int(*key, prop, "n") % 2
    target = _listed_resource(props, resource, state, resources)
    if target == "":
        return None, []
    if target is not None:
        own = row.get(resources[resource]["key"]["field"] or "") if resource else None
        keys = sorted((k for k in state.table(target) if k != own), key=str)
        start = derive_int(*key, prop) % max(len(keys), 1)
        picked = [keys[(start + i) % len(keys)] for i in range(min(n, len(keys)))]
        return target, [state.table(target)[k] for k in picked]
    enums = {
        p: s["enum"] for p, s in props.items() if isinstance(s.get("enum"), list) and s["enum"]
    }
    n = min([n, *(len(v) for v in enums.values())])
    made: list[Row] = []
    said: set[tuple] = set()
    for i in range(n * 3):  # items that say the same thing once, not twice
        item = make_up(resource or "", prop, items, (*key, prop, i))
        if not isinstance(item, dict):
            continue
        text = tuple(v for p, v in sorted(item.items()) if _text(p, v, enums))
        if not text or text not in said:
            made.append(item)
            said.add(text)
        if len(made) == n:
            break
    for p, values in enums.items():
        offset = derive_int(*key, prop, p) % len(values)
        for i, item in enumerate(made):
            item[p] = values[(offset + i) % len(values)]
    money = [p for p, s in props.items() if _is_money(p, s)]
    if len(enums) == 1 and len(money) == 1:
        _rank_prices(made, *enums.items(), money[0])
    newest_first = bool(_NEWEST.search(str(items.get("description") or description)))
    made.sort(key=_first_moment, reverse=newest_first)
    if len(money) == 1:
        _add_up(prop, made, money[0], {f: v for f, v in row.items() if f not in props})
    return None, made


def _listed_resource(
    props: dict[str, Any], resource: str | None, state: WorldState, resources: dict[str, dict]
) -> str | None:
    """The resource whose key every item carries (`article_id`) when the world has rows of it
    that may be shown here (shared ones); "" when the items are rows that are not to be
    borrowed (another row's parts, another person's); None when they carry no key."""
    for name, res in sorted(resources.items()):
        field = res["key"]["field"]
        if not field or field not in props or field == "id" or not state.table(name):
            continue
        parts = set(words(name)) & set(WORLD["never_borrowed"])
        if parts or res.get("owner") or resource in res["references"].values():
            return ""  # a ticket's comments are its own: none here means none at all
        if any(PARENT in r for r in state.table(name).values()):
            return ""
        return name
    return None


def _is_money(prop: str, schema: dict[str, Any]) -> bool:
    inner = schema.get("properties") or {}
    return value_kind(prop, schema) == "money" or ("amount" in inner and "currency" in inner)


def _rank_prices(made: list[Row], enum: tuple[str, list], money: str) -> None:
    """One item per enum value with a price: the enum lists tiers in order (economy first),
    so the prices rise along it."""
    field, values = enum
    amounts = sorted(a for item in made if (a := derived.amount(item.get(money))) is not None)
    if len(amounts) != len(made):
        return
    by_rank = sorted(made, key=lambda item: values.index(item[field]))
    for item, a in zip(by_rank, amounts, strict=True):
        item[money] = derived.with_amount(item[money], a)


def _text(prop: str, value: Any, enums: dict[str, list]) -> bool:
    """A value that says something (a description, a place), not a tier, a time or a number."""
    return isinstance(value, str) and prop not in enums and timeline.moment(value) is None


def _first_moment(item: Row) -> str:
    return next((v for v in item.values() if timeline.moment(v) is not None), "")


def _add_up(prop: str, made: list[Row], field: str, row: Row) -> None:
    """Amounts that are parts of one of the row's amounts are split from it (`row` without
    the fields the items themselves have)."""
    if not made or set(words(field)) & derived.UNIT_WORDS:
        return
    whole = _whole(prop, row)
    if whole is None:
        return
    weights = [3 + derive_int(prop, i, whole) % 7 for i in range(len(made))]
    weights[0] += sum(weights)  # the first line (base salary) is the largest
    cents = round(whole * 100)
    shares = [cents * w // sum(weights) for w in weights]
    shares[0] += cents - sum(shares)
    for item, share in zip(made, shares, strict=True):
        if derived.amount(item.get(field)) is not None:
            item[field] = derived.with_amount(item[field], share / 100)


def _whole(prop: str, row: Row) -> float | None:
    """What the list's amounts add up to: the row's gross (or subtotal), or for what is taken
    off it, gross less net less the row's other amounts."""
    fields = {
        f: a for f, v in row.items() if _is_amount(v) and (a := derived.amount(v)) is not None
    }
    gross = next((f for f in fields if set(words(f)) & {"gross", "subtotal"}), None)
    net = next((f for f in fields if "net" in words(f)), None)
    if gross is None:
        return None
    if not set(words(prop)) & set(WORLD["taken_off"]):
        return fields[gross]
    if net is None:
        return None
    others = sum(v for f, v in fields.items() if f not in (gross, net) and not _running(f))
    rest = fields[gross] - fields[net] - others
    return round(rest, 2) if rest > 0 else None


def _is_amount(value: Any) -> bool:
    """Money as the row keeps it: `{amount, currency}` or a number with cents."""
    return (isinstance(value, dict) and "currency" in value) or isinstance(value, float)


def _running(field: str) -> bool:
    """A year-to-date or running figure, not a part of this row's pay."""
    return bool(set(words(field)) & {"ytd", "year", "cumulative", "balance"})
