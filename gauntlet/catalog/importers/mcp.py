"""MCP `tools/list` results (bare, or inside a JSON-RPC response)."""

from __future__ import annotations

from typing import Any

from gauntlet.catalog.importers.common import (
    describe,
    domain_from_file,
    inferred_returns,
    issue,
    object_schema,
    resolve,
    snake,
)


def convert(doc: Any, file: str, issues: list) -> list[dict[str, Any]]:
    listing = doc.get("result", doc) if isinstance(doc, dict) else {"tools": doc}
    server = listing.get("serverInfo") or (doc.get("serverInfo") if isinstance(doc, dict) else None)
    server_name = server.get("name") if isinstance(server, dict) else None
    domain = snake(server_name) if server_name else domain_from_file(file)
    tools = []
    for index, raw in enumerate(listing.get("tools", [])):
        name = raw.get("name") if isinstance(raw, dict) else None
        if not isinstance(name, str) or not name:
            issues.append(issue(file, f"#{index}", "name", "an MCP tool needs a name"))
            continue
        params = resolve(
            raw.get("inputSchema"), raw.get("inputSchema"), "parameters", name, file, issues
        )
        if params is None:
            continue
        if "outputSchema" in raw:
            returns = resolve(
                raw["outputSchema"], raw["outputSchema"], "returns", name, file, issues
            )
            if returns is None:
                continue
            returns = object_schema(returns)
        else:
            returns = inferred_returns(name, file, issues)
        annotations = raw.get("annotations") if isinstance(raw.get("annotations"), dict) else {}
        tools.append(
            {
                "name": name,
                "description": describe(
                    raw.get("description") or annotations.get("title"), f"The {name} tool."
                ),
                "parameters": params,
                "returns": returns,
                "effect": "read" if annotations.get("readOnlyHint") is True else "write",
            }
        )
    if not tools:
        return []
    return [
        {"domain": domain, "description": f"{server_name or domain} (MCP server).", "tools": tools}
    ]
