"""A tool's answer, rendered from the world's rows in the shape of the tool's `returns`.

A property the row holds is the row's value; an object that names another resource is that
row; an array of objects holds the row's parts or the rows that point at it, else items
made to agree with the row (`world/value_lists.py`); anything the
world does not store (a computed fee, a tracking URL) is made up deterministically from the
row and the property, so reading it twice gives the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gauntlet.names import kind_of, singular, snake, words
from gauntlet.seeds import derive_int
from gauntlet.world import derived
from gauntlet.world.keyed import BARE_KEYS
from gauntlet.world.seed import OWNER, PARENT
from gauntlet.world.state import Key, Row, WorldState
from gauntlet.world.value_lists import value_list

MakeUp = Callable[[str, str, dict[str, Any], tuple], Any]  # resource, field, schema, key


def render(
    schema: dict[str, Any],
    row: Row | None,
    resource: str | None,
    state: WorldState,
    resources: dict[str, dict],
    make_up: MakeUp,
    key: tuple,
) -> dict[str, Any]:
    """An object shaped by `schema` from `row` (of `resource`); `key` seeds what is made up."""
    out: dict[str, Any] = {}
    row = row or {}
    for prop, sub in schema.get("properties", {}).items():
        typ = _type(sub)
        many = typ == "array" and _type(sub.get("items", {})) == "object"
        target, rows = related_rows(prop, row, resource, state, resources) if many else (None, [])
        if rows:  # an order's items are its line rows, whatever the order row holds
            out[prop] = [
                render(sub["items"], r, target, state, resources, make_up, (*key, prop, i))
                for i, r in enumerate(rows)
            ]
        elif prop in row and not prop.startswith("_") and fits(row[prop], sub):
            out[prop] = row[prop]
        elif prop in row and row[prop] is None and prop not in schema.get("required", ()):
            continue  # not set yet (`delivered_at` of an order on its way): left out
        elif prop in BARE_KEYS and fits(own := _key(row, resources.get(resource or "", {})), sub):
            out[prop] = own  # `{"booking": {"id": ...}}`: the row's own key, by its bare name
        elif typ == "object" and (part := derived.share_of(prop, row)) is not None:
            out[prop] = render(sub, {"amount": part}, None, state, resources, make_up, key)
        elif typ == "object" and "properties" in sub:
            target, target_row = _referenced(prop, row, resource, state, resources, sub)
            target = target or _keyed_by(sub, resources)
            if target_row is None and (
                _names_another(sub, target, resource, resources, state)
                or _role_of_own_kind(prop, target, resource, state)
            ):
                # `primary_doctor: {doctor_id, full_name}` and the row keeps no doctor: one of
                # the world's doctors (the same every time), never the row's own name
                rows = state.table(target)
                picked = sorted(rows, key=str)[derive_int(*key, prop) % len(rows)]
                target_row = rows[picked]
            if target_row is not None and _in_another_role(
                prop, target, target_row, row, resource, resources
            ):
                # `approver` of one's own leave request: someone else of the same kind
                rows = state.table(target)
                mine = {owner_of(row), _key(row, resources.get(resource or "", {}))}
                others = sorted(k for k in rows if rows[k] is not target_row and k not in mine)
                target_row = rows[others[derive_int(*key, prop) % len(others)]] if others else None
            if target_row is not None:
                out[prop] = render(sub, target_row, target, state, resources, make_up, (*key, prop))
            else:  # a group of the row's own attributes (`total: {amount, currency}`), where
                # `merchant: {name}` is the row's `merchant_name`
                inner = sub.get("properties", {})
                flat = {f: row[f"{prop}_{f}"] for f in inner if f"{prop}_{f}" in row}
                group = {**row, **flat} if flat else row
                out[prop] = render(sub, group, resource, state, resources, make_up, (*key, prop))
        elif many:  # fares, earnings, tracking events: made up, agreeing with the row
            items, said = sub["items"], str(sub.get("description") or "")
            target, rows = value_list(
                prop, items, said, row, resource, state, resources, make_up, key
            )
            out[prop] = [
                render(sub["items"], r, target, state, resources, make_up, (*key, prop, i))
                for i, r in enumerate(rows)
            ]
        else:
            out[prop] = make_up(resource or "", prop, sub, key)
    return out


def render_list(
    returns: dict[str, Any],
    rows: list[Row],
    asked: dict[str, Any],
    resource: str | None,
    state: WorldState,
    resources: dict[str, dict],
    make_up: MakeUp,
    tool: str,
) -> dict[str, Any]:
    """A list or search answer: the rows found, and beside them what the call asked for
    (`account_id`) as asked."""
    out: dict[str, Any] = {}
    for prop, sub in returns.get("properties", {}).items():
        if sub.get("type") == "array" and sub.get("items", {}).get("type") == "object":
            out[prop] = [
                render(sub["items"], r, resource, state, resources, make_up, (prop, i))
                for i, r in enumerate(rows)
            ]
        elif set(words(prop)) & {"count", "total"} and sub.get("type") == "integer":
            out[prop] = len(rows)
        elif prop in asked and fits(asked[prop], sub):
            out[prop] = asked[prop]
        else:
            value = make_up(resource or "", prop, sub, (tool, prop))
            out[prop] = value if fits(value, sub) else None
    return out


def related_rows(
    prop: str, row: Row, resource: str | None, state: WorldState, resources: dict[str, dict]
) -> tuple[str | None, list[Row]]:
    """The rows an array property of `row` holds: its parts, or the rows that point at it."""
    if resource is None:
        return None, []
    res = resources.get(resource, {})
    child = res.get("children", {}).get(prop) or _guess(prop, resources)
    if child is None:
        return None, []
    key = _key(row, res)
    rows = [
        r
        for r in state.table(child).values()
        if r.get(PARENT) == [resource, key]
        or any(r.get(f) == key for f, t in resources[child]["references"].items() if t == resource)
    ]
    return child, rows


def owner_of(row: Row) -> Key | None:
    return row.get(OWNER)


def _referenced(
    prop: str,
    row: Row,
    resource: str | None,
    state: WorldState,
    resources: dict[str, dict],
    schema: dict[str, Any],
) -> tuple[str | None, Row | None]:
    res = resources.get(resource or "", {})
    target = res.get("children", {}).get(prop) or _guess(prop, resources)
    if target is None:  # `owner: {username, ...}` where the row refers to a user by username
        inner = schema.get("properties", {})
        target = next((t for f, t in res.get("references", {}).items() if f in inner), None)
    if target is None:
        return None, None
    for field, points_at in res.get("references", {}).items():
        if points_at == target and row.get(field) is not None:
            if field in resources[target].get("lookups", ()):  # by a natural key
                found = (r for r in state.table(target).values() if r.get(field) == row[field])
                return target, next(found, None)
            return target, state.row(target, row[field])
    return target, None


def _in_another_role(
    prop: str,
    target: str | None,
    target_row: Row,
    row: Row,
    resource: str | None,
    resources: dict[str, dict],
) -> bool:
    """Is `prop` a role (approver, manager) that the row's own person is shown in? An
    employee is not their own manager, whatever the row points at."""
    if target is None or set(words(target)) <= set(words(prop)):
        return False
    own = _key(target_row, resources.get(target, {}))
    mine = {owner_of(row)} | ({_key(row, resources[resource])} if resource == target else set())
    return target_row is row or (own is not None and own in mine)


def _names_another(
    schema: dict[str, Any],
    target: str | None,
    resource: str | None,
    resources: dict[str, dict],
    state: WorldState,
) -> bool:
    """Is this object another resource's row (it carries that resource's key)?"""
    if target is None or target == resource or target not in resources:
        return False
    key = resources[target]["key"]["field"]
    return bool(key and key in schema.get("properties", {}) and state.table(target))


def _keyed_by(schema: dict[str, Any], resources: dict[str, dict]) -> str | None:
    """The resource whose key this object carries (`{employee_id, full_name}`: an employee)."""
    inner = schema.get("properties", {})
    return next(
        (n for n, r in sorted(resources.items()) if r["key"]["field"] not in (None, "id")
         and r["key"]["field"] in inner),
        None,
    )  # fmt: skip


def _role_of_own_kind(prop: str, target: str | None, resource: str | None, state) -> bool:
    """A `manager` on an employee: another row of the row's own kind, in a role."""
    if target is None or target != resource or not state.table(target):
        return False
    return not set(words(target)) <= set(words(prop))


def _guess(prop: str, resources: dict[str, dict]) -> str | None:
    name = singular(snake(prop))
    if name in resources:
        return name
    return next((r for r in sorted(resources) if name.endswith(f"_{r}")), kind_of(prop))


def _key(row: Row, res: dict[str, Any]) -> Key | None:
    field = res.get("key", {}).get("field")
    return row.get(field) if field else None


def _type(schema: dict[str, Any]) -> str:
    typ = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(typ, list):
        typ = next((t for t in typ if t != "null"), "null")
    return typ


def fits(value: Any, schema: dict[str, Any]) -> bool:
    """A cheap structural check that a stored value suits this property's schema."""
    if "enum" in schema:
        return value in schema["enum"]
    kind = schema.get("type")
    if not kind:
        return True
    return any(_fits_type(value, k, schema) for k in (kind if isinstance(kind, list) else [kind]))


def _fits_type(value: Any, kind: str, schema: dict[str, Any]) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "array":
        return isinstance(value, list) and all(fits(i, schema.get("items", {})) for i in value)
    if kind == "object":
        return (
            isinstance(value, dict)
            and set(schema.get("required", [])) <= set(value)
            and all(
                fits(value[k], sub) for k, sub in schema.get("properties", {}).items() if k in value
            )
        )
    return True  # a type this check does not know: not its business
