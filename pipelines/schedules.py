"""Nightly: the catalog at 01:30 UTC, then one run per shard of today's date at 02:00 UTC
(GAUNTLET_NIGHTLY_HOUR moves both).

The catalog takes seconds, so the 30-minute head start means the daily runs read tonight's
catalog and graph. If the catalog run fails, the store still holds the last good catalog
(partitions are replaced only on success), so the daily runs use that rather than nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    schedule,
)

from assets.partitions import keys_for_date
from assets.settings import current
from pipelines.jobs import gauntlet_catalog, gauntlet_daily, gauntlet_hub

TIMEZONE = "UTC"


HOUR = current().nightly_hour

gauntlet_catalog_nightly = ScheduleDefinition(
    name="gauntlet_catalog_nightly",
    job=gauntlet_catalog,
    cron_schedule=f"30 {(HOUR - 1) % 24} * * *",
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description="Rebuild tool_catalog and tool_graph before the nightly generation.",
)


@schedule(
    name="gauntlet_nightly",
    job=gauntlet_daily,
    cron_schedule=f"0 {HOUR} * * *",
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description="One gauntlet_daily run per shard for the tick's date (UTC).",
)
def gauntlet_nightly(context: ScheduleEvaluationContext) -> Iterator[RunRequest]:
    date = context.scheduled_execution_time.astimezone(UTC).date().isoformat()
    for key in keys_for_date(date):
        shard = key.keys_by_dimension["shard"]
        yield RunRequest(
            run_key=f"{date}|{shard}",
            partition_key=key,
            tags={"gauntlet/date": date, "gauntlet/shard": shard},
        )


@schedule(
    name="gauntlet_hub_nightly",
    job=gauntlet_hub,
    cron_schedule=f"0 {(HOUR + 1) % 24} * * *",
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description="An hour after the shards: gather the day's shards into one Hub dataset and push it.",
)
def gauntlet_hub_nightly(context: ScheduleEvaluationContext) -> RunRequest:
    date = context.scheduled_execution_time.astimezone(UTC).date().isoformat()
    return RunRequest(run_key=f"hub|{date}", partition_key=date, tags={"gauntlet/date": date})


SCHEDULES = [gauntlet_catalog_nightly, gauntlet_nightly, gauntlet_hub_nightly]
