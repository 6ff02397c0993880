"""How a list or search call narrows rows: which parameter filters which field, and how.

A parameter named like a field matches it exactly; a query word (`q`, `keyword`) looks for
text in any field; `from_date`/`min_price` bound a field from below, `to`/`max_*` from above;
a `departure_date` keeps the rows whose `departure_time` falls on that day. The task builder
reads the same rules to pick filter values a user's rows meet (`tasks/facts.py`).
"""

from __future__ import annotations

from typing import Any

from gauntlet.names import kind_of, words
from gauntlet.world.keyed import SESSION
from gauntlet.world.kinds import is_secret
from gauntlet.world.state import Row

QUERY_WORDS = frozenset({"query", "q", "keyword", "keywords", "text", "search", "term"})
MOMENTS = frozenset({"past_timestamp", "future_timestamp", "date"})
LOWER = frozenset({"from", "after", "since", "min", "start"})
UPPER = frozenset({"to", "before", "until", "max", "end"})


def filter_role(param: str, fields: dict[str, dict]) -> tuple[str, str | None] | None:
    """How a list parameter narrows rows: `("field", name)` an exact field, `("query", None)`
    free text in any field, `("lower" | "upper", name)` a bound on a field (name None when no
    field fits); None when it does not filter (a page size, a session)."""
    if is_secret(param) or kind_of(param) == SESSION:
        return None
    split = words(param)
    if param in fields:
        return "field", param
    if set(split) & QUERY_WORDS:
        return "query", None
    if len(split) > 1 and split[-1] in ("date", "day"):  # `departure_date` -> departure_time
        same = [
            f
            for f, spec in fields.items()
            if words(f)[:-1] == split[:-1] and words(f) != split and spec["kind"] in MOMENTS
        ]
        if same:
            return "day", same[0]
    if split and (split[0] in LOWER or split[-1] in LOWER):
        return "lower", _bound_field(split, fields)
    if split and (split[0] in UPPER or split[-1] in UPPER):
        return "upper", _bound_field(split, fields)
    return None


def filtered(rows: list[Row], args: dict[str, Any], res: dict[str, Any]) -> list[Row]:
    """Rows that meet every filter the call gives and the resource has a field for."""
    fields = {f["name"]: f for f in res["fields"]}
    for param, value in args.items():
        role = None if value is None else filter_role(param, fields)
        if role is None:
            continue
        how, field = role
        if how == "field":
            rows = [r for r in rows if equal(r.get(field), value)]
        elif how == "query" and isinstance(value, str):
            needle = value.lower()
            rows = [
                r
                for r in rows
                if any(needle in str(v).lower() for v in r.values() if isinstance(v, str))
            ]
        elif how == "day" and isinstance(value, str) and _is_day(value[:10]):
            rows = [r for r in rows if str(r.get(field, ""))[:10] == value[:10]]
        elif how == "lower" and field is not None:
            rows = [r for r in rows if _at_least(r.get(field), value)]
        elif how == "upper" and field is not None:
            rows = [r for r in rows if _at_least(value, r.get(field))]
    return rows


def _at_least(value: Any, bound: Any) -> bool:
    """`value >= bound`, numbers as numbers; a day bounds every time on that day."""
    if isinstance(value, (int, float)) and isinstance(bound, (int, float)):
        return value >= bound
    a, b = str(value or ""), str(bound or "")
    n = min(len(a), len(b)) if _is_day(a) or _is_day(b) else max(len(a), len(b))
    return a[:n] >= b[:n]


def _is_day(text: str) -> bool:
    return len(text) == 10 and text[4:5] == "-" and text[7:8] == "-"


def _bound_field(split: tuple[str, ...], fields: dict[str, dict]) -> str | None:
    """`from_date` bounds the row's date field; `min_price` its price."""
    rest = [w for w in split if w not in LOWER | UPPER]
    for name in fields:
        if rest and set(rest) <= set(words(name)):
            return name
    dated = [
        n for n, f in fields.items() if f["kind"] in ("past_timestamp", "future_timestamp", "date")
    ]
    return dated[0] if dated and set(rest) & {"date", "time", "day"} else None


def equal(stored: Any, wanted: Any) -> bool:
    if isinstance(stored, list):
        return wanted in stored
    if isinstance(stored, str) and isinstance(wanted, str):
        return stored.lower() == wanted.lower()
    return stored == wanted
