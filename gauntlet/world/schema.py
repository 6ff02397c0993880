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

import json
from collections import Counter, defaultdict
from typing import Any

from gauntlet import canonical
from gauntlet.names import kind_of, singular, snake, words
from gauntlet.world.keyed import (
    GENERIC_CONTAINERS,
    SESSION,
    SESSION_WORDS,
    SIGN_IN_WORDS,
    id_kind,
    made_by,
    names_resource,
    own_key,
    resource_of,
    type_of,
)
from gauntlet.world.kinds import PERSON_RESOURCES, is_secret, value_kind
from gauntlet.world.tool_operations import lifecycle_of, operation


def infer(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One world schema record per domain (schemas/world_schema), domains in name order."""
    by_domain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for tool in tools:
        by_domain[tool["domain"]].append(tool)
    return [infer_domain(domain, by_domain[domain]) for domain in sorted(by_domain)]


def infer_domain(domain: str, tools: list[dict[str, Any]]) -> dict[str, Any]:
    """One domain's world schema. The tools are read with their keys sorted, as the lake
    stores them: the same catalog infers the same world however its files order fields."""
    tools = [json.loads(canonical.dumps(t)) for t in sorted(tools, key=lambda t: t["name"])]
    resources: dict[str, dict[str, Any]] = {}
    sign_in = [t for t in tools if _is_sign_in(t)]
    principal = _principal(tools, sign_in)
    for tool in tools:
        marked = {**tool, "_sign_in": True} if tool in sign_in else tool
        _collect(marked, resources, principal if tool in sign_in else None)
    _merge_alike(tools, resources)
    _add_consumed(tools, resources)
    _add_named(tools, resources)
    operations = [operation(t, resources, principal, t in sign_in) for t in tools]
    _relations(resources, operations)
    _ownership(resources, operations, principal)
    _add_categories(tools, resources, operations)
    for name, res in resources.items():
        res["lifecycle"] = lifecycle_of(name, res, tools, operations)
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
            "lookups": set(),
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
    top = made_by(tool) or own_key(tool["returns"], None, subject)
    if principal and tool.get("_sign_in"):
        top = _principal_key(tool, principal) or top

    def walk(
        schema: dict[str, Any], container: str | None, parent: str | None, many: bool = False
    ) -> None:
        wrapped = (
            container is not None and parent is None and snake(container) in GENERIC_CONTAINERS
        )
        owner = (
            top if container is None else own_key(schema, container, subject if wrapped else None)
        )
        if owner and many and parent and not names_resource(container, owner[1]):
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
            typ = type_of(sub)
            if here is not None and _money_object(sub):  # `unit_price: {amount, currency}`
                _add_field(_resource(resources, here), prop, sub, here)
            elif typ == "object" and "properties" in sub:
                walk(sub, prop, here)
            elif typ == "array" and type_of(sub.get("items", {})) == "object":
                walk(sub["items"], prop, here, many=True)
            elif tool.get("_sign_in") and id_kind(prop) == SESSION:
                _set_key(_resource(resources, SESSION), prop, sub)
            elif here is not None and (owner is None or prop != owner[0]):
                target = _session_or(here, prop, principal, tool)
                _add_field(_resource(resources, target), prop, sub, target)

    walk(tool["returns"], None, None)
    if principal and tool.get("_sign_in"):  # who signs in with an email has an email
        for prop, sub in params.items():
            if not is_secret(prop, sub) and not id_kind(prop):
                _add_field(_resource(resources, principal), prop, sub, principal)
    made = made_by(tool)
    if made:  # a create's parameters are the new row's fields
        for prop, sub in params.items():
            if not is_secret(prop, sub) and id_kind(prop) != SESSION:
                _add_field(_resource(resources, made[1]), prop, sub, made[1])


def _principal_key(tool: dict[str, Any], principal: str) -> tuple[str, str] | None:
    for prop in tool["returns"].get("properties", {}):
        if id_kind(prop) == principal:
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
            kind = id_kind(prop)
            if kind and kind not in resources and type_of(sub) in ("string", "integer"):
                res = _resource(resources, kind)
                _set_key(res, prop, sub)


def _merge_alike(tools: list[dict[str, Any]], resources: dict) -> None:
    """One resource seen under several names (a `user` object as `owner` and as `author`: the
    spec's `$ref`s are inlined, so only its shape tells) is one resource: same key, same
    fields. The name a tool is about wins (`getUserByName` -> user), else the shortest."""
    subjects = {resource_of(t["name"]) for t in tools}
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name, res in resources.items():
        if res["key"]["field"] is not None and res["fields"]:
            groups[(res["key"]["field"], frozenset(res["fields"]))].append(name)
    for names in groups.values():
        if len(names) < 2:
            continue
        keep = min(names, key=lambda n: (n not in subjects, len(n), n))
        for name in names:
            if name == keep:
                continue
            gone = resources.pop(name)
            resources[keep]["seen_in"] += [
                t for t in gone["seen_in"] if t not in resources[keep]["seen_in"]
            ]
            for res in resources.values():
                res["children"] = {p: keep if c == name else c for p, c in res["children"].items()}
                if name in res.get("parts", ()):
                    res["parts"] = (res["parts"] - {name}) | {keep}


def _add_named(tools: list[dict[str, Any]], resources: dict) -> None:
    """A tool whose answer carries no key still acts on the thing its name says (`get_weather`
    reads weather, `create_reminder` makes a reminder): keyless rows, looked up by what the
    call gives, so a tool without an output schema can still be a goal."""
    for tool in tools:
        props = tool["parameters"].get("properties", {})
        if own_key(tool["returns"], None, resource_of(tool["name"])) or made_by(tool):
            continue
        if any(id_kind(p) in resources for p in props):
            continue  # it acts on a keyed row it takes the key of
        name = resource_of(tool["name"])
        if not name or name == SESSION or name == snake(tool["name"]):
            continue  # no verb to strip: a function (`convert_length`), not a resource
        if name in resources and resources[name]["key"]["field"]:
            continue  # a keyed row it finds by another name (`mergePullRequest(pid)`)
        res = _resource(resources, name)
        res["seen_in"].append(tool["name"])
        for prop, sub in {**props, **tool["returns"].get("properties", {})}.items():
            if not is_secret(prop, sub) and type_of(sub) not in ("object", "array"):
                _add_field(res, prop, sub, name)


def _add_categories(tools: list[dict[str, Any]], resources: dict, operations: list[dict]) -> None:
    """A list filter with a fixed set of values (`state: open|merged|declined`) is an
    attribute its rows have, even when no answer shows it."""
    by_name = {t["name"]: t for t in tools}
    for op in operations:
        if op["op"] in ("list", "search") and op["resource"] in resources:
            props = by_name[op["tool"]]["parameters"].get("properties", {})
            for param in op["filters"]:
                if "enum" in props[param] and type_of(props[param]) == "string":
                    _add_field(resources[op["resource"]], param, props[param], op["resource"])


def _set_key(res: dict[str, Any], field: str, schema: dict[str, Any]) -> None:
    key = res["key"]
    if key["field"] is None or (key["field"] == "id" and field != "id"):
        key["field"] = field
    typ = type_of(schema)
    if typ in ("integer", "number"):
        key["type"] = "integer"
    elif schema.get("format") == "uuid":
        key["format"] = "uuid"
    if schema.get("pattern") and not key["pattern"]:
        key["pattern"] = schema["pattern"]
    for bound in ("minLength", "maxLength", "minimum", "maximum"):
        if bound in schema:
            key[bound] = schema[bound]


def _money_object(schema: dict[str, Any]) -> bool:
    """An amount with its currency and nothing else that names a row: one value, not a
    group of the row's fields (a line's unit price and its total are two of them)."""
    props = schema.get("properties", {})
    if type_of(schema) != "object" or not props or any(id_kind(p) for p in props):
        return False
    kinds = {value_kind(p, sub) for p, sub in props.items()}
    return "money" in kinds and "currency" in kinds and len(props) <= 4


def _add_field(res: dict[str, Any], name: str, schema: dict[str, Any], resource: str) -> None:
    if name in res["fields"]:
        return
    kind = value_kind(name, schema, resource=resource)
    ref = id_kind(name)
    res["fields"][name] = {
        "type": type_of(schema),
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
            kind = id_kind(prop)
            if kind and kind != SESSION:
                return kind
        subject = [w for w in words(tool["name"]) if w not in SIGN_IN_WORDS and w != "in"]
        if subject:
            return snake("_".join(subject))
    taken = Counter(
        id_kind(p) for t in tools for p in t["parameters"].get("properties", {}) if id_kind(p)
    )
    people = [k for k, _ in taken.most_common() if k in PERSON_RESOURCES]
    return people[0] if people else None


def _relations(resources: dict[str, dict[str, Any]], operations: list[dict]) -> None:
    """References by id (`doctor_id` -> doctor) and by a natural key another resource is
    looked up by (`username` on a repository -> the user with that username)."""
    for op in operations:
        res = resources.get(op["resource"] or "")
        if res and op["key"] and op["key"] != res["key"]["field"] and op["key"] in res["fields"]:
            res["lookups"].add(op["key"])
    for name, res in resources.items():
        for field, spec in res["fields"].items():
            target = id_kind(field)
            if spec["kind"] == "reference" and target:
                res["references"][field] = target if target in resources else None
            elif field != res["key"]["field"]:
                owners = [
                    t for t, other in resources.items() if t != name and field in other["lookups"]
                ]
                if owners and field not in res["lookups"]:
                    res["references"][field] = sorted(owners)[0]
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


def _belongs_to_person(field: str) -> bool:
    """On a sign-in's answer, which fields describe the person rather than the session."""
    return not (SESSION_WORDS & set(words(field)))


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
        "lookups": sorted(res["lookups"]),
    }
