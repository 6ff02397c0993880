"""Importers: detect a catalog's format by its content and turn it into native catalog dicts.

Each importer takes the parsed document and returns native catalogs (`{domain, description,
tools}`), one per domain; the loader then runs the same validation as for native files. Problems
an importer finds are appended to `issues` as `Issue`s naming the file, tool and field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gauntlet.catalog.refs import RefError, inline_refs

FORMATS = ("native", "openapi", "mcp", "openai", "bfcl")
READ_VERBS = frozenset(
    "get list search find fetch lookup read check show view query describe count".split()
)
MAX_NAME = 64


def detect(doc: Any, filename: str) -> str:
    """The format of a parsed document, by content: one of FORMATS, or `unknown`."""
    if isinstance(doc, dict):
        version = doc.get("openapi")
        if (
            isinstance(version, str)
            and re.match(r"^3\.[01]\.", version)
            and isinstance(doc.get("paths"), dict)
        ):
            return "openapi"
        if {"domain", "description", "tools"} <= set(doc):
            return "native"
        listing = doc.get("result") if isinstance(doc.get("result"), dict) else doc
        tools = listing.get("tools")
        if isinstance(tools, list) and tools and all(_is_mcp_tool(t) for t in tools):
            return "mcp"
        if {"name", "parameters"} <= set(doc):  # one BFCL function doc on its own
            return "bfcl"
        return "unknown"
    if isinstance(doc, list) and doc:
        if all(isinstance(t, dict) and t.get("type") == "function" for t in doc) and all(
            isinstance(t.get("function"), dict) for t in doc
        ):
            return "openai"
        if all(isinstance(t, dict) and {"name", "parameters"} <= set(t) for t in doc):
            return "bfcl"
        if all(_is_mcp_tool(t) for t in doc):
            return "mcp"
    return "unknown"


def _is_mcp_tool(tool: Any) -> bool:
    return isinstance(tool, dict) and "name" in tool and "inputSchema" in tool


def to_native(doc: Any, filename: str, issues: list) -> list[dict[str, Any]]:
    """Native catalog dicts (one per domain) for a detected non-native document."""
    from gauntlet.catalog.importers import bfcl, mcp, openai_tools, openapi

    fmt = detect(doc, filename)
    if fmt == "native":
        return [doc]
    converters = {
        "openapi": openapi.convert,
        "mcp": mcp.convert,
        "openai": openai_tools.convert,
        "bfcl": bfcl.convert,
    }
    if fmt not in converters:
        return []
    return converters[fmt](doc, filename, issues)


def issue(file: str, tool: str | None, field: str, message: str, severity: str = "rejected"):
    from gauntlet.catalog.loader import Issue

    return Issue(file, tool, field, message, severity)


def snake(text: str, limit: int = 40) -> str:
    """`Pet Store API` -> `pet_store_api`: a valid domain (`^[a-z][a-z0-9_]*$`)."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(text))
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
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
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    first = re.split(r"[^a-z0-9]+", words.strip("_."))[0] if words else ""
    return "read" if first in READ_VERBS else "write"


def inferred_returns(tool: str, file: str, issues: list) -> dict[str, Any]:
    """A minimal `returns` for a tool that declares none, with a warning saying so."""
    issues.append(
        issue(
            file,
            tool,
            "returns",
            "no output schema; inferred {result: string} so the simulator can answer it",
            "warning",
        )
    )
    return {
        "type": "object",
        "properties": {
            "result": {"type": "string", "description": f"What {tool} reports, as text."}
        },
        "required": [],
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
