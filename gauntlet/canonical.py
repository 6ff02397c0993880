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


def data_version(records: Iterable[Any]) -> str:
    """The short data version of a list of records: the first 16 hex characters of the hash
    the store records as the partition's content hash (`digest_lines` of canonical lines).

    The one definition of `catalog_version` and `graph_version`, whichever path computes it.
    """
    return digest_lines(dumps(r) for r in records)[:16]
