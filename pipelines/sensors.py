"""A new or changed catalog file rebuilds the catalog, then generates today's partitions.

`catalog_files` watches the catalog folder (a fingerprint of file names and contents, kept as
the sensor's cursor) and launches `gauntlet_catalog`. When that run succeeds,
`generate_after_catalog_change` requests one `gauntlet_daily` run per shard for the date the
change was seen: the generated stages always read the catalog the change produced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SkipReason,
    run_status_sensor,
    sensor,
)

from assets.partitions import keys_for_date
from assets.settings import GauntletConfig
from gauntlet.names import CATALOG_PATTERNS
from pipelines.jobs import gauntlet_catalog, gauntlet_daily

TRIGGER = "gauntlet/trigger"
CHANGED = "catalog_change"


def fingerprint(folder: Path) -> str:
    """Changes when a catalog file is added, removed or edited; not when it is only touched.

    Every file the loader reads counts (`names.CATALOG_PATTERNS`: JSON, YAML, JSON Lines)."""
    digest = hashlib.sha256()
    paths = {p for pattern in CATALOG_PATTERNS for p in folder.glob(pattern) if p.is_file()}
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


@sensor(
    job=gauntlet_catalog,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description="Rebuild the catalog when a catalog file is added, removed or changed.",
)
def catalog_files(
    context: SensorEvaluationContext, gauntlet: GauntletConfig
) -> Iterator[RunRequest | SkipReason]:
    folder = gauntlet.catalogs_path()
    if not folder.is_dir():
        yield SkipReason(f"catalog folder {folder} does not exist")
        return
    current = fingerprint(folder)
    if context.cursor is None:
        context.update_cursor(current)
        yield SkipReason("first look at the catalog folder: remembered, nothing to do")
        return
    if current == context.cursor:
        yield SkipReason("no catalog file changed")
        return
    context.update_cursor(current)
    today = datetime.now(UTC).date().isoformat()
    yield RunRequest(run_key=f"catalog-{current}", tags={TRIGGER: CHANGED, "gauntlet/date": today})


def daily_requests(tags: dict[str, str], run_id: str) -> list[RunRequest]:
    """One request per shard of the date a catalog change was seen; none for other runs."""
    if tags.get(TRIGGER) != CHANGED:
        return []
    date = tags["gauntlet/date"]
    return [
        RunRequest(
            run_key=f"{run_id}|{key.keys_by_dimension['shard']}",
            partition_key=key,
            tags={
                TRIGGER: CHANGED,
                "gauntlet/date": date,
                "gauntlet/shard": key.keys_by_dimension["shard"],
            },
        )
        for key in keys_for_date(date)
    ]


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=[gauntlet_catalog],
    request_job=gauntlet_daily,
    default_status=DefaultSensorStatus.RUNNING,
    description="After a catalog change is built, generate that day's shards.",
)
def generate_after_catalog_change(context: RunStatusSensorContext):
    requests = daily_requests(context.dagster_run.tags, context.dagster_run.run_id)
    return requests or SkipReason("not a catalog-change run")


SENSORS = [catalog_files, generate_after_catalog_change]
