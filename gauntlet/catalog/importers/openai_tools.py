"""OpenAI tool lists: `[{"type": "function", "function": {name, description, parameters}}]`."""

from __future__ import annotations

from typing import Any

from gauntlet.catalog.importers.common import (
    describe,
    domain_from_file,
    effect_from_name,
    inferred_returns,
    issue,
    resolve,
)

EMPTY = {"type": "object", "properties": {}, "required": []}


def convert(doc: list, file: str, issues: list) -> list[dict[str, Any]]:
    domain = domain_from_file(file)
    tools = []
    for index, entry in enumerate(doc):
        fn = entry.get("function") or {}
        name = fn.get("name")
        if not isinstance(name, str) or not name:
            issues.append(issue(file, f"#{index}", "function/name", "a function needs a name"))
            continue
        params = fn.get("parameters", EMPTY)  # OpenAI allows a tool without parameters
        params = resolve(params, params, "parameters", name, file, issues)
        if params is None:
            continue
        tools.append(
            {
                "name": name,
                "description": describe(fn.get("description"), f"The {name} function."),
                "parameters": params,
                "returns": inferred_returns(name, file, issues),
                "effect": effect_from_name(name),
            }
        )
    if not tools:
        return []
    return [{"domain": domain, "description": f"{domain} (OpenAI tools).", "tools": tools}]
