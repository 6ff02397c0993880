"""Importers: detect a catalog's format by its content and turn it into native catalog dicts.

Each importer takes the parsed document and returns native catalogs (`{domain, description,
tools}`), one per domain; the loader then runs the same validation as for native files. Problems
an importer finds are appended to `issues` as `Issue`s naming the file, tool and field.
"""

from __future__ import annotations

import re
from typing import Any

from gauntlet.catalog.importers import bfcl, mcp, openai_tools, openapi

FORMATS = ("native", "openapi", "mcp", "openai", "bfcl")


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
