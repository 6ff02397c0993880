"""Keys typed as the schema says: integers stay integers, uuids are uuids, a pattern is
matched, and a plain string id is a readable one that carries a check (`ORD-7QXA4F`).

One id style for every API would fail a real spec's reference run (an integer `petId`, a
digit-only snowflake), so the key spec the world schema inferred decides.
"""

from __future__ import annotations

import uuid
from typing import Any

from gauntlet.seeds import derive_int
from gauntlet.world.ids import mint_id
from gauntlet.world.patterns import from_pattern

Key = str | int


def make_key(spec: dict[str, Any], resource: str, seed: int, n: int) -> Key:
    """The n-th key of `resource` in a world seeded with `seed`; distinct for distinct n."""
    if spec.get("type") == "integer":
        low = int(spec.get("minimum", 1))
        high = int(spec.get("maximum", 10**9))
        span = max(high - low, 1)
        start = derive_int("key", seed, resource) % max(span // 2, 1)
        step = 1 + derive_int("key-step", seed, resource) % 17
        return low + (start + n * step) % span
    if spec.get("format") == "uuid":
        return str(uuid.UUID(int=derive_int("uuid", seed, resource, n) << 65 | n, version=4))
    pattern = spec.get("pattern")
    if pattern:
        for attempt in range(50):
            value = from_pattern(pattern, (seed, resource, n, attempt))
            if attempt or value:  # patterns with few options may repeat: the caller checks
                return value
    return mint_id(seed, resource, n)


def matches(spec: dict[str, Any], value: Any) -> bool:
    """Could `value` be a key of this spec? (A made-up id of the wrong shape is `not_found`.)"""
    if spec.get("type") == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str) and bool(value)
