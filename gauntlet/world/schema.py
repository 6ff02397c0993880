"""The world schema: resources, keys, fields, relations, the principal and each tool's
operation, inferred from a domain's tools alone.

It follows the producer/consumer reading of API specs (RESTler, Schemathesis): an id a tool
returns but does not take is a resource it produces; an id it takes is one it consumes; an
object that carries an id *is* that resource, and its other properties are the resource's
fields. The principal is who "my" refers to: the resource a sign-in returns, else the person
resource most others point at. Inference is never perfect; `world/override.py` lets a user
correct any of it with a small YAML file next to the catalog.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from gauntlet.names import (
    READ_VERBS,
    STATUS_VERBS,
    kind_of,
    leading_verb,
    singular,
    snake,
    words,
)
from gauntlet.world import lifecycle
from gauntlet.world.kinds import PERSON_RESOURCES, is_secret, value_kind

SESSION = "session"  # a credential resource: proof of sign-in, owned by the principal
SIGN_IN_WORDS = frozenset({"sign", "login", "log", "signin", "authenticate", "auth", "logon"})
DELETE_VERBS = frozenset({"delete", "remove", "destroy", "purge"})
CREATE_VERBS = frozenset({"create", "add", "book", "place", "submit", "open", "new", "register"})
SEARCH_VERBS = frozenset({"search", "find", "query", "lookup"})
UPDATE_VERBS = frozenset({"update", "set", "edit", "patch", "put", "modify", "replace", "change"})
OPERATION_VERBS = READ_VERBS | CREATE_VERBS | DELETE_VERBS | UPDATE_VERBS | set(STATUS_VERBS)
QUALIFIERS = ("by", "for", "with", "from", "of", "in")
KEY_TYPES = ("string", "integer")
SESSION_WORDS = frozenset({"expires", "expiry", "token", "session", "issued", "scope"})
BARE_KEYS = ("id", "uuid", "sid", "key")


def infer(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One world schema record per domain (schemas/world_schema), domains in name order."""
    by_domain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for tool in tools:
        by_domain[tool["domain"]].append(tool)
    return [infer_domain(domain, by_domain[domain]) for domain in sorted(by_domain)]


def infer_domain(domain: str, tools: list[dict[str, Any]]) -> dict[str, Any]:
    tools = sorted(tools, key=lambda t: t["name"])
    resources: dict[str, dict[str, Any]] = {}
    sign_in = [t for t in tools if _is_sign_in(t)]
    principal = _principal(tools, sign_in)
    for tool in tools:
        marked = {**tool, "_sign_in": True} if tool in sign_in else tool
        _collect(marked, resources, principal if tool in sign_in else None)
    _add_consumed(tools, resources)
    operations = [_operation(t, resources, principal, t in sign_in) for t in tools]
    _relations(resources)
    _ownership(resources, operations, principal)
    for name, res in resources.items():
        res["lifecycle"] = _lifecycle(name, res, tools, operations)
    unresolved = [
        {"tool": op["tool"], "what": "no resource: the tool names none and returns none"}
        for op in operations
        if op["resource"] is None and op["op"] != "sign_in"
    ]
    unresolved += [
        {"resource": name, "what": "no key field seen; rows get a synthetic key"}
        for name, res in resources.items()
        if res["key"]["field"] is None
    ]
    return {
        "domain": domain,
        "principal": principal,
        "resources": [_finished(name, resources[name]) for name in sorted(resources)],
        "operations": operations,
        "unresolved": unresolved,
    }


# --- resources and fields ---------------------------------------------------------------


def _resource(resources: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    return resources.setdefault(
        name,
        {
            "key": {"field": None, "type": "string", "format": None, "pattern": None},
            "fields": {},
            "references": {},
            "children": {},
            "owner": None,
            "seen_in": [],
        },
    )


def _collect(tool: dict[str, Any], resources: dict, principal: str | None) -> None:
    """Every object a tool returns that carries an id becomes (part of) that resource.

    At the top of a write's answer, a key the tool did not take is the row it made (a
    `book_flight` answer is a booking, not the flight). A sign-in's answer describes the
    principal, apart from the session it opens.
    """
    subject = resource_of(tool["name"])
    params = tool["parameters"].get("properties", {})
    top = _made(tool) or _own_key(tool["returns"], None, subject)
    if principal and tool.get("_sign_in"):
        top = _principal_key(tool, principal) or top

    def walk(
        schema: dict[str, Any], container: str | None, parent: str | None, many: bool = False
    ) -> None:
        owner = top if container is None else _own_key(schema, container, None)
        if owner and many and parent and not _names(container, owner[1]):
            # `items: [{product_id, quantity}]` are the parent's lines, not products
            owner = (None, f"{parent}_{singular(snake(container))}")
        here = parent
        if owner is not None:
            field, name = owner
            res = _resource(resources, name)
            if field is not None:
                _set_key(res, field, schema["properties"][field])
            if tool["name"] not in res["seen_in"]:
                res["seen_in"].append(tool["name"])
            if parent and parent != name:
                part = container is not None and singular(container) != container
                resources[parent]["children"].setdefault(container or name, name)
                resources[parent].setdefault("parts", set()).update({name} if part else set())
            here = name
        for prop, sub in schema.get("properties", {}).items():
            typ = _type(sub)
            if typ == "object" and "properties" in sub:
                walk(sub, prop, here)
            elif typ == "array" and _type(sub.get("items", {})) == "object":
                walk(sub["items"], prop, here, many=True)
            elif tool.get("_sign_in") and _id_kind(prop) == SESSION:
                _set_key(_resource(resources, SESSION), prop, sub)
            elif here is not None and (owner is None or prop != owner[0]):
                target = _session_or(here, prop, principal, tool)
                _add_field(_resource(resources, target), prop, sub, target)

    walk(tool["returns"], None, None)
    if principal and tool.get("_sign_in"):  # who signs in with an email has an email
        for prop, sub in params.items():
            if not is_secret(prop, sub) and not _id_kind(prop):
                _add_field(_resource(resources, principal), prop, sub, principal)
    made = _made(tool)
    if made:  # a create's parameters are the new row's fields
        for prop, sub in params.items():
            if not is_secret(prop, sub) and _id_kind(prop) != SESSION:
                _add_field(_resource(resources, made[1]), prop, sub, made[1])


def _names(container: str, resource: str) -> bool:
    """Does a property name say it holds this resource (`open_tickets` holds tickets)?"""
    want = singular(snake(container))
    return want == resource or want.endswith(f"_{resource}")


def _made(tool: dict[str, Any]) -> tuple[str, str] | None:
    """(key, resource) of the row a write creates: a top-level key it returns but did not take."""
    if tool["effect"] != "write":
        return None
    params = tool["parameters"].get("properties", {})
    props = tool["returns"].get("properties", {})
    fresh = [
        p for p, sub in props.items() if _id_kind(p) and p not in params and _type(sub) in KEY_TYPES
    ]
    fresh = [p for p in fresh if _id_kind(p) != SESSION]
    if not fresh:
        return None
    about = resource_of(tool["name"]) or ""
    best = next((p for p in fresh if about.endswith(_id_kind(p) or "\0")), fresh[0])
    return best, _id_kind(best)


def _principal_key(tool: dict[str, Any], principal: str) -> tuple[str, str] | None:
    for prop in tool["returns"].get("properties", {}):
        if _id_kind(prop) == principal:
            return prop, principal
    return None


def _session_or(here: str, field: str, principal: str | None, tool: dict[str, Any]) -> str:
    """On a sign-in's answer, session fields (its id, expiry, token) belong to the session."""
    if principal and tool.get("_sign_in") and here == principal and not _belongs_to_person(field):
        return SESSION
    if principal and here == SESSION and _belongs_to_person(field):
        return principal
    return here


def _add_consumed(tools: list[dict[str, Any]], resources: dict) -> None:
    """Ids taken but never returned still name resources (a `slot_id` from a free-slot list)."""
    for tool in tools:
        for prop, sub in tool["parameters"].get("properties", {}).items():
            kind = _id_kind(prop)
            if kind and kind not in resources and _type(sub) in ("string", "integer"):
                res = _resource(resources, kind)
                _set_key(res, prop, sub)


def _set_key(res: dict[str, Any], field: str, schema: dict[str, Any]) -> None:
    key = res["key"]
    if key["field"] is None or (key["field"] == "id" and field != "id"):
        key["field"] = field
    typ = _type(schema)
    if typ in ("integer", "number"):
        key["type"] = "integer"
    elif schema.get("format") == "uuid":
        key["format"] = "uuid"
    if schema.get("pattern") and not key["pattern"]:
        key["pattern"] = schema["pattern"]
    for bound in ("minLength", "maxLength", "minimum", "maximum"):
        if bound in schema:
            key[bound] = schema[bound]


def _add_field(res: dict[str, Any], name: str, schema: dict[str, Any], resource: str) -> None:
    if name in res["fields"]:
        return
    kind = value_kind(name, schema, resource=resource)
    ref = _id_kind(name)
    res["fields"][name] = {
        "type": _type(schema),
        "kind": "reference" if ref and ref != resource else kind,
        "schema": {k: v for k, v in schema.items() if k != "description"},
    }


# --- principal, relations, ownership ----------------------------------------------------


def _is_sign_in(tool: dict[str, Any]) -> bool:
    """A tool that trades credentials for a session: by its name, or by a secret it takes."""
    split = set(words(tool["name"]))
    props = tool["parameters"].get("properties", {})
    returns = tool["returns"].get("properties", {})
    secret_in = any(is_secret(p, s) for p, s in props.items())
    session_out = any(kind_of(p) == SESSION or "token" in words(p) for p in returns)
    return bool(split & SIGN_IN_WORDS) and (secret_in or session_out) or (secret_in and session_out)


def _principal(tools: list[dict[str, Any]], sign_in: list[dict[str, Any]]) -> str | None:
    """Who "my" means: what a sign-in returns; else the person most tools take the id of."""
    for tool in sign_in:
        for prop in tool["returns"].get("properties", {}):
            kind = _id_kind(prop)
            if kind and kind != SESSION:
                return kind
        subject = [w for w in words(tool["name"]) if w not in SIGN_IN_WORDS and w != "in"]
        if subject:
            return snake("_".join(subject))
    taken = Counter(
        _id_kind(p) for t in tools for p in t["parameters"].get("properties", {}) if _id_kind(p)
    )
    people = [k for k, _ in taken.most_common() if k in PERSON_RESOURCES]
    return people[0] if people else None


def _relations(resources: dict[str, dict[str, Any]]) -> None:
    for res in resources.values():
        for field, spec in res["fields"].items():
            target = _id_kind(field)
            if spec["kind"] == "reference" and target:
                res["references"][field] = target if target in resources else None
    for res in resources.values():
        res["references"] = {f: t for f, t in res["references"].items() if t is not None}


def _ownership(resources: dict, operations: list[dict[str, Any]], principal: str | None) -> None:
    """A resource belongs to the principal if it points at it, is listed for it (a tool that
    takes the session or the principal's id), or sits inside one that does."""
    if principal is None:
        return
    scoped = {op["resource"] for op in operations if op["scoped"] and op["op"] in ("list", "get")}
    for name, res in resources.items():
        if name == principal:
            continue
        points = [f for f, t in res["references"].items() if t == principal]
        if points:
            res["owner"] = {"resource": principal, "field": points[0]}
        elif name in scoped or name == SESSION:
            res["owner"] = {"resource": principal, "field": None}
    for res in list(resources.values()):
        if res["owner"]:  # what a row holds as its parts (an order's items) is owned with it
            for child in sorted(res.get("parts", ())):
                if child in resources and resources[child]["owner"] is None:
                    resources[child]["owner"] = {"resource": principal, "field": None}


# --- operations and lifecycles ----------------------------------------------------------


def _operation(
    tool: dict[str, Any], resources: dict, principal: str | None, sign_in: bool
) -> dict[str, Any]:
    params = tool["parameters"].get("properties", {})
    verb = leading_verb(tool["name"])
    taken = {p: _id_kind(p) for p in params if _id_kind(p) and _type(params[p]) in KEY_TYPES}
    scoped = any(k in (SESSION, principal) for k in taken.values())
    resource, op, stem = None, "call", None
    if sign_in:
        resource, op = principal, "sign_in"
    elif tool["effect"] == "write":
        made = _made(tool)
        targets = [k for p, k in taken.items() if k not in (SESSION,) and k in resources]
        if made:
            resource, op = made[1], "create"
        elif targets:
            resource = _target(tool, targets, principal)
            stem = _status_stem(tool["name"])
            op = "delete" if verb in DELETE_VERBS else "action" if stem else "update"
        elif verb in CREATE_VERBS:
            resource, op = resource_of(tool["name"]), "create"
    else:
        returned = _returned_resource(tool, resources)
        listed = _listed_resource(tool, resources)
        keyed = returned and (
            resources[returned]["key"]["field"] in params or returned == resource_of(tool["name"])
        )
        if listed and (not keyed or _names(resource_of(tool["name"]) or "", listed)):
            resource, op = listed, "search" if verb in SEARCH_VERBS else "list"
        else:
            resource = returned or listed
            op = "get" if resource else "call"
    key = resources.get(resource, {}).get("key", {}).get("field") if resource else None
    filters = [p for p in params if p != key and _id_kind(p) != SESSION and not is_secret(p)]
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


def _lifecycle(
    name: str, res: dict[str, Any], tools: list[dict[str, Any]], operations: list[dict]
) -> dict[str, Any] | None:
    status = res["fields"].get("status")
    if status is None:
        return None
    values = [str(v) for v in status["schema"].get("enum", [])]
    by_name = {t["name"]: t for t in tools}
    actions = [
        lifecycle.Action(op["tool"], by_name[op["tool"]]["description"], tuple(values))
        for op in operations
        if op["resource"] == name and op["op"] in ("action", "delete")
    ]
    creates = [op["tool"] for op in operations if op["resource"] == name and op["op"] == "create"]
    return lifecycle.infer_lifecycle(values, actions, create_tools=creates)


# --- helpers ------------------------------------------------------------------------------


def resource_of(tool_name: str) -> str | None:
    """The resource a tool's name is about: `getPetById` -> pet, `list_my_tickets` -> ticket,
    `cancel_food_order` -> food_order. The verb and any `by`/`for` qualifier are dropped."""
    split = list(words(tool_name))
    while split and (split[0] in OPERATION_VERBS or split[0] in ("my", "all", "the", "a")):
        split = split[1:]
    for stop in QUALIFIERS:
        if stop in split:
            split = split[: split.index(stop)]
    if not split:
        return None
    return "_".join([*split[:-1], singular(split[-1])])


def _own_key(
    schema: dict[str, Any], container: str | None, subject: str | None
) -> tuple[str, str] | None:
    """Which property keys the object itself, and the resource it names: an `<x>_id` that
    matches the key it sits under or the tool's subject, else the only one; a bare `id` takes
    its resource from the key it sits under or, at the top, from the tool's subject. Keys may
    be strings or integers, as the schema says."""
    props = schema.get("properties", {})
    keys = [p for p, sub in props.items() if kind_of(p) and _type(sub) in KEY_TYPES]
    want = singular(snake(container)) if container else subject
    if keys:
        for p in keys:
            kind = kind_of(p)
            if want and (kind == want or want.endswith(f"_{kind}") or want == kind):
                return p, kind
        if len(keys) == 1 or not want:
            return keys[0], kind_of(keys[0])
        return keys[0], kind_of(keys[0])
    bare = next((p for p in BARE_KEYS if p in props and _type(props[p]) in KEY_TYPES), None)
    if bare and want:
        return bare, want
    return None


def _id_kind(name: str) -> str | None:
    """`order_id` / `orderId` -> order; `order_ids` / `orderIds` -> order."""
    kind = kind_of(name)
    if kind:
        return kind
    split = words(name)
    if len(split) > 1 and split[-1] == "ids":
        return singular("_".join(split[:-1])) if split[-2:-1] else None
    return None


def _type(schema: dict[str, Any]) -> str:
    typ = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(typ, list):
        typ = next((t for t in typ if t != "null"), "null")
    return typ


def _belongs_to_person(field: str) -> bool:
    """On a sign-in's answer, which fields describe the person rather than the session."""
    return not (SESSION_WORDS & set(words(field)))


def _listed_resource(tool: dict[str, Any], resources: dict) -> str | None:
    """The resource of the first array of keyed objects a read tool returns."""
    for prop, sub in tool["returns"].get("properties", {}).items():
        if _type(sub) == "array" and _type(sub.get("items", {})) == "object":
            owner = _own_key(sub["items"], prop, None)
            if owner:
                return owner[1] if owner[1] in resources else None
    return None


def _returned_resource(tool: dict[str, Any], resources: dict) -> str | None:
    owner = _own_key(tool["returns"], None, resource_of(tool["name"]))
    return owner[1] if owner and owner[1] in resources else None


def _finished(name: str, res: dict[str, Any]) -> dict[str, Any]:
    """The resource as the record carries it: fields in name order, no working state."""
    return {
        "name": name,
        "key": res["key"],
        "fields": [{"name": f, **spec} for f, spec in sorted(res["fields"].items())],
        "references": dict(sorted(res["references"].items())),
        "children": dict(sorted(res["children"].items())),
        "owner": res["owner"],
        "lifecycle": res["lifecycle"],
        "seen_in": sorted(res["seen_in"]),
    }
