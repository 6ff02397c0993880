"""What each tool does to the world: create, get, list, search, update, delete, a status
action or a sign-in, on which resource, with which key and filters; and each status field's
lifecycle with the actions that move it."""

from __future__ import annotations

from typing import Any

from gauntlet.names import STATUS_VERBS, leading_verb, singular, snake
from gauntlet.world import lifecycle
from gauntlet.world.keyed import (
    BARE_KEYS,
    CREATE_VERBS,
    DELETE_VERBS,
    KEY_TYPES,
    SEARCH_VERBS,
    SESSION,
    id_kind,
    listed_resource,
    made_by,
    names_resource,
    own_key,
    resource_of,
    returned_resource,
    type_of,
)
from gauntlet.world.kinds import is_secret


def operation(
    tool: dict[str, Any], resources: dict, principal: str | None, sign_in: bool
) -> dict[str, Any]:
    params = tool["parameters"].get("properties", {})
    verb = leading_verb(tool["name"])
    taken = {p: id_kind(p) for p in params if id_kind(p) and type_of(params[p]) in KEY_TYPES}
    scoped = any(k in (SESSION, principal) for k in taken.values())
    resource, op, stem = None, "call", None
    if sign_in:
        resource, op = principal, "sign_in"
    elif tool["effect"] == "write":
        made = made_by(tool) or _made_inside(tool, resources)
        targets = [k for p, k in taken.items() if k not in (SESSION,) and k in resources]
        if made:
            resource, op = made[1], "create"
        elif targets:
            resource = _target(tool, targets, principal)
            stem = _status_stem(tool["name"])
            op = "delete" if verb in DELETE_VERBS else "action" if stem else "update"
        elif resource_of(tool["name"]) in resources and _natural_key(
            tool, resources[resource_of(tool["name"])], resources
        ):  # `mergePullRequest(pid)`: acts on the row its name says, found by what it takes
            resource, stem = resource_of(tool["name"]), _status_stem(tool["name"])
            op = "delete" if verb in DELETE_VERBS else "action" if stem else "update"
        elif verb in CREATE_VERBS or resource_of(tool["name"]) in resources:
            resource, op = resource_of(tool["name"]), "create"
    else:
        returned = returned_resource(tool, resources)
        listed = listed_resource(tool, resources)
        keyed = returned and (
            resources[returned]["key"]["field"] in params or returned == resource_of(tool["name"])
        )
        own_row = keyed and listed == returned  # `get_article(article_id)` with related ones
        if (
            listed
            and not own_row
            and (not keyed or names_resource(resource_of(tool["name"]) or "", listed))
        ):
            resource, op = listed, "search" if verb in SEARCH_VERBS else "list"
        else:
            resource = returned or listed
            if resource is None and resource_of(tool["name"]) in resources:
                resource = resource_of(tool["name"])  # keyless: looked up by what it is given
            op = "get" if resource else "call"
    key = resources.get(resource, {}).get("key", {}).get("field") if resource else None
    if op in ("get", "update", "action", "delete") and key not in params:
        key = _natural_key(tool, resources.get(resource, {}), resources) or key
    filters = [p for p in params if p != key and id_kind(p) != SESSION and not is_secret(p)]
    return {
        "tool": tool["name"],
        "op": op,
        "resource": resource if resource in resources or op == "sign_in" else None,
        "key": key if key in params else None,
        "filters": filters if op in ("list", "search") else [],
        "params": list(params),
        "secret": next(
            ({"param": p, "schema": sub} for p, sub in params.items() if is_secret(p, sub)), None
        ),
        "scoped": scoped,
        "status_stem": stem if op == "action" else None,
    }


def _made_inside(tool: dict[str, Any], resources: dict) -> tuple[str, str] | None:
    """(key, resource) of a row a write returns wrapped in an object named for it
    (`book_trip` -> `{"booking": {"id": ...}}`) whose key it did not take: it creates it."""
    params = tool["parameters"].get("properties", {})
    for prop, sub in tool["returns"].get("properties", {}).items():
        if type_of(sub) != "object":
            continue
        owner = own_key(sub, prop, None)
        named = owner and owner[1] in resources and owner[1] == singular(snake(prop))
        if named and not {resources[owner[1]]["key"]["field"], owner[0]} & set(params):
            return owner
    return None


def _target(tool: dict[str, Any], targets: list[str], principal: str | None) -> str:
    """The resource a write changes: the one its name is about, else not the principal."""
    about = resource_of(tool["name"]) or ""
    for kind in targets:
        if about == kind or about.endswith(f"_{kind}"):
            return kind
    others = [k for k in targets if k != principal]
    return (others or targets)[0]


def _status_stem(tool_name: str) -> str | None:
    name = snake(tool_name)
    return next((s for v, s in STATUS_VERBS.items() if name.startswith(v) or f"_{v}" in name), None)


def lifecycle_of(
    name: str, res: dict[str, Any], tools: list[dict[str, Any]], operations: list[dict]
) -> dict[str, Any] | None:
    field = next((f for f, spec in res["fields"].items() if spec["kind"] == "status"), None)
    if field is None:
        return None
    values = [str(v) for v in res["fields"][field]["schema"].get("enum", [])]
    by_name = {t["name"]: t for t in tools}
    actions = [
        lifecycle.Action(op["tool"], by_name[op["tool"]]["description"], tuple(values))
        for op in operations
        if op["resource"] == name and op["op"] in ("action", "delete")
    ]
    creates = [op["tool"] for op in operations if op["resource"] == name and op["op"] == "create"]
    return {"field": field, **lifecycle.infer_lifecycle(values, actions, create_tools=creates)}


def _natural_key(tool: dict[str, Any], res: dict[str, Any], resources: dict) -> str | None:
    """A get that does not take the row's key looks it up by a field it does take and the row
    has (`getUserByName(username)`): the last such required parameter that is not another
    resource's key."""
    required = tool["parameters"].get("required", [])
    if res.get("key", {}).get("field") in BARE_KEYS:  # `pid`, `userId` stand for a bare `id`
        named = [p for p in required if snake(p).endswith("id") and not id_kind(p)]
        if named:
            return named[-1]
    fields = set(res.get("fields", {}))  # name -> spec while inferring
    others = {r["key"]["field"] for r in resources.values() if r is not res}
    required = [
        p for p in tool["parameters"].get("required", []) if p in fields and p not in others
    ]
    return required[-1] if required else None
