"""Importers: OpenAPI 3.0/3.1, MCP, OpenAI tools and BFCL files become valid native tools.

Every sample is written in the shape its format really has (`gauntlet.testing.specs`, shared
with the end-to-end run in `test_imported_run.py`).
"""

from __future__ import annotations

import json

import pytest

from gauntlet import records
from gauntlet.catalog import load_folder
from gauntlet.catalog.importers import detect, to_native
from gauntlet.catalog.importers.bfcl import ANY
from gauntlet.catalog.importers.openapi import operation_name
from gauntlet.testing.specs import (
    BFCL_LINES,
    FILES,
    MCP_LISTING,
    OPENAI_TOOLS,
    PARCELS_31,
    write_samples,
)


@pytest.fixture(scope="module")
def load(tmp_path_factory):
    return load_folder(write_samples(tmp_path_factory.mktemp("imported")))


def _tool(load, name):
    [tool] = [t for t in load.tools if t["name"] == name]
    return tool


def _issues(load, file, severity=None):
    return [i for i in load.issues if i.file == file and severity in (None, i.severity)]


def test_every_file_is_detected_and_every_tool_is_valid(load):
    assert load.formats == FILES
    assert load.imported == {
        "pets.yaml": 5,
        "parcels.json": 3,
        "notes.json": 3,
        "science.jsonl": 3,
        "assistant.json": 2,
    }
    assert {
        t["name"]: records.errors("tool", t) for t in load.tools if records.errors("tool", t)
    } == {}
    assert [i for i in load.issues if i.severity != "warning"] == []


def test_openapi_30_operations_parameters_body_and_returns(load):
    assert {t["domain"] for t in load.tools if t["source"]["file"] == "pets.yaml"} == {
        "pet_shelter"
    }
    pets = _tool(load, "listPets")
    assert pets["effect"] == "read"
    assert pets["description"] == "List the pets waiting for adoption."
    assert pets["parameters"]["properties"]["species"]["enum"] == ["dog", "cat", "rabbit"]
    assert pets["parameters"]["required"] == []
    items = pets["returns"]["properties"]["result"]["items"]  # an array is wrapped
    assert items["required"] == ["pet_id", "name"]
    assert items["properties"]["nickname"]["type"] == ["string", "null"]  # nullable: true

    create = _tool(load, "createPet")
    assert create["effect"] == "write"
    assert create["parameters"]["required"] == ["name", "species"]
    assert set(create["parameters"]["properties"]) == {"name", "species", "category_id"}
    assert create["returns"]["properties"]["pet_id"] == {"type": "string"}

    delete = _tool(load, "deletePet")
    assert delete["effect"] == "write"
    assert delete["parameters"]["required"] == ["pet_id"]
    assert "X-Request-Id" in delete["parameters"]["properties"]
    assert delete["description"] == "Remove a pet that was adopted."

    visits = _tool(load, "get_pets_pet_id_visits")  # no operationId: method and path
    cost = visits["returns"]["properties"]["visits"]["items"]["properties"]["cost"]
    assert cost == {"type": "number", "exclusiveMinimum": 0}  # 3.0 boolean exclusive


def test_openapi_reference_cycle_is_cut_with_a_warning(load):
    pet = _tool(load, "getPetById")
    parent = pet["returns"]["properties"]["category"]["properties"]["parent"]
    assert parent["type"] == "object" and "$ref" not in json.dumps(pet)
    cycles = [i for i in _issues(load, "pets.yaml", "warning") if "cycle" in i.message]
    assert {i.tool for i in cycles} >= {"getPetById", "createPet", "listPets"}
    assert any(i.field == "returns/properties/category/properties/parent" for i in cycles)


def test_openapi_missing_output_schema_is_inferred_with_a_warning(load):
    delete = _tool(load, "deletePet")
    assert delete["returns"]["properties"]["result"]["type"] == "string"
    assert delete["returns"]["required"] == []
    [warning] = [i for i in _issues(load, "pets.yaml") if i.field == "returns"]
    assert (warning.tool, warning.severity) == ("deletePet", "warning")


def test_openapi_31_null_types_and_non_object_responses(load):
    assert _tool(load, "trackParcel")["domain"] == "parcel_tracking"
    note = _tool(load, "updateParcelNote")
    assert note["parameters"]["properties"]["note"]["type"] == ["string", "null"]
    assert note["parameters"]["required"] == ["parcel_id", "note"]
    assert note["returns"]["properties"]["result"] == {"type": "string"}
    assert _tool(load, "listParcels")["parameters"]["required"] == ["account_id"]


def test_mcp_effects_output_schema_and_domain(load):
    effects = {t["name"]: t["effect"] for t in load.tools if t["domain"] == "notes_server"}
    assert effects == {"search_notes": "read", "read_note": "read", "archive_note": "write"}
    assert _tool(load, "search_notes")["returns"]["required"] == ["notes"]
    missing = [i.tool for i in _issues(load, "notes.json", "warning") if i.field == "returns"]
    assert sorted(missing) == ["archive_note", "read_note"]


def test_bfcl_aliases_enums_defaults_and_names(load):
    assert load.renamed["science.math.factorial"] == "math_factorial"
    fact = _tool(load, "math_factorial")
    assert fact["source"]["original_name"] == "math.factorial"
    assert fact["parameters"]["required"] == ["number"]
    props = _tool(load, "convert_length")["parameters"]["properties"]
    assert props["value"]["type"] == "number"
    assert props["unit"]["enum"] == ["cm", "m", "km"]
    assert props["origin"]["type"] == "array" and props["origin"]["items"]["type"] == "number"
    assert props["hint"]["type"] == ANY and "default" not in props["hint"]  # no constraint
    assert "default" not in props["precision"]
    assert props["scale"]["default"] == 1.5
    assert _tool(load, "convert_length")["returns"]["properties"]["converted"]["type"] == "number"
    element = _tool(load, "get_element")
    assert element["parameters"]["properties"]["symbol"]["enum"] == ["H", "He", "Li"]
    assert element["parameters"]["properties"]["fields"]["type"] == "array"
    assert element["effect"] == "read"
    assert _tool(load, "convert_length")["effect"] == "write"
    assert "None" not in json.dumps([t["parameters"] for t in load.tools])


def test_openai_tools_strict_dropped_effect_from_verb(load):
    weather = _tool(load, "get_weather")
    assert weather["domain"] == "assistant" and weather["effect"] == "read"
    assert "strict" not in json.dumps(weather)
    assert weather["parameters"]["required"] == ["city", "units"]
    assert _tool(load, "create_reminder")["effect"] == "write"
    warned = [i.tool for i in _issues(load, "assistant.json", "warning") if i.field == "returns"]
    assert sorted(warned) == ["create_reminder", "get_weather"]


def test_detect_by_content_not_by_extension():
    assert detect({"domain": "x", "description": "d", "tools": []}, "a.yaml") == "native"
    assert detect(PARCELS_31, "spec.txt") == "openapi"
    assert detect(MCP_LISTING, "x.json") == "mcp"
    assert detect(MCP_LISTING["result"], "x.json") == "mcp"
    assert detect(OPENAI_TOOLS, "x.json") == "openai"
    assert detect(BFCL_LINES, "x.json") == "bfcl"
    assert detect({"swagger": "2.0", "paths": {}}, "x.json") == "unknown"
    assert operation_name("get", "/pets/{petId}") == "get_pets_petId"


def test_cross_domain_collision_is_prefixed_and_same_domain_duplicate_rejected(tmp_path):
    write_samples(tmp_path)
    clash = [{"type": "function", "function": {"name": "get_weather", "description": "Again."}}]
    (tmp_path / "zz_other.json").write_text(json.dumps(clash), encoding="utf-8")
    (tmp_path / "zz_more.json").write_text(json.dumps(MCP_LISTING), encoding="utf-8")

    load = load_folder(tmp_path)

    assert _tool(load, "zz_other_get_weather")["domain"] == "zz_other"
    assert load.renamed["zz_other.get_weather"] == "zz_other_get_weather"
    dupes = [i for i in load.issues if i.file == "zz_more.json" and i.severity == "rejected"]
    assert {i.tool for i in dupes} == {"search_notes", "read_note", "archive_note"}
    assert all("notes.json" in i.message for i in dupes)


def test_bad_inputs_give_issues_not_crashes(tmp_path):
    (tmp_path / "broken.yaml").write_text("openapi: [3.0\n", encoding="utf-8")
    (tmp_path / "odd.yml").write_text("just: text\n", encoding="utf-8")
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "Bad refs"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "getX",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/nope"}}
                            }
                        }
                    },
                }
            }
        },
    }
    (tmp_path / "refs.json").write_text(json.dumps(spec), encoding="utf-8")
    (tmp_path / "mcp.json").write_text(
        json.dumps({"tools": [{"name": "ok tool", "inputSchema": {"type": "string"}}]}),
        encoding="utf-8",
    )

    load = load_folder(tmp_path)

    by_file: dict = {}
    for i in load.issues:
        if i.severity == "rejected":
            by_file.setdefault(i.file, i)  # the first issue of each file
    assert "invalid YAML" in by_file["broken.yaml"].message
    assert "unrecognized format" in by_file["odd.yml"].message
    assert (by_file["refs.json"].tool, by_file["refs.json"].field) == ("getX", "returns")
    assert (by_file["mcp.json"].tool, by_file["mcp.json"].field) == ("ok_tool", "parameters/type")
    assert load.tools == []


def test_to_native_returns_native_catalogs():
    issues: list = []
    [catalog] = to_native(OPENAI_TOOLS, "my tools.json", issues)
    assert catalog["domain"] == "my_tools"
    assert records.errors("catalog", {**catalog, "tools": [{}]}) == []
