"""How a tool's objects name their resource: which property is the key, what an `*_id` or
`*Ids` points at, what a tool's name is about, which row a write makes."""

from __future__ import annotations

from typing import Any

import yaml

from gauntlet.names import READ_VERBS, STATUS_VERBS, kind_of, singular, snake, words
from gauntlet.resources import WORDS_DIR

_WORDS = yaml.safe_load((WORDS_DIR / "world.yaml").read_text(encoding="utf-8"))
REQUEST_METADATA = frozenset(_WORDS["request_metadata"])
GENERIC_CONTAINERS = frozenset(_WORDS["generic_containers"])

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


def resource_of(tool_name: str) -> str | None:
    """The resource a tool's name is about: `getPetById` -> pet, `list_my_tickets` -> ticket,
    `cancel_food_order` -> food_order. The verb and any `by`/`for` qualifier are dropped."""
    split = list(words(tool_name))
    if len(split) > 1 and split[0] in OPERATION_VERBS:  # one verb: `get_return_status`
        split = split[1:]
    while split and split[0] in ("my", "all", "the", "a"):
        split = split[1:]
    for stop in QUALIFIERS:
        if stop in split:
            split = split[: split.index(stop)]
    if not split:
        return None
    return "_".join([*split[:-1], singular(split[-1])])


def own_key(
    schema: dict[str, Any], container: str | None, subject: str | None
) -> tuple[str, str] | None:
    """Which property keys the object itself, and the resource it names: an `<x>_id` that
    matches the key it sits under or the tool's subject, else the only one; a bare `id` takes
    its resource from the key it sits under or, at the top, from the tool's subject. Keys may
    be strings or integers, as the schema says."""
    props = schema.get("properties", {})
    keys = [p for p, sub in props.items() if kind_of(p) and type_of(sub) in KEY_TYPES]
    if container and snake(container) in GENERIC_CONTAINERS:
        container = None  # `result: [...]` holds the tool's subject
    want = singular(snake(container)) if container else subject
    if keys:
        for p in keys:
            kind = kind_of(p)
            if want and (kind == want or want.endswith(f"_{kind}")):
                return p, kind
        for p in keys:  # `get_return_status` is about the return, not its order
            if want and want.startswith(f"{kind_of(p)}_"):
                return p, kind_of(p)
        return keys[0], kind_of(keys[0])
    bare = next((p for p in BARE_KEYS if p in props and type_of(props[p]) in KEY_TYPES), None)
    if bare and want:
        return bare, want
    return None


def id_kind(name: str) -> str | None:
    """`order_id` / `orderId` -> order; `order_ids` / `orderIds` -> order; `X-Request-Id` and
    other request metadata -> None."""
    split = words(name)
    if split and set(split[:-1]) and set(split[:-1]) <= REQUEST_METADATA:
        return None  # `X-Request-Id`, `correlation_id`; `leave_request_id` names a row
    kind = kind_of(name)
    if kind:
        return snake(kind)
    if len(split) > 1 and split[-1] == "ids":
        return singular("_".join(split[:-1])) if split[-2:-1] else None
    return None


def type_of(schema: dict[str, Any]) -> str:
    typ = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(typ, list):
        typ = next((t for t in typ if t != "null"), "null")
    return typ


def names_resource(container: str, resource: str) -> bool:
    """Does a property name say it holds this resource (`open_tickets` holds tickets)?"""
    want = singular(snake(container))
    return want == resource or want.endswith(f"_{resource}")


def made_by(tool: dict[str, Any]) -> tuple[str, str] | None:
    """(key, resource) of the row a write creates: a top-level key it returns but did not take."""
    if tool["effect"] != "write":
        return None
    params = tool["parameters"].get("properties", {})
    props = tool["returns"].get("properties", {})
    fresh = [
        p
        for p, sub in props.items()
        if id_kind(p) and p not in params and type_of(sub) in KEY_TYPES
    ]
    fresh = [p for p in fresh if id_kind(p) != SESSION]
    if not fresh:
        return None
    about = resource_of(tool["name"]) or ""
    best = next((p for p in fresh if about.endswith(id_kind(p) or "\0")), fresh[0])
    return best, id_kind(best)


def listed_resource(tool: dict[str, Any], resources: dict) -> str | None:
    """The resource of the first array of keyed objects a read tool returns."""
    for prop, sub in tool["returns"].get("properties", {}).items():
        if type_of(sub) == "array" and type_of(sub.get("items", {})) == "object":
            owner = own_key(sub["items"], prop, resource_of(tool["name"]))
            if owner:
                return owner[1] if owner[1] in resources else None
            if snake(prop) in GENERIC_CONTAINERS and resource_of(tool["name"]) in resources:
                return resource_of(tool["name"])  # keyless rows of the tool's subject
    return None


def returned_resource(tool: dict[str, Any], resources: dict) -> str | None:
    owner = own_key(tool["returns"], None, resource_of(tool["name"]))
    return owner[1] if owner and owner[1] in resources else None
