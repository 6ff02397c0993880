"""What every asset declares alike: owners, kinds, and the shape of a date x shard stage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dagster import AssetCheckSpec

from assets.partitions import daily_shards

OWNERS = ["team:gauntlet"]
KINDS = {"python", "parquet"}


def records_check(name: str, asset: str, what: str) -> AssetCheckSpec:
    """A blocking check spec: downstream assets do not run when it fails."""
    return AssetCheckSpec(name, asset=asset, blocking=True, description=what)


def shard_stage(
    key: str,
    *,
    group: str,
    code_version: str,
    deps: Sequence[str],
    check: tuple[str, str],
    kinds: set[str] = frozenset(),
) -> dict[str, Any]:
    """`@asset` arguments for a generated stage: date x shard partitions, the `llm` pool, one
    blocking check `(name, what it checks)`. The asset's docstring is its description."""
    return {
        "key": key,
        "group_name": group,
        "owners": OWNERS,
        "code_version": code_version,
        "kinds": KINDS | set(kinds),
        "partitions_def": daily_shards,
        "pool": "llm",
        "deps": list(deps),
        "check_specs": [records_check(check[0], key, check[1])],
    }
