"""A task's initial world, seeded from the world schema: people, what they own, what is shared.

Parents come before children so every reference points at a real row; the principal's rows
and other people's rows (the distractors a careless agent acts on) are drawn alike; statuses
spread across each lifecycle, with live rows for actions to act on; one clock and one currency
hold for the whole world. Row values come from `RowValues`, which keeps each row coherent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gauntlet.seeds import derive_int, rng
from gauntlet.world import derived, stage_fields, timeline
from gauntlet.world.keyed import SESSION
from gauntlet.world.keys import Key, make_key
from gauntlet.world.patterns import from_pattern
from gauntlet.world.state import WorldState
from gauntlet.world.world_words import WORLD

PARENT = "_parent"  # a part's hidden link to the row that holds it: [resource, key]
OWNER = "_owner"  # the key of the person a row belongs to, whether or not a field shows it
Fill = Callable[..., dict[str, Any]]


def sizes() -> dict[str, Any]:
    """How many rows a world has and what it may be priced in (`data/words/world.yaml`)."""
    return WORLD


def seed_world(
    schema: dict[str, Any], *, seed: int, now: dt.date, fill_factory: Callable[[str], Fill]
) -> WorldState:
    """The world for one task. `fill_factory(currency)` gives the row filler for that currency
    (`RowValues(seed, now, currency, domain).fill`)."""
    currency = _currency(schema, seed)
    fill = fill_factory(currency)
    state = WorldState(schema["domain"], now, currency, schema.get("principal"))
    resources = {r["name"]: r for r in schema["resources"]}
    parts = {child: parent for parent, r in resources.items() for child in _parts(r, resources)}
    rows = sizes()["rows"]
    for name in _order(resources):
        res = resources[name]
        if name == SESSION:
            continue
        owner = (res.get("owner") or {}).get("resource")
        if name == state.principal:
            plan = [(None, i) for i in range(rows["principals"])]
        elif name in parts:
            plan = [
                ((parts[name], k), i)
                for k in state.table(parts[name])
                for i in range(rows["parts_per_parent"])
            ]
        elif owner and owner == state.principal and owner in resources:
            plan = [
                ((owner, k), i)
                for k in state.table(owner)
                for i in range(rows["owned_per_principal"])
            ]
        else:
            plan = [(None, i) for i in range(rows["shared"])]
        for n, (holder, _) in enumerate(plan):
            _insert(state, res, resources, holder, n, seed, fill)
    _sum_parts(state)
    if state.principal and state.table(state.principal):
        state.me = sorted(state.table(state.principal), key=str)[0]
        _credentials(state, schema, resources, seed)
    return state


def _insert(
    state: WorldState,
    res: dict[str, Any],
    resources: dict[str, dict],
    holder: tuple[str, Key] | None,
    n: int,
    seed: int,
    fill: Fill,
) -> None:
    name = res["name"]
    key = make_key(res["key"], name, seed, n)
    table = state.tables.setdefault(name, {})
    while key in table:  # a narrow pattern repeats: step on
        n += 10_000
        key = make_key(res["key"], name, seed, n)
    given: dict[str, Any] = {}
    owner = res.get("owner") or {}
    holder_row = state.row(*holder) if holder else None
    if holder and owner.get("field") and holder[0] == owner.get("resource"):
        given[owner["field"]] = holder[1]
    for field, target in res["references"].items():
        if field in given or target not in state.tables or not state.table(target):
            continue
        picked = _pick_reference(
            state, resources, target, holder, holder_row, (seed, name, n, field)
        )
        natural = field in resources[target].get("lookups", ())  # `username`, not the key
        given[field] = state.row(target, picked).get(field) if natural else picked

    lifecycle = res.get("lifecycle")
    if lifecycle and lifecycle.get("values"):
        given[lifecycle.get("field", "status")] = _status(lifecycle, n, seed, name)
    row = complete_row(res, given, fill, key, state.now)
    _distinct_titles(row, res, table, fill, key)
    derived.from_references(row, res, state.row, shared_resources(resources, state.principal))
    status = row.get((lifecycle or {}).get("field", "status"))
    derived.priced_by_reference(row, res, state.row, resources, status)
    timeline.expected_after_creation(row)  # then a brief state's row expects it from now
    if lifecycle and lifecycle.get("values"):  # a past event stays past, whatever it copied
        timeline.settle_in_past(row, lifecycle, state.now)
        timeline.settle_under_way(row, lifecycle, state.now)
        timeline.settle_brief(row, lifecycle, state.now)
    timeline.lead_up(row)
    if res["key"]["field"]:
        row[res["key"]["field"]] = key
    if holder and holder[0] == owner.get("resource"):
        row[OWNER] = holder[1]
    elif holder:  # a part: it belongs to whoever its parent belongs to
        row[PARENT] = [holder[0], holder[1]]
        if holder_row is not None and OWNER in holder_row:
            row[OWNER] = holder_row[OWNER]
    table[key] = row


def shared_resources(resources: dict[str, dict], principal: str | None) -> frozenset[str]:
    """Resources nobody owns (flights, hotels, products): what rows point at and repeat."""
    return frozenset(n for n, r in resources.items() if not r.get("owner") and n != principal)


def complete_row(
    res: dict[str, Any], given: dict[str, Any], fill: Fill, key: Key, now: dt.date
) -> dict[str, Any]:
    """A whole row of `res` around what is `given`: every other field drawn to agree with it,
    then the derived ones computed (line totals, shares, stage timestamps, past events)."""
    fields = [
        f for f in res["fields"] if f["name"] not in given and f["name"] != res["key"]["field"]
    ]
    row = {**fill(res["name"], fields, key=(key,), given=given), **given}
    derived.line_total(row)
    derived.shares(row)
    derived.nights(row)
    derived.net_below_gross(row)
    timeline.period_before_closing(row)
    derived.settle_total(row)
    lifecycle = res.get("lifecycle")
    if lifecycle and lifecycle.get("values"):
        stage_fields.unreached(row, lifecycle)
        derived.refund_in_full(row, row.get(lifecycle.get("field", "status")))
        timeline.settle_in_past(row, lifecycle, now)
        timeline.settle_under_way(row, lifecycle, now)
    return row


def _distinct_titles(row: dict, res: dict, table: dict, fill: Fill, key: Key) -> None:
    """Two knowledge-base articles, products or flights of one world are not titled alike: a
    title another row has is drawn again (a few tries), so searching by it finds one row."""
    for field in (f for f in res["fields"] if f.get("kind") in ("title", "org_name")):
        name = field["name"]
        for attempt in range(4):
            if not any(other.get(name) == row.get(name) for other in table.values()):
                break
            again = fill(res["name"], [field], key=(key, "again", attempt))
            row[name] = again.get(name, row[name])


def _sum_parts(state: WorldState) -> None:
    """Rows that hold lines (an order's items) total them, now that every line is in."""
    held: dict[tuple[str, Key], list[dict]] = {}
    for rows in state.tables.values():
        for row in rows.values():
            if PARENT in row:
                held.setdefault(tuple(row[PARENT]), []).append(row)
    for (resource, key), lines in sorted(held.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        parent = state.row(resource, key)
        if parent is not None:
            derived.sum_lines(parent, lines)


def _pick_reference(
    state: WorldState,
    resources: dict[str, dict],
    target: str,
    holder: tuple[str, Key] | None,
    holder_row: dict | None,
    key: tuple,
) -> Key:
    """A row of `target`: one the same person owns when both are owned (a return points at
    its customer's own order), else any."""
    candidates = list(state.table(target))
    if holder and target == holder[0]:
        return holder[1]
    who = None
    if holder is not None:
        who = holder[1] if holder[0] == state.principal else (holder_row or {}).get(OWNER)
    if who is not None:
        owner = (resources[target].get("owner") or {}).get("field")
        mine = [
            k
            for k, row in state.table(target).items()
            if row.get(OWNER) == who or (owner and row.get(owner) == who)
        ]
        candidates = mine or candidates
    return rng(*key).choice(sorted(candidates, key=str))


def _status(lifecycle: dict[str, Any], n: int, seed: int, resource: str) -> str:
    """Rows spread over the lifecycle so every action has a row it may act on among any
    person's few rows (a booking to check in, an order not yet shipped), and some are done."""
    values = lifecycle["values"]
    terminal = set(lifecycle.get("terminal", []))
    cycle = []
    for rule in sorted(lifecycle.get("transitions", {}).values(), key=lambda t: t.get("to") or ""):
        start = [v for v in rule.get("from") or [] if v in values]
        if start and not set(start) & set(cycle):
            cycle.append(start[derive_int(seed, resource, rule.get("to")) % len(start)])
    live = [v for v in values if v not in terminal]
    done = [v for v in values if v in terminal]
    if not cycle:
        cycle = [rng(seed, "status", resource, n).choice(live or values)]
    if done:
        cycle.append(rng(seed, "status", resource, "done").choice(done))
    if n % (len(cycle) + 1) == len(cycle):  # now and then, any other live state
        return rng(seed, "status", resource, n).choice(live or values)
    return cycle[n % (len(cycle) + 1)]


def _currency(schema: dict[str, Any], seed: int) -> str:
    """The world's one currency: one every currency enum of the catalog allows, when it can
    be (also inside money objects such as `price: {amount, currency}`)."""
    declared = [
        set(enum)
        for r in schema["resources"]
        for f in r["fields"]
        for enum in _currency_enums(f["name"], f["schema"], f["kind"])
    ]
    options = sizes()["currencies"]
    if declared:
        allowed = set.intersection(*declared)
        options = sorted(allowed) or sorted(declared[0])
    return rng(seed, "currency", schema["domain"]).choice(options)


def _currency_enums(name: str, schema: dict[str, Any], kind: str | None = None) -> list[list]:
    if (kind == "currency" or name == "currency") and schema.get("enum"):
        return [schema["enum"]]
    return [
        enum
        for prop, sub in (schema.get("properties") or {}).items()
        for enum in _currency_enums(prop, sub)
    ]


def _credentials(
    state: WorldState, schema: dict[str, Any], resources: dict[str, dict], seed: int
) -> None:
    """What each person signs in with: their own email or username, and a secret."""
    sign_in = next((o for o in schema["operations"] if o["op"] == "sign_in"), None)
    tool_params = sign_in.get("params", []) if sign_in else []
    secret = (sign_in or {}).get("secret") or {"param": "password", "schema": {}}
    for key, row in state.table(state.principal).items():
        creds = {p: row[p] for p in tool_params if p in row}
        creds["secret"] = _secret(secret["schema"], (seed, "secret", key))
        state.credentials[key] = creds


def _secret(schema: dict[str, Any], key: tuple) -> str:
    """A secret that fits its parameter: a PIN's pattern, a password's length."""
    if schema.get("pattern"):
        return from_pattern(schema["pattern"], key)
    length = max(int(schema.get("minLength", 10)), 10)
    r = rng(*key)
    return "".join(r.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(length))


def _order(resources: dict[str, dict]) -> list[str]:
    """Resources with what they point at, and what holds them, first (cycles cut by name)."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name in visiting:
            return
        visiting.add(name)
        res = resources[name]
        deps = set(res["references"].values())
        deps |= {p for p, r in resources.items() if name in _parts(r, resources)}
        owner = (res.get("owner") or {}).get("resource")
        if owner:
            deps.add(owner)
        for dep in sorted(d for d in deps if d in resources and d != name):
            visit(dep)
        visiting.discard(name)
        done.append(name)

    for name in sorted(resources):
        visit(name)
    return done


def _parts(res: dict[str, Any], resources: dict[str, dict]) -> set[str]:
    """The resources a row holds as its parts: nested under a plural property, keyless."""
    return {
        child
        for prop, child in res["children"].items()
        if child in resources and resources[child]["key"]["field"] is None
    }
