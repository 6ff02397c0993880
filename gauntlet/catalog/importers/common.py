"""What every importer shares: issues, names, effects, and schema clean-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gauntlet import names
from gauntlet.catalog.issues import Issue
from gauntlet.catalog.refs import RefError, inline_refs

MAX_NAME = 64


def issue(
    file: str, tool: str | None, field: str, message: str, severity: str = "rejected"
) -> Issue:
    return Issue(file, tool, field, message, severity)


def snake(text: str, limit: int = 40) -> str:
    """`Pet Store API` -> `pet_store_api`: a valid domain (`^[a-z][a-z0-9_]*$`)."""
    text = names.snake(str(text))
    if not text or not text[0].isalpha():
        text = f"d_{text}".rstrip("_")
    return text[:limit].rstrip("_") or "imported"


def domain_from_file(filename: str) -> str:
    return snake(Path(filename).stem)


def valid_name(name: str) -> str:
    """Invalid characters -> `_`, a leading non-letter prefixed, at most 64 characters."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", str(name)) or "tool"
    if not out[0].isalpha():
        out = f"t_{out}"
    return out[:MAX_NAME]


def effect_from_name(name: str) -> str:
    """`read` when the name's leading verb only looks things up, else `write`."""
    return "read" if names.leading_verb(name) in names.READ_VERBS else "write"


def inferred_returns(tool: str, file: str, issues: list) -> dict[str, Any]:
    """A minimal `returns` for a tool that declares none, with a warning saying so."""
    issues.append(
        issue(
            file,
            tool,
            "returns",
            "no output schema; inferred {result: string} so the world can answer it",
            "warning",
        )
    )
    return {
        "type": "object",
        "properties": {
            "result": {"type": "string", "description": f"What {tool} reports, as text."}
        },
        "required": [],
        "x-gauntlet-inferred": True,  # the world answers with the row (world/answers.py)
    }


def object_schema(schema: Any) -> dict[str, Any]:
    """A schema as an object schema: objects kept, anything else wrapped as `{result: ...}`."""
    if isinstance(schema, dict) and (schema.get("type") == "object" or "properties" in schema):
        return {"type": "object", **schema}
    return {"type": "object", "properties": {"result": schema}, "required": ["result"]}


def resolve(schema: Any, root: Any, field: str, tool: str, file: str, issues: list) -> Any:
    """Inline local `$ref`s (cycles cut with a warning); None (and an issue) when one is bad."""
    warnings: list[str] = []
    try:
        out = inline_refs(schema, root if isinstance(root, dict) else {}, field, warnings)
    except RefError as exc:
        issues.append(issue(file, tool, exc.field, str(exc)))
        return None
    for w in warnings:
        path, _, message = w.partition(": ")
        issues.append(issue(file, tool, path, message, "warning"))
    return out


def describe(text: Any, fallback: str) -> str:
    text = " ".join(str(text).split()) if isinstance(text, str) else ""
    return text or fallback
