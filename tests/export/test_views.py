"""views.json: what a shard's Hub configs hold, checked when written and when read."""

from __future__ import annotations

import json

import pytest

from gauntlet import records
from gauntlet.export.views import VIEWS_FILE, preference_totals, read_views, write_views


def test_views_round_trip_and_sum_over_shards(tmp_path):
    hub = {
        "rows": {"adp": {"train": 9, "validation": 1}},
        "preferences": {
            "tasks": 10,
            "pairs": 8,
            "skipped": {"baseline_passed": 2},
            "baseline_failures": {},
        },
        "preferences_skipped": [{"id": "t-1", "reason": "baseline_passed", "detail": None}],
        "files": ["README.md"],
    }
    write_views(tmp_path, hub)

    views = read_views(tmp_path)
    assert "files" not in views
    assert preference_totals([views, views]) == {
        "tasks": 20,
        "pairs": 16,
        "skipped": {"baseline_passed": 4},
    }


def test_a_shard_that_exported_nothing_says_so_and_a_missing_file_is_an_error(tmp_path):
    write_views(tmp_path, {"rows": {}})
    assert read_views(tmp_path)["preferences"] is None
    (tmp_path / VIEWS_FILE).unlink()
    with pytest.raises(FileNotFoundError, match=VIEWS_FILE):
        read_views(tmp_path)


def test_a_malformed_file_names_itself(tmp_path):
    (tmp_path / VIEWS_FILE).write_text(json.dumps({"rows": []}))
    with pytest.raises(records.RecordError, match=VIEWS_FILE):
        read_views(tmp_path)
