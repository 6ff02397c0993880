"""Canonical JSON and content hashes: the basis of byte-identical outputs and data versions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any


def dumps(obj: Any) -> str:
    """Compact, key-sorted JSON: the same value always gives the same string."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(obj: Any) -> str:
    """sha256 of the canonical JSON of `obj`, hex."""
    return hashlib.sha256(dumps(obj).encode("utf-8")).hexdigest()


def digest_lines(lines: Iterable[str]) -> str:
    """sha256 over a stream of strings, each followed by a newline (JSON Lines content)."""
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()
