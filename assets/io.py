"""Reading upstream partitions and writing this asset's, with the metadata every asset reports.

Assets read upstream partitions from the `Store` (no IO managers), write their own partition
and report a `MaterializeResult` whose `DataVersion` is the partition's content hash, so
staleness in the UI follows the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    DataVersion,
    MaterializeResult,
    MetadataValue,
)

from assets.metadata import md_counts
from assets.partitions import Shard, shard_of
from assets.settings import GauntletConfig
from gauntlet import canonical
from gauntlet.stages.result import StageResult
from gauntlet.store import Manifest, PartitionKey, Store


@dataclass
class Upstream:
    """Reads upstream partitions and remembers their data versions for the manifest."""

    store: Store
    versions: dict[str, str] = field(default_factory=dict)

    def read(self, asset: str, partition: PartitionKey = None) -> list[dict[str, Any]]:
        manifest = self.store.manifest(asset, partition)
        self.versions[asset] = manifest.content_hash
        return self.store.read(asset, partition)

    def version(self, asset: str) -> str:
        """Short data version of an asset already read (what provenance records)."""
        return self.versions[asset][:16]


@dataclass
class ShardRun:
    """What a date x shard asset starts with: its partition, the store, the upstream reader,
    and the catalog's tools (every generated stage needs them)."""

    part: Shard
    store: Store
    upstream: Upstream
    tools: list[dict[str, Any]]
    world_schemas: list[dict[str, Any]]


def open_shard(context: AssetExecutionContext, gauntlet: GauntletConfig) -> ShardRun:
    store = gauntlet.store()
    upstream = Upstream(store)
    return ShardRun(
        shard_of(context),
        store,
        upstream,
        upstream.read("tool_catalog"),
        upstream.read("world_schema"),
    )


def write(
    store: Store,
    asset: str,
    partition: PartitionKey,
    result: StageResult,
    *,
    code_version: str,
    upstream: Upstream | None = None,
    ids: Sequence[str] | None = None,
    columns: Mapping[str, Sequence[Any]] | None = None,
    seed: int | None = None,
    config: Mapping[str, Any] | None = None,
    extra_files: Callable[[Path], None] | None = None,
) -> Manifest:
    """Persist a stage's records and rejections as one partition."""
    return store.write(
        asset,
        partition,
        result.records,
        code_version=code_version,
        ids=ids,
        columns=columns,
        rejected=result.rejected,
        upstream=upstream.versions if upstream else None,
        seed=seed,
        config=config,
        extra_files=_with_attachments(result, extra_files),
    )


def _with_attachments(
    result: StageResult, extra_files: Callable[[Path], None] | None
) -> Callable[[Path], None] | None:
    """The stage's attachments as `<name>.jsonl` beside its records, then any other files."""
    if not result.attachments:
        return extra_files

    def write_all(folder: Path) -> None:
        for name, rows in sorted(result.attachments.items()):
            with open(folder / f"{name}.jsonl", "w", encoding="utf-8") as out:
                for row in rows:
                    out.write(canonical.dumps(row) + "\n")
        if extra_files is not None:
            extra_files(folder)

    return write_all


def materialize_result(
    store: Store,
    manifest: Manifest,
    metadata: Mapping[str, Any],
    checks: Sequence[AssetCheckResult] = (),
) -> MaterializeResult:
    """Row counts, rejections, path and data version first; the asset's own metadata after."""
    path = store.path(manifest.asset, manifest.partition)
    base: dict[str, Any] = {
        "rows": manifest.row_count,
        "rejected": manifest.rejected_count,
        "rejections": md_counts(manifest.rejected, "reason", "rejected"),
        "path": MetadataValue.path(str(path)),
        "content_hash": MetadataValue.text(manifest.content_hash),
    }
    if manifest.seed is not None:
        base["seed"] = manifest.seed
    return MaterializeResult(
        metadata={**base, **metadata},
        data_version=DataVersion(manifest.content_hash),
        check_results=list(checks),
    )


def file_writer(name: str, data: bytes | None) -> Callable[[Path], None]:
    """`extra_files` for `write`: one file beside the records, or none when there is no data."""

    def add(folder: Path) -> None:
        if data is not None:
            (folder / name).write_bytes(data)

    return add
