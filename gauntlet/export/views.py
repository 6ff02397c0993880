"""`views.json`: beside a shard's `adp/` and `hub/`, what its Hub configs hold and what became
of its preference pairs, so a day's dataset and `make run` can sum the shards without
re-reading Parquet. A data contract like any record: `schemas/views.schema.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gauntlet import records
from gauntlet.export.folder import pretty_json

VIEWS_FILE = "views.json"
KEYS = ("rows", "preferences", "preferences_skipped")


def write_views(partition: Path, hub_written: dict[str, Any]) -> dict[str, Any]:
    """Write `views.json` from what `stages.export.write_hub` reported; returns it."""
    views = {key: hub_written.get(key) for key in KEYS}
    records.check("views", views, str(Path(partition) / VIEWS_FILE))
    (Path(partition) / VIEWS_FILE).write_text(pretty_json(views), encoding="utf-8")
    return views


def read_views(partition: Path) -> dict[str, Any]:
    """A shard's `views.json`, checked. Every `adp_dataset` partition writes one (with null
    preferences when it exported nothing), so a missing file is an error, not zero pairs."""
    path = Path(partition) / VIEWS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no {VIEWS_FILE}; materialize adp_dataset again")
    views = json.loads(path.read_text(encoding="utf-8"))
    records.check("views", views, str(path))
    return views


def preference_totals(shard_views: list[dict[str, Any]]) -> dict[str, Any]:
    """A day's preference pairs over its shards' views: kept tasks tried, pairs, skips by reason."""
    tasks = pairs = 0
    skipped: dict[str, int] = {}
    for views in shard_views:
        prefs = views.get("preferences") or {}
        tasks += prefs.get("tasks", 0)
        pairs += prefs.get("pairs", 0)
        for reason, n in prefs.get("skipped", {}).items():
            skipped[reason] = skipped.get(reason, 0) + n
    return {"tasks": tasks, "pairs": pairs, "skipped": dict(sorted(skipped.items()))}
