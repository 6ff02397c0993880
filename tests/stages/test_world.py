"""The world_schema stage: one validated schema per domain, gaps listed, corrections applied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gauntlet.catalog import load_folder
from gauntlet.stages.world import build_world_schema
from gauntlet.world.override import OverrideError

CATALOGS = Path(__file__).resolve().parents[2] / "data" / "catalogs"


def test_every_domain_gets_a_valid_schema(default_tools):
    result = build_world_schema(default_tools, None)

    assert [s["domain"] for s in result.records] == sorted({t["domain"] for t in default_tools})
    assert not [r for r in result.rejected if r["reason"] == "schema_invalid"]
    assert result.stats["lifecycles"] >= 10
    assert result.stats["operations"]["sign_in"] == len(result.records)


def test_world_yaml_beside_the_catalogs_corrects_and_is_not_read_as_a_catalog(tmp_path):
    folder = shutil.copytree(CATALOGS, tmp_path / "catalogs")
    (folder / "world.yaml").write_text("hr:\n  resources:\n    payslip: {owner: null}\n")

    load = load_folder(folder)
    result = build_world_schema(load.tools, folder / "world.yaml")

    assert "world.yaml" not in load.files and not load.issues
    hr = next(s for s in result.records if s["domain"] == "hr")
    assert next(r for r in hr["resources"] if r["name"] == "payslip")["owner"] is None
    assert hr["overridden"] == ["hr.resources.payslip.owner"]
    assert result.stats["overridden"] == ["hr.resources.payslip.owner"]


def test_a_bad_correction_fails_the_stage_naming_the_file(default_tools, tmp_path):
    (tmp_path / "world.yaml").write_text(json.dumps({"hr": {"principal": "robot"}}))

    with pytest.raises(OverrideError, match=r"world.yaml: hr.principal: no resource 'robot'"):
        build_world_schema(default_tools, tmp_path / "world.yaml")
