"""The date x shard partitioning of the generated stages, and keys for a given date.

The definition itself lives in `assets.lake` (assets need it; dependencies point
pipelines -> assets); this module is what jobs, schedules and `make run` use.
"""

from __future__ import annotations

from dagster import MultiPartitionKey, PartitionsDefinition

from assets.lake import SHARDS, START_DATE, daily_shards

__all__ = [
    "SHARDS",
    "START_DATE",
    "daily_shards",
    "date_partitions",
    "keys_for_date",
    "partition_key",
    "shard_keys",
]


def _dimension(name: str) -> PartitionsDefinition:
    return next(d.partitions_def for d in daily_shards.partitions_defs if d.name == name)


def date_partitions() -> PartitionsDefinition:
    """The daily dimension (from START_DATE to today, UTC)."""
    return _dimension("date")


def shard_keys() -> list[str]:
    """The shard dimension's keys, `"0"` .. `str(GAUNTLET_SHARDS - 1)`."""
    return list(_dimension("shard").get_partition_keys())


def partition_key(date: str, shard: str | int) -> MultiPartitionKey:
    return MultiPartitionKey({"date": date, "shard": str(shard)})


def keys_for_date(date: str) -> list[MultiPartitionKey]:
    """Every shard of one date: what a nightly run (or a one-day backfill) materializes."""
    return [partition_key(date, shard) for shard in shard_keys()]
