"""Ids the world issues: readable (`BKN-7QXA4F`), seeded, and carrying a check.

A made-up id fails the check and gets `not_found`, the way a real API answers.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from gauntlet.seeds import derive_int

ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ID_RE = re.compile(r"^([A-Z]{3})-([A-Z2-9]{6})$")


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
