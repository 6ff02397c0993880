"""Seeded randomness: every random choice draws from a generator derived from its context.

There is no global random state anywhere in Gauntlet; a generator is derived from the run
seed plus the keys that identify what is being decided (partition, record id, purpose), so
adding a record never shifts the choices made for another.
"""

from __future__ import annotations

import hashlib
import random


def derive_int(*keys: object) -> int:
    """A stable 63-bit integer from any keys (str() of each, joined unambiguously)."""
    text = "\x1f".join(str(k) for k in keys)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def rng(*keys: object) -> random.Random:
    """A private `random.Random` seeded from the keys."""
    return random.Random(derive_int(*keys))
