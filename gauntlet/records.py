"""Records that cross a stage boundary are validated against the JSON Schemas in `schemas/`."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from gauntlet.resources import SCHEMAS_DIR
from gauntlet.validation import Checker, check_schema


class RecordError(ValueError):
    """A record does not match its schema; the message names the record and the field."""


@cache
def validator(kind: str) -> Checker:
    """The compiled validator for `schemas/<kind>.schema.json`."""
    path = SCHEMAS_DIR / f"{kind}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    check_schema(schema)
    return Checker(schema)


def errors(kind: str, record: Any) -> list[str]:
    """Every schema violation as `field: message`, empty when the record is valid."""
    out = []
    for err in sorted(validator(kind).iter_errors(record), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(record)"
        out.append(f"{where}: {err.message}")
    return out


def check(kind: str, record: Any, label: str = "") -> None:
    """Raise RecordError naming the record and the first offending field."""
    problems = errors(kind, record)
    if problems:
        name = label or (record.get("id") if isinstance(record, dict) else None) or kind
        raise RecordError(f"{kind} {name}: {problems[0]}")
