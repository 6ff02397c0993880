"""Load a folder of catalogs: every problem is reported with file, tool and field.

Files may be native catalogs or any format `gauntlet.catalog.importers` detects (OpenAPI, MCP,
OpenAI tools, BFCL); imported ones are converted to native catalogs first, then go through the
same validation. A bad file or a bad tool is rejected with an `Issue`; the good catalogs in the
same folder still load, so one broken file never stops a run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import SchemaError

from gauntlet import canonical, names, records
from gauntlet.catalog import importers
from gauntlet.catalog.importers.common import MAX_NAME, valid_name
from gauntlet.catalog.issues import Issue
from gauntlet.catalog.refs import RefError, inline_refs
from gauntlet.validation import check_schema

TOOL_KEYS = ("name", "description", "parameters", "returns", "effect")
NAME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]{0,63}$")


@dataclass
class CatalogLoad:
    """What a folder yielded: normalized tools, every issue, and the content version."""

    tools: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)  # file -> detected format
    imported: dict[str, int] = field(default_factory=dict)  # file -> tools loaded from it

    @property
    def version(self) -> str:
        return canonical.data_version(self.tools)


def load_folder(folder: str | Path) -> CatalogLoad:
    """Load every catalog file in `folder` (sorted by name, so the result is stable).

    Names are unique across the folder: a name an earlier tool of another domain holds becomes
    `<domain>_<name>` (warning); a duplicate within one domain is rejected.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"catalog folder {folder} does not exist")
    out = CatalogLoad()
    seen: dict[str, tuple[str, str]] = {}  # name -> (file, domain)
    paths = sorted(
        {p for pattern in names.CATALOG_PATTERNS for p in folder.glob(pattern)}
        - {folder / names.WORLD_OVERRIDE},  # the world-schema override, not a catalog
        key=lambda p: p.name,
    )
    for path in paths:
        out.files.append(path.name)
        count = 0
        for tool in _load_file(path, out):
            tool = _unique(tool, seen, out)
            if tool is None:
                continue
            seen[tool["name"]] = (path.name, tool["domain"])
            out.tools.append(tool)
            count += 1
        out.imported[path.name] = count
    return out


def _unique(tool: dict[str, Any], seen: dict, out: CatalogLoad) -> dict[str, Any] | None:
    file, name, domain = tool["source"]["file"], tool["name"], tool["domain"]
    owner = seen.get(name)
    if owner is None:
        return tool
    if owner[1] == domain:
        out.issues.append(Issue(file, name, "name", f"duplicate tool name, first in {owner[0]}"))
        return None
    final = f"{domain}_{name}"[:MAX_NAME]
    if final in seen:
        out.issues.append(
            Issue(file, name, "name", f"duplicate tool name, {final!r} also taken ({owner[0]})")
        )
        return None
    out.renamed[f"{domain}.{tool['source']['original_name']}"] = final
    out.issues.append(
        Issue(
            file,
            name,
            "name",
            f"also a tool of domain {owner[1]!r} ({owner[0]}), renamed to {final!r}",
            "warning",
        )
    )
    return {**tool, "name": final}


def _parse(path: Path) -> Any:
    """The file's document; JSON Lines (`.jsonl`, or a `.json` holding several lines) as a list."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return yaml.safe_load(text)
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if not exc.msg.startswith("Extra data"):
            raise
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def _load_file(path: Path, out: CatalogLoad) -> list[dict[str, Any]]:
    name = path.name
    try:
        doc = _parse(path)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        out.issues.append(Issue(name, None, "(file)", f"invalid JSON: {exc}"))
        return []
    except yaml.YAMLError as exc:
        out.issues.append(Issue(name, None, "(file)", f"invalid YAML: {exc}"))
        return []
    fmt = importers.detect(doc, name)
    out.formats[name] = fmt
    if fmt == "native" or (fmt == "unknown" and path.suffix == ".json"):
        if not isinstance(doc, dict):
            out.issues.append(Issue(name, None, "(file)", "a catalog must be a JSON object"))
            return []
        return _load_doc(doc, name, out, imported=False)
    if fmt == "unknown":
        out.issues.append(
            Issue(
                name,
                None,
                "(file)",
                "unrecognized format: expected a native catalog, OpenAPI 3.x, an MCP tools/list "
                "result, an OpenAI tool list or BFCL function docs",
            )
        )
        return []
    found: list[Issue] = []
    try:
        catalogs = importers.to_native(doc, name, found)
    except Exception as exc:  # an importer bug must not stop the other files
        catalogs = []
        found.append(Issue(name, None, "(file)", f"{fmt} import failed: {exc!r}"))
    out.issues.extend(found)
    tools = []
    for catalog in catalogs:
        tools += _load_doc(catalog, name, out, imported=True)
    return tools


def _load_doc(doc: dict, name: str, out: CatalogLoad, *, imported: bool) -> list[dict[str, Any]]:
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
        original = None
        if imported and isinstance(raw, dict) and isinstance(raw.get("name"), str):
            original = raw["name"]
            valid = valid_name(original)
            if valid != original:
                out.renamed[f"{doc['domain']}.{original}"] = valid
                out.issues.append(
                    Issue(
                        name, original, "name", f"not a valid name, renamed to {valid!r}", "warning"
                    )
                )
                raw = {**raw, "name": valid}
        tool = _normalize_tool(raw, index, doc, name, out)
        if tool is not None:
            if original is not None:
                tool["source"]["original_name"] = original
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
    if names.is_reserved(name):
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
        check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        out.issues.append(Issue(file, tool, f"{key}/{where}".rstrip("/"), exc.message))
        return None
    closed = {"type": "object", **schema, "properties": props, "required": list(required)}
    if key == "parameters":
        closed.setdefault("additionalProperties", False)
    return closed
