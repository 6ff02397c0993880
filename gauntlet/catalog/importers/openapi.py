"""OpenAPI 3.0 / 3.1 (JSON or YAML): one tool per operation."""

from __future__ import annotations

import re
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

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
READ_METHODS = ("get", "head")
PARAM_PLACES = ("path", "query", "header")


def convert(spec: dict, file: str, issues: list) -> list[dict[str, Any]]:
    info = spec.get("info") if isinstance(spec.get("info"), dict) else {}
    tools = []
    first_tag = None
    for path, item in spec.get("paths", {}).items():
        if not isinstance(item, dict):
            issues.append(issue(file, None, f"paths/{path}", "a path item must be an object"))
            continue
        item = _deref(item, spec)
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            if first_tag is None and op.get("tags"):
                first_tag = op["tags"][0]
            tool = _operation(spec, path, method, op, shared, file, issues)
            if tool is not None:
                tools.append(tool)
    title = info.get("title") or first_tag or domain_from_file(file)
    if not tools:
        issues.append(issue(file, None, "paths", "no operations found"))
        return []
    return [
        {
            "domain": snake(title),
            "description": describe(info.get("description"), f"{title} (imported from OpenAPI)."),
            "tools": tools,
        }
    ]


def operation_name(method: str, path: str) -> str:
    """`get /pets/{petId}` -> `get_pets_petId`."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", path) if p]
    return "_".join([method, *parts])


def _operation(
    spec: dict, path: str, method: str, op: dict, shared: list, file: str, issues: list
) -> dict[str, Any] | None:
    name = op.get("operationId") or operation_name(method, path)
    props: dict[str, Any] = {}
    required: list[str] = []
    params = {}
    for raw in [*shared, *op.get("parameters", [])]:
        param = resolve(raw, spec, "parameters", name, file, issues)
        if not isinstance(param, dict) or "name" not in param:
            continue
        params[(param.get("in"), param["name"])] = param  # operation-level wins
    for (place, pname), param in params.items():
        if place not in PARAM_PLACES:
            continue
        schema = dict(param.get("schema") or {"type": "string"})
        if param.get("description") and "description" not in schema:
            schema["description"] = param["description"]
        props[pname] = schema
        if param.get("required") or place == "path":
            required.append(pname)
    body = _json_schema(_deref(op.get("requestBody"), spec))
    if body is not None:
        body = resolve(body, spec, "parameters", name, file, issues)
        if body is None:
            return None
        if isinstance(body, dict) and isinstance(body.get("properties"), dict):
            props.update(body["properties"])
            required += [r for r in body.get("required", []) if r not in required]
        elif body is not None:
            props["body"] = body
            required.append("body")
    parameters = {"type": "object", "properties": props, "required": required}
    returns = None
    for code, response in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
        if not str(code).startswith("2"):
            continue
        schema = _json_schema(_deref(response, spec))
        if schema is not None:
            schema = resolve(schema, spec, "returns", name, file, issues)
            if schema is None:
                return None  # the issue names the bad reference
            returns = object_schema(schema)
            break
    if returns is None:
        returns = inferred_returns(name, file, issues)
    summary = op.get("summary") or op.get("description")
    return {
        "name": name,
        "description": describe(summary, f"{method.upper()} {path}"),
        "parameters": clean(parameters),
        "returns": clean(returns),
        "effect": "read" if method in READ_METHODS else "write",
    }


def _deref(node: Any, spec: dict, depth: int = 0) -> Any:
    """Follow a top-level local `$ref` (a shared path item, body or response); else as is."""
    if not isinstance(node, dict) or not isinstance(node.get("$ref"), str) or depth > 8:
        return node
    target: Any = spec
    for part in node["$ref"].removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        target = target.get(part) if isinstance(target, dict) else None
    return _deref(target, spec, depth + 1) if isinstance(target, dict) else None


def _json_schema(holder: Any) -> Any:
    """The schema of a request body or response's JSON content, if it has one."""
    if not isinstance(holder, dict) or not isinstance(holder.get("content"), dict):
        return None
    content = holder["content"]
    for media in ["application/json", *sorted(content)]:
        entry = content.get(media)
        if "json" in media and isinstance(entry, dict) and "schema" in entry:
            return entry["schema"]
    return None


def clean(node: Any) -> Any:
    """OpenAPI 3.0 schema dialect -> JSON Schema 2020-12 (`nullable`, boolean exclusives)."""
    if isinstance(node, list):
        return [clean(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: clean(v) for k, v in node.items() if k not in ("nullable", "xml", "discriminator")}
    if node.get("nullable") is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            out["type"] = [*kind, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(bound)
        if isinstance(flag, bool):
            del out[bound]
            if flag and limit in out:
                out[bound] = out.pop(limit)
    return out
