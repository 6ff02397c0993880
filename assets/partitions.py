"""The date x shard partitioning of the generated stages, and keys for a given date.

A nightly run and a parallel backfill are the same thing: one run per date x shard. The shard
count comes from the settings (GAUNTLET_SHARDS); `end_offset=1` makes today a valid date, so
the 02:00 run (and `make run`) produce today's batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from dagster import (
    AssetExecutionContext,
    DailyPartitionsDefinition,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    PartitionsDefinition,
    StaticPartitionsDefinition,
)

from assets.settings import current

START_DATE = "2026-11-01"

daily = DailyPartitionsDefinition(start_date=START_DATE, end_offset=1)
shards = StaticPartitionsDefinition([str(i) for i in range(current().shards)])
daily_shards = MultiPartitionsDefinition({"date": daily, "shard": shards})


def date_partitions() -> PartitionsDefinition:
    """The daily dimension (from START_DATE to today, UTC)."""
    return daily


def shard_keys() -> list[str]:
    """The shard dimension's keys, `"0"` .. `str(GAUNTLET_SHARDS - 1)`."""
    return list(shards.get_partition_keys())


def partition_key(date: str, shard: str | int) -> MultiPartitionKey:
    return MultiPartitionKey({"date": date, "shard": str(shard)})


def keys_for_date(date: str) -> list[MultiPartitionKey]:
    """Every shard of one date: what a nightly run (or a one-day backfill) materializes."""
    return [partition_key(date, shard) for shard in shard_keys()]


@dataclass(frozen=True)
class Shard:
    """One date x shard partition, in the forms the engine and the store want."""

    date: str
    shard: str

    @property
    def key(self) -> dict[str, str]:
        return {"date": self.date, "shard": self.shard}

    @property
    def label(self) -> str:
        """`<date>|<shard>`: the partition string the engine records in provenance."""
        return f"{self.date}|{self.shard}"

    @property
    def index(self) -> int:
        return int(self.shard)


def shard_of(context: AssetExecutionContext) -> Shard:
    keys = context.partition_key.keys_by_dimension  # a MultiPartitionKey
    return Shard(date=keys["date"], shard=keys["shard"])
