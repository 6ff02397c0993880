"""Vocabulary for realistic values: which words in a field name call for which kind of value.

The tables are data (`data/words/values.yaml`); this module reads them once and hands them to
`values.py` (the generator) in the shapes it uses.
"""

from __future__ import annotations

from typing import Any

import yaml

from gauntlet.resources import WORDS_DIR


def _load() -> dict[str, Any]:
    return yaml.safe_load((WORDS_DIR / "values.yaml").read_text(encoding="utf-8"))


_TABLES = _load()
# field-name word -> pool name; the first word that matches wins (checked right to left).
NAME_HINTS: dict[str, str] = _TABLES["name_hints"]
NUMBER_HINTS: dict[str, tuple[float, float]] = {
    k: tuple(v) for k, v in _TABLES["number_hints"].items()
}
INT_HINTS: dict[str, tuple[int, int]] = {k: tuple(v) for k, v in _TABLES["int_hints"].items()}
STATIC_POOLS: dict[str, list[str]] = _TABLES["static_pools"]
NAMED_THINGS: frozenset[str] = frozenset(_TABLES["named_things"])
NUMBERED_THINGS: frozenset[str] = frozenset(_TABLES["numbered_things"])
