"""Loading a folder of native catalogs: good files load, every bad one is named precisely.

Each bad-catalog case sits in a folder next to a good catalog, so the tests also show that one
broken file never stops the others from loading.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from gauntlet import records
from gauntlet.catalog import load_folder
from gauntlet.catalog.refs import RefError, inline_refs
from gauntlet.export.adp_rules import validate_dataset
from gauntlet.stages.export import export_dataset
from gauntlet.testing.runs import judged_records
from gauntlet.world.schema import infer

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CATALOGS = REPO / "data" / "catalogs"

STRING = {"type": "string"}
CARD_CONTEXT = {"seed": 1, "stages": [], "backends": {}, "catalog_version": "-", "code_version": {}}


def _tool(name: str, **overrides: Any) -> dict[str, Any]:
    tool = {
        "name": name,
        "description": f"Look up one {name}.",
        "parameters": {
            "type": "object",
            "properties": {"thing_id": {"type": "string"}},
            "required": ["thing_id"],
        },
        "returns": {"type": "object", "properties": {"thing_id": STRING, "label": STRING}},
        "effect": "read",
    }
    tool.update(overrides)
    return tool


def _catalog(domain: str, *tools: dict[str, Any], defs: dict | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "domain": domain,
        "description": f"The {domain} API.",
        "tools": list(tools),
    }
    if defs is not None:
        doc["$defs"] = defs
    return doc


def _write(folder: Path, name: str, doc: Any) -> None:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder that already holds one good catalog (`good.json`, tool `get_widget`)."""
    _write(tmp_path, "good.json", _catalog("warehouse", _tool("get_widget")))
    return tmp_path


def test_default_catalogs_load_without_issues():
    load = load_folder(DEFAULT_CATALOGS)

    assert load.issues == []
    assert len(load.tools) == 90
    assert len({t["domain"] for t in load.tools}) == 7
    assert len(load.files) == 7


def test_invalid_json_is_reported_for_its_file_and_the_good_catalog_still_loads(folder):
    _write(folder, "broken.json", '{"domain": "shop", "tools": [')

    load = load_folder(folder)

    [issue] = load.issues
    assert (issue.file, issue.tool, issue.field, issue.severity) == (
        "broken.json",
        None,
        "(file)",
        "rejected",
    )
    assert "invalid JSON" in issue.message
    assert [t["name"] for t in load.tools] == ["get_widget"]


def _drop(key: str):
    def edit(tool: dict) -> None:
        del tool[key]

    return edit


def _set(key: str, value: Any):
    def edit(tool: dict) -> None:
        tool[key] = copy.deepcopy(value)

    return edit


BAD_TOOLS = {
    "parameters is a string schema": (_set("parameters", STRING), "parameters/type"),
    "missing returns": (_drop("returns"), "returns"),
    "missing effect": (_drop("effect"), "effect"),
    "effect is not read or write": (_set("effect", "delete"), "effect"),
    "unresolvable $ref": (
        _set(
            "parameters",
            {"type": "object", "properties": {"price": {"$ref": "#/$defs/Nowhere"}}},
        ),
        "parameters/properties/price",
    ),
    "required names an undeclared property": (
        _set("parameters", {"type": "object", "properties": {}, "required": ["ghost"]}),
        "parameters/required",
    ),
    "name with a space": (_set("name", "buy thing"), "name"),
}


@pytest.mark.parametrize(("edit", "field"), BAD_TOOLS.values(), ids=BAD_TOOLS.keys())
def test_bad_tool_gives_one_issue_naming_file_tool_and_field(folder, edit, field):
    bad = _tool("buy_thing")
    edit(bad)
    _write(folder, "shop.json", _catalog("shop", bad, _tool("get_thing")))

    load = load_folder(folder)

    [issue] = load.issues
    assert (issue.file, issue.field, issue.severity) == ("shop.json", field, "rejected")
    assert issue.tool == bad["name"]
    assert all(part in str(issue) for part in ("shop.json", bad["name"], field))
    assert sorted(t["name"] for t in load.tools) == ["get_thing", "get_widget"]


def test_catalog_level_problem_names_the_file_and_field(folder):
    _write(folder, "shop.json", _catalog("Shop!", _tool("get_thing")))

    load = load_folder(folder)

    [issue] = load.issues
    assert (issue.file, issue.tool, issue.field) == ("shop.json", None, "domain")
    assert [t["name"] for t in load.tools] == ["get_widget"]


def test_same_name_in_another_domain_is_prefixed_with_the_domain_and_warned(folder):
    _write(folder, "zoo.json", _catalog("zoo", _tool("get_widget"), _tool("feed_animal")))

    load = load_folder(folder)

    [issue] = load.issues
    assert (issue.file, issue.tool, issue.field, issue.severity) == (
        "zoo.json",
        "get_widget",
        "name",
        "warning",
    )
    assert "good.json" in issue.message and "zoo_get_widget" in issue.message
    kept = {t["name"]: t["domain"] for t in load.tools}
    assert kept == {"get_widget": "warehouse", "zoo_get_widget": "zoo", "feed_animal": "zoo"}
    assert load.renamed == {"zoo.get_widget": "zoo_get_widget"}


def test_duplicate_tool_name_in_the_same_domain_is_rejected_naming_the_first_file(folder):
    _write(folder, "more.json", _catalog("warehouse", _tool("get_widget"), _tool("feed_animal")))

    load = load_folder(folder)

    [issue] = load.issues
    assert (issue.file, issue.tool, issue.field, issue.severity) == (
        "more.json",
        "get_widget",
        "name",
        "rejected",
    )
    assert "good.json" in issue.message
    kept = {t["name"]: t["source"]["file"] for t in load.tools}
    assert kept == {"get_widget": "good.json", "feed_animal": "more.json"}


def test_reference_cycle_is_cut_with_a_warning_and_the_tool_is_kept(folder):
    comment = {
        "type": "object",
        "properties": {
            "text": STRING,
            "replies": {"type": "array", "items": {"$ref": "#/$defs/Comment"}},
        },
    }
    returns = {"type": "object", "properties": {"comment": {"$ref": "#/$defs/Comment"}}}
    tool = _tool("get_comment", returns=returns)
    _write(folder, "forum.json", _catalog("forum", tool, defs={"Comment": comment}))

    load = load_folder(folder)

    [issue] = load.issues
    assert (issue.file, issue.tool, issue.severity) == ("forum.json", "get_comment", "warning")
    assert issue.field == "returns/properties/comment/properties/replies/items"
    assert "cycle" in issue.message
    [loaded] = [t for t in load.tools if t["name"] == "get_comment"]
    cut = loaded["returns"]["properties"]["comment"]["properties"]["replies"]["items"]
    assert cut["type"] == "object" and "$ref" not in cut


@pytest.mark.parametrize("reserved", ["finish", "think", "web_read", "Execute_Bash"])
def test_reserved_adp_name_is_renamed_with_a_warning(folder, reserved):
    _write(folder, "shop.json", _catalog("shop", _tool(reserved)))

    load = load_folder(folder)

    [issue] = load.issues
    assert (issue.file, issue.tool, issue.field, issue.severity) == (
        "shop.json",
        reserved,
        "name",
        "warning",
    )
    assert load.renamed == {
        f"shop.{reserved}": f"shop_{reserved}"
    }  # keyed by domain: two may clash
    [renamed] = [t for t in load.tools if t["domain"] == "shop"]
    assert renamed["name"] == f"shop_{reserved}"
    assert renamed["source"] == {"file": "shop.json", "original_name": reserved}


def test_a_tool_named_like_an_adp_builtin_loads_renamed_and_exports_cleanly(tmp_path: Path):
    """`web_read` was reserved for the validator but not the loader: it loaded, then failed
    every ADP export of its shard. One list now serves both."""
    catalogs = tmp_path / "catalogs"
    catalogs.mkdir()
    for path in DEFAULT_CATALOGS.glob("*.json"):
        doc = json.loads(path.read_text())
        for tool in doc["tools"]:
            if tool["name"] == "search_flights":  # travel tasks of this seed call it
                tool["name"] = "web_read"
        _write(catalogs, path.name, doc)

    load = load_folder(catalogs)
    judged = judged_records(load.tools, n_tasks=40, seed=1, partition="2026-11-21|0")
    exported = export_dataset(
        load.tools, infer(load.tools), judged, tmp_path / "out", card_context=CARD_CONTEXT
    )

    assert load.renamed == {"travel.web_read": "travel_web_read"}
    called = {i["function"] for r in exported.records for i in r["content"] if "function" in i}
    assert "travel_web_read" in called and "web_read" not in called
    assert validate_dataset(tmp_path / "out" / "adp") == []


def test_normalized_default_tools_validate_against_the_tool_schema(default_tools):
    problems = {t["name"]: records.errors("tool", t) for t in default_tools}

    assert {name: errs for name, errs in problems.items() if errs} == {}


def test_parameters_are_closed_and_refs_inlined(default_tools):
    assert all(t["parameters"]["additionalProperties"] is False for t in default_tools)
    assert "$ref" not in json.dumps(default_tools)
    [book] = [t for t in default_tools if t["name"] == "book_flight"]
    price = book["returns"]["properties"]["total_price"]
    assert price["properties"]["currency"]["pattern"] == "^[A-Z]{3}$"
    assert price["description"] == "Total amount charged."  # the sibling of $ref wins


def test_loader_closes_parameters_that_did_not_say(folder):
    load = load_folder(folder)

    [tool] = load.tools
    assert tool["parameters"]["additionalProperties"] is False
    assert "additionalProperties" not in tool["returns"]
    assert tool["parameters"]["required"] == ["thing_id"]
    assert tool["returns"]["required"] == []


def test_load_order_and_version_are_deterministic(catalog_dir):
    first, second = load_folder(catalog_dir), load_folder(catalog_dir)

    assert first.version == second.version
    assert first.tools == second.tools
    assert first.files == ["library.json", "observatory.json", "vineyard.json"]
    assert first.tools[0]["domain"] == "library"


def test_missing_folder_raises():
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_folder(REPO / "no-such-folder")


def test_inline_refs_replaces_refs_and_drops_defs():
    root = {"$defs": {"Money": {"type": "object", "properties": {"amount": {"type": "number"}}}}}
    schema = {"type": "object", "$defs": {}, "properties": {"fee": {"$ref": "#/$defs/Money"}}}
    warnings: list[str] = []

    out = inline_refs(schema, root, "returns", warnings)

    assert out == {"type": "object", "properties": {"fee": root["$defs"]["Money"]}}
    assert warnings == []


def test_inline_refs_unescapes_json_pointer_parts():
    root = {"$defs": {"a/b": {"type": "string", "title": "slash"}}}

    out = inline_refs({"$ref": "#/$defs/a~1b"}, root, "parameters", [])

    assert out == {"type": "string", "title": "slash"}


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("other.json#/$defs/Money", "only local references"),
        ("#/$defs/Missing", "unresolvable"),
        ("#/description", "does not point at a schema object"),
    ],
)
def test_inline_refs_rejects_bad_references_with_their_path(ref, message):
    root = {"description": "text", "$defs": {}}
    schema = {"type": "object", "properties": {"x": {"$ref": ref}}}

    with pytest.raises(RefError, match=message) as caught:
        inline_refs(schema, root, "returns", [])

    assert caught.value.field == "returns/properties/x"
