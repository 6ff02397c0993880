"""The ADP 1.5.0 validator: the JSON Schemas in `schemas/` for the shape, code for the rest.

There is no installable ADP package, so Gauntlet carries the contract (docs/adp.md) itself and
checks every record it writes. Every problem is a sentence that names the record id, the item
index and the field, e.g. `traj-12 content[3] api_action.kwargs.date: 'tomorrow' is not a
'date' (rule 6)`, so a rejected record can be fixed without a debugger.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema.exceptions import SchemaError

from gauntlet import canonical, names, records
from gauntlet.export import folder as adp_folder
from gauntlet.validation import Checker, check_schema

SCHEMA_VERSION = "1.5.0"

# Rule 7: detail keys that must hold numbers (docs/adp.md; the prefix is from ADP's own tests).
NUMERIC_DETAIL_KEYS = frozenset({"reward", "score", "step"})
NUMERIC_DETAIL_SUFFIXES = (
    "_count", "_index", "_number", "_rate", "_reward", "_score", "_success", "_correct",
    "_percent", "_percentage",
)  # fmt: skip
NUMERIC_DETAIL_PREFIXES = ("pred_passes_",)

# Rule 8: signs that a tool catalog was pasted into prompt text: a function spec, or (with at
# least this many tools offered) every offered tool named.
_CATALOG_MARKERS = re.compile(r'"type"\s*:\s*"function"|"parameters"\s*:\s*\{|</?tools>')
_CATALOG_MIN_TOOLS = 3
_TYPED = ("type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref")


def is_numeric_detail_key(key: str) -> bool:
    """True when rule 7 requires the detail value to be a JSON number."""
    key = key.lower()
    return (
        key in NUMERIC_DETAIL_KEYS
        or key.endswith(NUMERIC_DETAIL_SUFFIXES)
        or key.startswith(NUMERIC_DETAIL_PREFIXES)
    )


def declared_parameters(metadata: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Tool name -> parameters schema from a metadata.json object: what rules 5-6 check."""
    declared = {}
    for tool in metadata.get("custom_tools") or []:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            declared[function["name"]] = function.get("parameters") or {}
    return declared


def validate_trajectory(record: Any, declared: dict[str, dict[str, Any]]) -> list[str]:
    """Every problem of one ADP record: shape, then rules 1-9 of docs/adp.md. Empty when valid."""
    if not isinstance(record, dict):
        return [f"(no id): a trajectory must be a JSON object, not {type(record).__name__}"]
    rid = record["id"] if isinstance(record.get("id"), str) and record["id"] else "(no id)"
    content = record.get("content")
    items = [i if isinstance(i, dict) else {} for i in content] if isinstance(content, list) else []
    available = record.get("available_custom_tools")
    offered = [n for n in available if isinstance(n, str)] if isinstance(available, list) else None
    errors = _sorted_errors(records.validator("adp_trajectory").iter_errors(record))
    return [
        *(f"{_where(rid, items, list(e.absolute_path))}: {e.message}" for e in errors),
        *_link_problems(rid, items),
        *_function_problems(rid, items, offered, declared),
        *_kwargs_problems(rid, items, declared),
        *_details_problems(rid, record.get("details")),
        *_opening_problems(rid, items, offered or []),
    ]


def validate_metadata(meta: Any) -> list[str]:
    """Every problem of a metadata.json object: shape, unique and unreserved names, real schemas."""
    errors = _sorted_errors(records.validator("adp_metadata").iter_errors(meta))
    problems = [
        f"metadata.json {_dotted(e.absolute_path) or '(root)'}: {e.message}" for e in errors
    ]
    tools = meta.get("custom_tools") if isinstance(meta, dict) else None
    seen: dict[str, int] = {}
    for index, tool in enumerate(tools if isinstance(tools, list) else []):
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            continue
        name, where = function["name"], f"metadata.json custom_tools[{index}].function"
        if name in seen:
            problems.append(f"{where}.name: {name!r} is already declared at [{seen[name]}]")
        seen.setdefault(name, index)
        if names.is_reserved(name):
            problems.append(f"{where}.name: {name!r} is a reserved ADP name; rename it (rule 9)")
        problems += _parameters_problems(f"{where}.parameters", function.get("parameters"))
    return problems


def validate_dataset(folder: Path) -> list[str]:
    """Every problem of an `adp/` folder: its three files, their bytes, every record, unique ids."""
    folder = Path(folder)
    problems: list[str] = []
    meta_path = folder / adp_folder.METADATA_FILE
    meta = _read_json(meta_path, problems)
    declared: dict[str, dict[str, Any]] = {}
    if meta is not None:
        problems += validate_metadata(meta)
        declared = declared_parameters(meta) if isinstance(meta, dict) else {}
        if meta_path.read_text(encoding="utf-8") != adp_folder.pretty_json(meta):
            problems.append(f"{meta_path.name}: not written as json.dumps(indent=2) + newline")
    by_id = _check_jsonl(folder / adp_folder.TRAJECTORIES_FILE, declared, problems)
    _check_sample(folder / adp_folder.SAMPLE_FILE, declared, by_id, problems)
    return problems


# --- naming fields ------------------------------------------------------------------------


def _sorted_errors(errors: Iterable[Any]) -> list[Any]:
    return sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])


def _dotted(path: Iterable[Any]) -> str:
    """['custom_tools', 2, 'function'] -> 'custom_tools[2].function'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _where(rid: str, items: list[dict], path: list[Any]) -> str:
    """Name a field: `id content[3] api_action.kwargs.date` or `id details.usage.calls`."""
    if len(path) >= 2 and path[0] == "content" and isinstance(path[1], int):
        index, rest = path[1], _dotted(path[2:])
        cls = items[index].get("class_") if index < len(items) else None
        label = cls if isinstance(cls, str) else "item"
        return f"{rid} content[{index}] {label}" + (f".{rest}" if rest else "")
    return f"{rid} {_dotted(path) or '(record)'}"


# --- rules 1-4: tool-call links -----------------------------------------------------------


def _call_id(item: dict) -> str | None:
    value = item.get("tool_call_id")
    return value if isinstance(value, str) and value else None


def _link_problems(rid: str, items: list[dict]) -> Iterator[str]:
    """Rules 1-4: ids on answered actions, unique, each answered once, results not from user."""
    actions: dict[str, int] = {}
    answers: dict[str, int] = {}
    for index, item in enumerate(items):
        cls, call_id = item.get("class_"), _call_id(item)
        at = f"{rid} content[{index}] {cls}"
        following = items[index + 1] if index + 1 < len(items) else {}
        after_action = index > 0 and items[index - 1].get("class_") == "api_action"
        if cls == "api_action" and call_id is None:
            if following.get("class_") == "text_observation":
                yield f"{at}.tool_call_id: missing, but the next item answers it (rule 1)"
        elif cls == "api_action" and call_id in actions:
            yield f"{at}.tool_call_id: {call_id!r} repeats content[{actions[call_id]}] (rule 2)"
        elif cls == "api_action":
            actions[call_id] = index
        elif cls == "text_observation" and call_id is not None:
            if call_id not in actions:
                yield f"{at}.tool_call_id: {call_id!r} answers no earlier action (rule 3)"
            elif call_id in answers:
                first_answer = answers[call_id]
                yield f"{at}.tool_call_id: {call_id!r} was answered at [{first_answer}] (rule 3)"
            else:
                answers[call_id] = index
        is_result = call_id is not None or after_action
        if cls == "text_observation" and item.get("source") == "user" and is_result:
            yield f"{at}.source: a tool result cannot come from the user (rule 4)"
    for call_id, index in actions.items():
        if call_id not in answers:
            at = f"{rid} content[{index}] api_action.tool_call_id"
            yield f"{at}: {call_id!r} is never answered by an observation (rule 3)"


# --- rules 5, 6, 9: declared tools and their arguments -----------------------------------


def _function_problems(
    rid: str, items: list[dict], offered: list[str] | None, declared: dict
) -> Iterator[str]:
    """Rules 5 and 9: every tool named is declared, offered, and not an ADP built-in."""
    named = [(f"{rid} available_custom_tools[{i}]", n) for i, n in enumerate(offered or [])]
    for index, item in enumerate(items):
        name = item.get("function")
        if item.get("class_") != "api_action" or not isinstance(name, str):
            continue
        at = f"{rid} content[{index}] api_action.function"
        named.append((at, name))
        if offered is None:
            yield f"{at}: {name!r} is called but available_custom_tools is missing (rule 5)"
        elif name not in offered:
            yield f"{at}: {name!r} is not in available_custom_tools (rule 5)"
    for at, name in named:
        if name not in declared:
            yield f"{at}: {name!r} is not declared in metadata.json (rule 5)"
        if names.is_reserved(name):
            yield f"{at}: {name!r} is a reserved ADP name; rename it on import (rule 9)"


@cache
def _kwargs_validator(schema_json: str) -> Checker:
    schema = json.loads(schema_json)
    check_schema(schema)
    return Checker(schema, formats=True)


def _kwargs_problems(rid: str, items: list[dict], declared: dict) -> Iterator[str]:
    """Rule 6: kwargs validate against the declared parameters, with native JSON values."""
    for index, item in enumerate(items):
        name, kwargs = item.get("function"), item.get("kwargs")
        if item.get("class_") != "api_action" or name not in declared:
            continue
        if not isinstance(kwargs, dict):
            continue  # the shape check already named it
        try:
            validator = _kwargs_validator(canonical.dumps(declared[name]))
        except SchemaError as exc:
            at = f"{rid} content[{index}] api_action.function"
            yield f"{at}: the parameters of {name!r} are not a JSON Schema: {exc.message} (rule 6)"
            continue
        for err in _sorted_errors(validator.iter_errors(kwargs)):
            at = _where(rid, items, ["content", index, "kwargs", *err.absolute_path])
            yield f"{at}: {err.message} (rule 6)"
        for path in _encoded_strings(kwargs, []):
            at = _where(rid, items, ["content", index, "kwargs", *path])
            yield f"{at}: a JSON-encoded string; write the native value (rule 6)"


def _encoded_strings(value: Any, path: list[Any]) -> list[list[Any]]:
    """Paths of strings that are themselves a JSON string literal, like '"Paris"'."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _encoded_strings(v, [*path, k])]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _encoded_strings(v, [*path, i])]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return [path] if isinstance(json.loads(value), str) else []
        except json.JSONDecodeError:
            return []
    return []


# --- rules 7, 8: details and the opening message ------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _details_problems(rid: str, details: Any) -> Iterator[str]:
    """Rule 7, on the top-level keys of `details` (the keys ADP tooling reads)."""
    for key, value in details.items() if isinstance(details, dict) else ():
        if key == "system_prompt":
            yield f"{rid} details.{key}: details holds no system prompt (rule 7)"
        if key.startswith("available_"):
            yield f"{rid} details.{key}: available_* keys belong at the top level (rule 7)"
        if is_numeric_detail_key(key) and not _is_number(value):
            yield f"{rid} details.{key}: {value!r} should be a number, as its name says (rule 7)"


def _opening_problems(rid: str, items: list[dict], offered: list[str]) -> Iterator[str]:
    """Rule 8: the user opens, and no user text carries the tool catalog."""
    first = items[0] if items else {}
    if first.get("class_") != "text_observation" or first.get("source") != "user":
        found = f"{first.get('class_')} from {first.get('source')}" if first else "nothing"
        yield f"{rid} content[0]: must open with a user text_observation, found {found} (rule 8)"
    for index, item in enumerate(items):
        text = item.get("content")
        if item.get("source") != "user" or not isinstance(text, str):
            continue
        named = [n for n in offered if re.search(rf"\b{re.escape(n)}\b", text)]
        listed = len(offered) >= _CATALOG_MIN_TOOLS and len(named) == len(offered)
        if listed or _CATALOG_MARKERS.search(text):
            at = f"{rid} content[{index}] text_observation.content"
            yield f"{at}: holds a tool catalog; tools live in metadata.json (rule 8)"


def _parameters_problems(where: str, parameters: Any) -> list[str]:
    """A declared parameters object must be a real JSON Schema with typed properties."""
    if not isinstance(parameters, dict):
        return []
    try:
        check_schema(parameters)
    except SchemaError as exc:
        return [f"{where}: not a valid JSON Schema: {exc.message}"]
    properties = parameters.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    untyped = [k for k, s in properties.items() if isinstance(s, dict) and not set(_TYPED) & set(s)]
    missing = [k for k in parameters.get("required") or [] if k not in properties]
    return [f"{where}.properties.{key}: declares no type" for key in untyped] + [
        f"{where}.required: {key!r} is required but not a property" for key in missing
    ]


# --- the dataset folder -------------------------------------------------------------------


def _read_json(path: Path, problems: list[str]) -> Any:
    if not path.is_file():
        problems.append(f"{path.name}: missing")
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: not valid UTF-8 JSON ({exc})")
        return None


def _check_jsonl(path: Path, declared: dict, problems: list[str]) -> dict[str, dict]:
    """Validate trajectories.jsonl; return its records by id (for the sample check)."""
    by_id: dict[str, dict] = {}
    line_of: dict[str, int] = {}
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    if not text:
        problems.append(f"{path.name}: " + ("no records" if text == "" else "missing"))
        return by_id
    if not text.endswith("\n"):
        problems.append(f"{path.name}: the last line has no trailing newline")
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg})")
            continue
        problems += [f"{where}: {p}" for p in validate_trajectory(record, declared)]
        rid = record.get("id") if isinstance(record, dict) else None
        if isinstance(rid, str) and rid in line_of:
            problems.append(f"{where}: id {rid!r} repeats line {line_of[rid]}")
        elif isinstance(rid, str):
            line_of[rid], by_id[rid] = number, record
    return by_id


def _check_sample(path: Path, declared: dict, by_id: dict[str, dict], problems: list[str]) -> None:
    """sample_std.json: 3-5 valid records, pretty-printed, each identical to its dataset line."""
    sample = _read_json(path, problems)
    if sample is None:
        return
    if not isinstance(sample, list):
        problems.append(f"{path.name}: must be a JSON array of records")
        return
    low, high = adp_folder.SAMPLE_MIN, adp_folder.SAMPLE_MAX
    if not low <= len(sample) <= high:
        problems.append(f"{path.name}: holds {len(sample)} records, needs {low} to {high}")
    if path.read_text(encoding="utf-8") != adp_folder.pretty_json(sample):
        problems.append(f"{path.name}: not written as json.dumps(indent=2) + newline")
    seen: set[str] = set()
    for index, record in enumerate(sample):
        where = f"{path.name}[{index}]"
        problems += [f"{where}: {p}" for p in validate_trajectory(record, declared)]
        rid = record.get("id") if isinstance(record, dict) else None
        if not isinstance(rid, str):
            continue
        if rid in seen:
            problems.append(f"{where}: id {rid!r} appears twice in the sample")
        seen.add(rid)
        if rid not in by_id:
            problems.append(f"{where}: {rid!r} is not in {adp_folder.TRAJECTORIES_FILE}")
        elif adp_folder.jsonl_line(by_id[rid]) != adp_folder.jsonl_line(record):
            problems.append(
                f"{where}: {rid!r} differs from its {adp_folder.TRAJECTORIES_FILE} line"
            )
