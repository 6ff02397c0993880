"""Entities inferred from schemas: `<kind>_id` fields name them, objects carrying one are them.

The world simulator and the tool graph share these rules, so "what is an order" means the
same thing when a response is made up as when tools are linked.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from gauntlet.seeds import derive_int

ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ID_RE = re.compile(r"^([A-Z]{3})-([A-Z2-9]{6})$")
VERBS = ("get", "list", "search", "find", "lookup", "fetch", "read", "show", "view", "check")


@cache  # called for every field of every response: a pure function of the name
def kind_of(field_name: str) -> str | None:
    """`order_id` -> `order`; `orderId` -> `order`; `id` alone names no kind."""
    m = re.match(r"^(.+?)(_id|_ID|Id|ID)$", field_name)
    if not m or not m.group(1).strip("_"):
        return None
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", m.group(1)).strip("_").lower()


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def id_fields(schema: dict[str, Any]) -> list[str]:
    """String `*_id` properties of an object schema, in declaration order."""
    return [
        p
        for p, s in schema.get("properties", {}).items()
        if kind_of(p) and s.get("type", "string") in ("string", ["string", "null"])
    ]


def own_id_field(
    schema: dict[str, Any], container: str | None, subject: str | None
) -> tuple[str, str] | None:
    """Which id property identifies the object itself, and the kind it names.

    `*_id` properties name their kind; a bare `id` takes it from the key the object sits
    under (`booking: {id}` is a booking) or, at the top level, from the tool's subject.
    """
    ids = id_fields(schema)
    if ids:
        if container:
            want = singular(container.lower())
            for p in ids:
                if kind_of(p) == want or want.endswith(kind_of(p) or "\0"):
                    return p, kind_of(p)
        if len(ids) == 1:
            return ids[0], kind_of(ids[0])
        if subject:
            for p in ids:
                if kind_of(p) == subject:
                    return p, subject
        return ids[0], kind_of(ids[0])
    bare = schema.get("properties", {}).get("id")
    owner = singular(container.lower()) if container else subject
    if bare is not None and bare.get("type", "string") == "string" and owner:
        return "id", re.sub(r"[^a-z0-9_]", "_", owner)
    return None


def subject_of(tool_name: str) -> str | None:
    """The entity a tool's name is about: `get_order_status` -> `order_status`, `order`..."""
    words = [w for w in tool_name.lower().split("_") if w]
    if words and words[0] in VERBS:
        words = words[1:]
    return "_".join(words) or None


def mint_id(seed: int, kind: str, *key: object) -> str:
    """An id the world will recognise: 4 body characters plus 2 that check them."""
    n = derive_int("id", seed, kind, *key)
    body = "".join(ID_ALPHABET[(n >> (5 * i)) & 31] for i in range(4))
    return f"{_prefix(kind)}-{body}{_check(seed, kind, body)}"


def is_minted(seed: int, kind: str, value: Any) -> bool:
    """True when `value` is an id this world's seed could have issued for `kind`."""
    if not isinstance(value, str):
        return False
    m = ID_RE.match(value)
    if not m or m.group(1) != _prefix(kind):
        return False
    body = m.group(2)
    return body[4:] == _check(seed, kind, body[:4])


@cache
def _prefix(kind: str) -> str:
    """`booking` -> BKN, `telescope_reservation` -> TRS: readable and rarely shared."""
    words = [re.sub(r"[^a-z]", "", w) for w in kind.lower().split("_")]
    words = [w for w in words if w] or ["x"]
    last = words[-1]
    tail = "".join(dict.fromkeys(re.sub(r"[aeiou]", "", last[1:])))
    letters = "".join(w[0] for w in words[:3]) + tail + last + "xxx"
    return letters[:3].upper()


def _check(seed: int, kind: str, body: str) -> str:
    n = derive_int("check", seed, kind, body)
    return ID_ALPHABET[n & 31] + ID_ALPHABET[(n >> 5) & 31]
