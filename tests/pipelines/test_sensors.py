"""A catalog change rebuilds the catalog, then today's shards; nothing else triggers it."""

import json
import shutil
from pathlib import Path

import pytest
from dagster import DagsterInstance, SkipReason, build_sensor_context

from assets.settings import GauntletConfig
from pipelines.sensors import CHANGED, TRIGGER, catalog_files, daily_requests, fingerprint

ROOT = Path(__file__).resolve().parents[2]


def tick(cursor, folder):
    context = build_sensor_context(
        cursor=cursor,
        instance=DagsterInstance.ephemeral(),
        resources={"gauntlet": GauntletConfig(catalogs=str(folder))},
    )
    return list(catalog_files(context)), context.cursor


def test_a_new_catalog_file_requests_a_catalog_run(tmp_path):
    folder = tmp_path / "catalogs"
    shutil.copytree(ROOT / "data" / "catalogs", folder)
    first, cursor = tick(None, folder)
    assert isinstance(first[0], SkipReason)  # the first look only remembers
    quiet, same = tick(cursor, folder)
    assert isinstance(quiet[0], SkipReason) and same == cursor
    (folder / "library.json").write_text(json.dumps({"domain": "library", "tools": []}))
    (request,), changed = tick(cursor, folder)
    assert changed != cursor
    assert request.tags[TRIGGER] == CHANGED and request.run_key == f"catalog-{changed}"


def test_editing_a_file_counts_touching_it_does_not(tmp_path):
    folder = tmp_path / "catalogs"
    shutil.copytree(ROOT / "data" / "catalogs", folder)
    _, cursor = tick(None, folder)
    travel = folder / "travel.json"
    travel.write_bytes(travel.read_bytes())
    assert isinstance(tick(cursor, folder)[0][0], SkipReason)
    travel.write_text(travel.read_text().replace("Book", "Reserve", 1))
    assert not isinstance(tick(cursor, folder)[0][0], SkipReason)


def test_a_catalog_change_run_requests_every_shard_of_its_date():
    requests = daily_requests({TRIGGER: CHANGED, "gauntlet/date": "2026-11-21"}, "run-1")
    assert [str(r.partition_key) for r in requests] == ["2026-11-21|0"]
    assert requests[0].run_key == "run-1|0"


def test_a_nightly_or_manual_catalog_run_requests_nothing():
    assert daily_requests({"gauntlet/date": "2026-11-21"}, "run-2") == []


@pytest.mark.parametrize("name", ["payments.yaml", "music.yml", "bfcl.jsonl", "more.json"])
def test_a_new_or_edited_file_of_any_catalog_format_changes_the_fingerprint(tmp_path, name):
    folder = tmp_path / "catalogs"
    shutil.copytree(ROOT / "data" / "catalogs", folder)
    before = fingerprint(folder)
    (folder / name).write_text("openapi: 3.0.3\npaths: {}\n")
    added = fingerprint(folder)
    (folder / name).write_text("openapi: 3.1.0\npaths: {}\n")
    assert len({before, added, fingerprint(folder)}) == 3


def test_files_the_loader_ignores_do_not_change_the_fingerprint(tmp_path):
    before = fingerprint(tmp_path)
    (tmp_path / "notes.txt").write_text("not a catalog")
    assert fingerprint(tmp_path) == before
