"""Load a folder of native catalogs: every problem is reported with file, tool and field.

A bad file or a bad tool is rejected with an `Issue`; the good catalogs in the same folder
still load, so one broken file never stops a run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from gauntlet import canonical, records
from gauntlet.catalog.refs import RefError, inline_refs

TOOL_KEYS = ("name", "description", "parameters", "returns", "effect")
NAME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]{0,63}$")
# Names ADP tooling treats as built-ins or browser verbs (ADP.md rule 9): renamed on import.
RESERVED_NAMES = frozenset(
    "finish think submit stop bash terminal python click type fill goto scroll back hover "
    "press noop execute_bash str_replace_editor browser".split()
)


@dataclass(frozen=True)
class Issue:
    """One problem found while loading: `severity` is `rejected` (dropped) or `warning` (kept)."""

    file: str
    tool: str | None
    field: str
    message: str
    severity: str = "rejected"

    def __str__(self) -> str:
        where = f"{self.file}" + (f", tool {self.tool!r}" if self.tool else "")
        return f"{where}, field {self.field}: {self.message} ({self.severity})"


@dataclass
class CatalogLoad:
    """What a folder yielded: normalized tools, every issue, and the content version."""

    tools: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return canonical.digest(self.tools)[:16]


def load_folder(folder: str | Path) -> CatalogLoad:
    """Load every `*.json` catalog in `folder` (sorted by name, so the result is stable)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"catalog folder {folder} does not exist")
    out = CatalogLoad()
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        out.files.append(path.name)
        for tool in _load_file(path, out):
            owner = seen.get(tool["name"])
            if owner is not None:
                out.issues.append(
                    Issue(path.name, tool["name"], "name", f"duplicate tool name, first in {owner}")
                )
                continue
            seen[tool["name"]] = path.name
            out.tools.append(tool)
    return out


def _load_file(path: Path, out: CatalogLoad) -> list[dict[str, Any]]:
    name = path.name
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        out.issues.append(Issue(name, None, "(file)", f"invalid JSON: {exc}"))
        return []
    if not isinstance(doc, dict):
        out.issues.append(Issue(name, None, "(file)", "a catalog must be a JSON object"))
        return []
    shape = {k: v for k, v in doc.items() if k != "tools"}
    shape["tools"] = (
        [{}] if isinstance(doc.get("tools"), list) and doc["tools"] else doc.get("tools")
    )
    problems = records.errors("catalog", shape)
    if problems:
        field_name, _, message = problems[0].partition(": ")
        out.issues.append(Issue(name, None, field_name, message))
        return []
    tools = []
    for index, raw in enumerate(doc["tools"]):
        tool = _normalize_tool(raw, index, doc, name, out)
        if tool is not None:
            tools.append(tool)
    return tools


def _normalize_tool(
    raw: Any, index: int, doc: dict, file: str, out: CatalogLoad
) -> dict[str, Any] | None:
    label = raw.get("name") if isinstance(raw, dict) and isinstance(raw.get("name"), str) else None
    label = label or f"#{index}"

    def reject(field_name: str, message: str) -> None:
        out.issues.append(Issue(file, label, field_name, message))

    if not isinstance(raw, dict):
        reject(f"tools/{index}", "a tool must be an object")
        return None
    for key in TOOL_KEYS:
        if key not in raw:
            reject(key, "missing required key")
            return None
    extra = sorted(set(raw) - set(TOOL_KEYS))
    if extra:
        reject(extra[0], "unknown key")
        return None
    name = raw["name"]
    if not isinstance(name, str) or not NAME_RE.match(name):
        reject("name", "must match ^[a-zA-Z][a-zA-Z0-9_]{0,63}$")
        return None
    if not isinstance(raw["description"], str) or not raw["description"].strip():
        reject("description", "must be a non-empty string")
        return None
    if raw["effect"] not in ("read", "write"):
        reject("effect", f"must be 'read' or 'write', got {raw['effect']!r}")
        return None
    schemas = {}
    for key in ("parameters", "returns"):
        schema = _object_schema(raw[key], key, doc, file, label, out)
        if schema is None:
            return None
        schemas[key] = schema
    final = name
    if name.lower() in RESERVED_NAMES:
        final = f"{doc['domain']}_{name}"
        out.renamed[f"{doc['domain']}.{name}"] = final
        out.issues.append(
            Issue(file, name, "name", f"reserved by ADP tooling, renamed to {final!r}", "warning")
        )
    return {
        "name": final,
        "description": " ".join(raw["description"].split()),
        "parameters": schemas["parameters"],
        "returns": schemas["returns"],
        "effect": raw["effect"],
        "domain": doc["domain"],
        "source": {"file": file, "original_name": name},
    }


def _object_schema(
    schema: Any, key: str, doc: dict, file: str, tool: str, out: CatalogLoad
) -> dict[str, Any] | None:
    """Inline refs, check it is an object schema, and close it (`additionalProperties: false`)."""
    if not isinstance(schema, dict):
        out.issues.append(Issue(file, tool, key, "must be a JSON Schema object"))
        return None
    warnings: list[str] = []
    try:
        schema = inline_refs(schema, doc, key, warnings)
    except RefError as exc:
        out.issues.append(Issue(file, tool, exc.field, str(exc)))
        return None
    for w in warnings:
        path, _, message = w.partition(": ")
        out.issues.append(Issue(file, tool, path, message, "warning"))
    if schema.get("type") != "object":
        out.issues.append(Issue(file, tool, f"{key}/type", 'must be "object"'))
        return None
    props = schema.get("properties", {})
    if not isinstance(props, dict) or not all(isinstance(v, dict) for v in props.values()):
        out.issues.append(Issue(file, tool, f"{key}/properties", "must map names to schemas"))
        return None
    required = schema.get("required", [])
    missing = [r for r in required if r not in props] if isinstance(required, list) else required
    if not isinstance(required, list) or missing:
        out.issues.append(
            Issue(file, tool, f"{key}/required", f"names undeclared properties: {missing}")
        )
        return None
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        out.issues.append(Issue(file, tool, f"{key}/{where}".rstrip("/"), exc.message))
        return None
    closed = {"type": "object", **schema, "properties": props, "required": list(required)}
    if key == "parameters":
        closed.setdefault("additionalProperties", False)
    return closed
