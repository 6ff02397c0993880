"""A catalog change rebuilds the catalog, then today's shards; nothing else triggers it."""

import json
import shutil
from pathlib import Path

from dagster import DagsterInstance, SkipReason, build_sensor_context

from pipelines.sensors import CHANGED, TRIGGER, catalog_files, daily_requests

ROOT = Path(__file__).resolve().parents[2]


def tick(cursor):
    context = build_sensor_context(cursor=cursor, instance=DagsterInstance.ephemeral())
    return list(catalog_files(context)), context.cursor


def test_a_new_catalog_file_requests_a_catalog_run(tmp_path, monkeypatch):
    folder = tmp_path / "catalogs"
    shutil.copytree(ROOT / "data" / "catalogs", folder)
    monkeypatch.setenv("GAUNTLET_CATALOGS", str(folder))
    first, cursor = tick(None)
    assert isinstance(first[0], SkipReason)  # the first look only remembers
    quiet, same = tick(cursor)
    assert isinstance(quiet[0], SkipReason) and same == cursor
    (folder / "library.json").write_text(json.dumps({"domain": "library", "tools": []}))
    (request,), changed = tick(cursor)
    assert changed != cursor
    assert request.tags[TRIGGER] == CHANGED and request.run_key == f"catalog-{changed}"


def test_editing_a_file_counts_touching_it_does_not(tmp_path, monkeypatch):
    folder = tmp_path / "catalogs"
    shutil.copytree(ROOT / "data" / "catalogs", folder)
    monkeypatch.setenv("GAUNTLET_CATALOGS", str(folder))
    _, cursor = tick(None)
    travel = folder / "travel.json"
    travel.write_bytes(travel.read_bytes())
    assert isinstance(tick(cursor)[0][0], SkipReason)
    travel.write_text(travel.read_text().replace("Book", "Reserve", 1))
    assert not isinstance(tick(cursor)[0][0], SkipReason)


def test_a_catalog_change_run_requests_every_shard_of_its_date():
    requests = daily_requests({TRIGGER: CHANGED, "gauntlet/date": "2026-11-21"}, "run-1")
    assert [str(r.partition_key) for r in requests] == ["2026-11-21|0"]
    assert requests[0].run_key == "run-1|0"


def test_a_nightly_or_manual_catalog_run_requests_nothing():
    assert daily_requests({"gauntlet/date": "2026-11-21"}, "run-2") == []
