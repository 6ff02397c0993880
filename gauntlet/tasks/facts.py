"""What the user knows, read from the task's world: their own records, never made-up ids.

A fact the plan needs is one of:
- the session the conversation starts with (the user is already signed in: support chats
  know who they are talking to; the user never types a password);
- a row's key or natural key (`order_id`, `username`): a row this user may see (their own or
  a shared one), and for a status action one whose lifecycle allows it (an order that has
  not shipped, for "cancel an order that has not shipped yet");
- a reference (`product_id` when ordering): a real row of what it points at;
- a list filter: a value one of the user's rows has, so the filter finds something;
- anything else (a new appointment's reason, a shipping address): a realistic value of the
  field's kind, with any ids inside it pointing at real rows.
"""

from __future__ import annotations

import re
from typing import Any

from gauntlet.names import kind_of, words
from gauntlet.seeds import rng
from gauntlet.world import lifecycle
from gauntlet.world.environment import World
from gauntlet.world.filters import filter_role
from gauntlet.world.keyed import SESSION
from gauntlet.world.kinds import is_secret, value_kind
from gauntlet.world.operations import DECISION_WORDS, decides
from gauntlet.world.render import fits, owner_of
from gauntlet.world.stage_fields import DECISION_STATES
from gauntlet.world.state import Row
from gauntlet.world.world_words import WORLD
from gauntlet.world.worlds import TaskWorld

KEYED_OPS = ("get", "update", "action", "delete")
NAME_WORDS = frozenset({"name", "title", "label"})
FILTER_OPS = ("list", "search")


class NoFact(ValueError):
    """No value in this world fits what the plan needs; `reason` is a short code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def fact_values(plan: list[dict[str, Any]], world: TaskWorld, seed: int) -> dict[str, Any]:
    """A value for every fact the plan binds, the same for every call that uses it."""
    uses: dict[str, list[str]] = {}
    for call in plan:
        for param, binding in call["arguments"].items():
            if "fact" in binding:
                uses.setdefault(param, []).append(call["tool"])
    anchors: dict[Any, Any] = {}
    return {param: _value(param, tools, world, seed, anchors) for param, tools in uses.items()}


def _value(
    param: str, tools: list[str], world: TaskWorld, seed: int, anchors: dict[Any, Any]
) -> Any:
    if kind_of(param) == SESSION:
        if not world.recipe["session"]:
            raise NoFact("unplannable", f"{param}: the {world.home} world has nobody to sign in")
        return world.recipe["session"]
    if is_secret(param):
        raise NoFact("secret_fact", f"{tools[0]}.{param}: a user never types a secret into chat")
    tool = world.worlds.index.tools[tools[0]]
    home = world.world(tool["domain"])
    op = home.executor.ops[tools[0]]
    res = home.executor.resources.get(op["resource"] or "")
    r = rng(seed, "fact", param)
    if res is not None and op["op"] in KEYED_OPS and param in (op["key"], res["key"]["field"]):
        if decides(op):  # a request someone else made, still open to the decision
            row = _row(home, res["name"], r, _actionable(home, res["name"], tools), others=True)
        else:
            row = _row(home, res["name"], r, _actionable(home, res["name"], tools))
        field = param if param in row else res["key"]["field"]
        return row[field]
    target = (res or {}).get("references", {}).get(param) or _named(home, param)
    if target:
        row = _row(home, target, r)  # of the people, only the user
        key_field = home.executor.resources[target]["key"]["field"]
        return row[param] if param in row and param != key_field else row[key_field]
    schema = tool["parameters"]["properties"][param]
    if res is not None and op["op"] in FILTER_OPS:
        if res["name"] not in anchors and _visible(home, res["name"]):
            anchors[res["name"]] = rng(seed, "anchor", res["name"]).choice(
                _upcoming(home, res, _visible(home, res["name"]))
            )
        found = _filter_value(param, schema, res, anchors.get(res["name"]))
        if found is not None:
            return found
    made = _together(home, tools[0], res, anchors)
    if param in made:
        return _real_ids(made[param], home, r)
    made = home.make_up(op["resource"] or "", param, schema, ("fact", param))
    return _real_ids(made, home, r)


def _together(world: World, tool_name: str, res: dict | None, made: dict[Any, Any]) -> dict:
    """The values a user makes up for one call, made as one row so they agree (a stay's
    check-out after its check-in, a fee small next to its amount), once per tool."""
    if ("new", tool_name) not in made:
        params = world.index.tools[tool_name]["parameters"]["properties"]
        stored = {f["name"]: f for f in (res or {}).get("fields", [])}
        skip = {(res or {}).get("key", {}).get("field"), *(res or {}).get("references", {})}
        fields = [
            {
                "name": p,
                "type": sub.get("type", "string"),
                "kind": stored[p]["kind"]  # the row's kind, unless the row keeps another shape
                if p in stored and stored[p]["type"] == sub.get("type", "string")
                else value_kind(p, sub, resource=(res or {}).get("name")),
                "schema": sub,
            }
            for p, sub in params.items()
            if p not in skip and kind_of(p) != SESSION and not is_secret(p)
        ]
        name = (res or {}).get("name") or tool_name
        made["new", tool_name] = world.values.fill(name, fields, key=("fact", tool_name))
    return made["new", tool_name]


def _filter_value(param: str, schema: dict, res: dict, anchor: Row | None) -> Any:
    """A filter value the anchor row meets (every filter of a call agrees on one row, so the
    search finds what the user is after), or None when the parameter does not filter."""
    fields = {f["name"]: f for f in res["fields"]}
    role = filter_role(param, fields) if anchor is not None else None
    if role is None:
        return None
    how, field = role
    if how == "query":
        named = [f for f in fields if set(words(f)) & NAME_WORDS and isinstance(anchor.get(f), str)]
        return anchor[named[0]] if named else None
    value = anchor.get(field) if field else None
    if value is None or isinstance(value, (dict, list)):
        return None
    if how == "day" and not (isinstance(value, str) and _ISO_DAY.match(value)):
        return None  # a clock time (`15:30`) names no day
    if how in ("lower", "upper", "day") and isinstance(value, str) and _is_day(schema, param):
        return value[:10]
    if how == "field" and not fits(value, schema):
        return None
    return value


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _is_day(schema: dict, param: str) -> bool:
    return schema.get("format") == "date" or words(param)[-1:] in (("date",), ("day",))


def _row(world: World, resource: str, r: Any, keep: Any = None, others: bool = False) -> Row:
    table = world.state.table(resource)
    pool = (
        [
            table[k]
            for k in sorted(table, key=str)
            if owner_of(table[k]) not in (None, world.state.me)
        ]
        if others
        else _visible(world, resource)
    )
    rows = [row for row in pool if keep is None or keep(row)]
    if not rows:
        raise NoFact("no_fitting_row", f"no {resource.replace('_', ' ')} the user could mean")
    return r.choice(rows)


def _visible(world: World, resource: str) -> list[Row]:
    """Rows the user may act on: their own, and shared ones (in key order); of the people,
    only the user."""
    me = world.state.me
    table = world.state.table(resource)
    if resource == world.state.principal and me is not None:
        return [table[me]]
    return [table[k] for k in sorted(table, key=str) if owner_of(table[k]) in (None, me)]


def _upcoming(world: World, res: dict, rows: list[Row]) -> list[Row]:
    """Of a shared resource (flights, slots), the rows still to come: nobody searches for a
    flight that left last week to book it. One's own rows keep their history."""
    if res.get("owner"):
        return rows
    now = world.state.now.isoformat()
    starts = set(WORLD["start_moments"])
    ahead = [
        row
        for row in rows
        if all(
            str(v)[:10] > now
            for f, v in row.items()
            if set(words(f)) & starts and isinstance(v, str) and v[:4].isdigit()
        )
    ]
    return ahead or rows


def _actionable(world: World, resource: str, tools: list[str]) -> Any:
    """A row every status action of the plan may act on, as it stands (and, for a decision,
    one still open to it)."""
    lc = world.executor.resources[resource].get("lifecycle")
    actions = [t for t in tools if world.executor.ops[t]["op"] == "action"]
    decides = any(
        set(words(p)) & DECISION_WORDS for t in tools for p in world.executor.ops[t]["params"]
    )
    if not lc or not (actions or decides):
        return None
    field = lc.get("field", "status")
    done = set(lc.get("terminal", [])) if decides else set()
    if decides:  # still open to the decision: before any approved or rejected state
        order = lc.get("order") or {}
        ranks = [order[v] for v in order if lifecycle.state_of(v) in DECISION_STATES]
        done |= {v for v in order if ranks and order[v] >= min(ranks)}
    return lambda row: (
        row.get(field) is None
        or (row[field] not in done and all(lifecycle.allowed(lc, t, row[field]) for t in actions))
    )


def _named(world: World, param: str) -> str | None:
    """The resource an id parameter names (`doctor_id`), when this world has its rows."""
    kind = kind_of(param)
    if kind and kind in world.executor.resources and world.state.table(kind):
        return kind if world.executor.resources[kind]["key"]["field"] else None
    return None


def _real_ids(value: Any, world: World, r: Any) -> Any:
    """Ids inside a structured value (`items[].product_id`) point at real rows too."""
    if isinstance(value, list):
        return [_real_ids(v, world, r) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            target = _named(world, k)
            if target and not isinstance(v, (dict, list)) and _visible(world, target):
                row = r.choice(_visible(world, target))
                out[k] = row[world.executor.resources[target]["key"]["field"]]
            else:
                out[k] = _real_ids(v, world, r)
        return out
    return value
