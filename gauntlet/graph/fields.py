"""The fields a tool returns, each with its JSON pointer and its normalized name.

Normalized names are how the graph links tools (`booking.id` and `booking_id` meet under one
key) and how agents read what a tool gives back.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gauntlet.names import singular, snake


@dataclass(frozen=True)
class Field:
    """A value a tool returns: where it is (JSON pointer, `*` for array items) and what it is."""

    pointer: str
    name: str
    key: str
    type: str


@functools.lru_cache(maxsize=65536)
def normalize(name: str, parent: str | None = None) -> str:
    """`departureDate` -> `departure_date`; an `id` inside `booking` -> `booking_id`."""
    plain = snake(name)
    if plain in ("id", "uuid", "key") and parent:
        return f"{singular(normalize(parent))}_id"
    return plain


def fields_of(
    schema: dict[str, Any], pointer: str = "", parent: str | None = None
) -> Iterator[Field]:
    """Every scalar (and array-of-scalar) field of an object schema, depth first."""
    for name, sub in schema.get("properties", {}).items():
        here = f"{pointer}/{name}"
        kind = sub.get("type", "string")
        kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
        if kind == "object":
            yield from fields_of(sub, here, name)
        elif kind == "array" and sub.get("items", {}).get("type") == "object":
            yield from fields_of(sub["items"], f"{here}/*", name)
        else:
            yield Field(here, name, normalize(name, parent), kind)
