"""BFCL-style function docs (JSON list or JSON Lines): `{name, description, parameters, response?}`.

BFCL writes Python type names (`dict`, `float`, `tuple`, `any`), puts enums inside descriptions
(`... [Enum]: a, b` or `Enum: ['a', 'b']`) and writes absent defaults as the string `"None"`.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from gauntlet.catalog.importers.common import (
    describe,
    domain_from_file,
    effect_from_name,
    inferred_returns,
    issue,
    object_schema,
)

TYPES = {
    "dict": "object",
    "object": "object",
    "float": "number",
    "double": "number",
    "number": "number",
    "int": "integer",
    "integer": "integer",
    "long": "integer",
    "str": "string",
    "string": "string",
    "char": "string",
    "bool": "boolean",
    "boolean": "boolean",
    "list": "array",
    "tuple": "array",
    "array": "array",
    "arraylist": "array",
    "hashmap": "object",
    "null": "null",
}
NO_VALUE = ("none", "null", "")
# `any`: every JSON type, i.e. no constraint, still written as a `type` (ADP rule: typed params)
ANY = ["string", "number", "boolean", "array", "object", "null"]
ENUM_RE = re.compile(r"\[?\benum\b\]?\s*:\s*(.+?)\s*\.?\s*$", re.IGNORECASE | re.DOTALL)


def convert(doc: Any, file: str, issues: list) -> list[dict[str, Any]]:
    docs = doc if isinstance(doc, list) else [doc]
    tools = []
    for index, raw in enumerate(docs):
        name = raw.get("name") if isinstance(raw, dict) else None
        if not isinstance(name, str) or not name:
            issues.append(issue(file, f"#{index}", "name", "a function doc needs a name"))
            continue
        params = schema(
            raw.get("parameters") or {"type": "dict", "properties": {}},
            "parameters",
            name,
            file,
            issues,
        )
        if "response" in raw:
            returns = object_schema(schema(raw["response"], "returns", name, file, issues))
        else:
            returns = inferred_returns(name, file, issues)
        tools.append(
            {
                "name": name,
                "description": describe(raw.get("description"), f"The {name} function."),
                "parameters": params,
                "returns": returns,
                "effect": effect_from_name(name.rsplit(".", 1)[-1]),
            }
        )
    if not tools:
        return []
    domain = domain_from_file(file)
    return [{"domain": domain, "description": f"{domain} (BFCL functions).", "tools": tools}]


def schema(node: Any, field: str, tool: str, file: str, issues: list) -> Any:
    """One BFCL schema node as JSON Schema: types, enums, defaults; recursive."""
    if not isinstance(node, dict):
        return node
    out = dict(node)
    kind = out.get("type")
    if isinstance(kind, str):
        mapped = TYPES.get(kind.lower())
        if kind.lower() == "any":
            out["type"] = list(ANY)
        elif mapped is None:
            del out["type"]
            issues.append(
                issue(file, tool, f"{field}/type", f"unknown type {kind!r} dropped", "warning")
            )
        else:
            out["type"] = mapped
    if isinstance(out.get("properties"), dict):
        out["properties"] = {
            k: schema(v, f"{field}/properties/{k}", tool, file, issues)
            for k, v in out["properties"].items()
        }
        if out.get("type") is None:
            out["type"] = "object"
    for key in ("items", "additionalProperties"):
        if isinstance(out.get(key), dict):
            out[key] = schema(out[key], f"{field}/{key}", tool, file, issues)
    if "enum" not in out and isinstance(out.get("description"), str):
        values = enum_from(out["description"])
        if values:
            out["enum"] = [coerce(v, out.get("type")) for v in values]
    if "default" in out:
        value = out["default"]
        if isinstance(value, str) and value.strip().lower() in NO_VALUE:
            del out["default"]
        elif isinstance(value, str) and out.get("type") not in (None, "string"):
            converted = coerce(value, out["type"])
            if isinstance(converted, str):
                del out["default"]
            else:
                out["default"] = converted
    return out


def enum_from(description: str) -> list[str]:
    """`Unit. [Enum]: cm, m` / `Enum: ['cm', 'm']` -> ['cm', 'm']."""
    match = ENUM_RE.search(description)
    if not match:
        return []
    text = match.group(1).strip()
    if text.startswith(("[", "(")):
        try:
            values = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values = text.strip("[]()").split(",")
        return [str(v).strip().strip("'\"") for v in values if str(v).strip()]
    return [v.strip().strip("'\"") for v in text.split(",") if v.strip()]


def coerce(value: Any, kind: Any) -> Any:
    """A string value as the schema's type when it parses, else unchanged."""
    if not isinstance(value, str):
        return value
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if kind in ("array", "object"):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
        return list(parsed) if isinstance(parsed, tuple) else parsed
    return value
