"""What every asset shares: the config resource, the partitioning, store I/O and metadata.

Assets read upstream partitions from the `Store` (no IO managers), write their own partition
and report a `MaterializeResult` whose `DataVersion` is the partition's content hash, so
staleness in the UI follows the data. The resource and the partitioning live here, not in
`pipelines/`, because assets need them and dependencies point pipelines -> assets -> gauntlet.
"""

from __future__ import annotations

import base64
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    ConfigurableResource,
    DailyPartitionsDefinition,
    DataVersion,
    MaterializeResult,
    MetadataValue,
    MultiPartitionsDefinition,
    StaticPartitionsDefinition,
)
from pydantic import Field

from gauntlet.stages import StageResult
from gauntlet.store import Manifest, PartitionKey, Store

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_DATE = "2026-11-01"
KINDS = {"python", "parquet"}
OWNERS = ["team:gauntlet"]
PREVIEW_ROWS = 5
MAX_PROBLEMS = 20


def shard_count() -> int:
    """GAUNTLET_SHARDS (default 1), read when the definitions load."""
    count = int(os.environ.get("GAUNTLET_SHARDS", "1"))
    if count < 1:
        raise ValueError(f"GAUNTLET_SHARDS must be >= 1, got {count}")
    return count


SHARDS = shard_count()

# date x shard: a nightly run and a parallel backfill are the same thing. end_offset=1 makes
# today's date a valid partition, so the 02:00 run (and `make run`) produce today's batch.
daily_shards = MultiPartitionsDefinition(
    {
        "date": DailyPartitionsDefinition(start_date=START_DATE, end_offset=1),
        "shard": StaticPartitionsDefinition([str(i) for i in range(SHARDS)]),
    }
)


class GauntletConfig(ConfigurableResource):
    """Run settings; relative paths resolve against the project root, wherever you start from."""

    seed: int = Field(default=0, description="Run seed; each shard derives its own from it.")
    tasks: int = Field(default=160, description="Tasks per date, split evenly across shards.")
    catalogs: str = Field(default="data/catalogs", description="Folder of tool catalogs.")
    data_root: str = Field(default="data/lake", description="Root of the partition store.")

    def store(self) -> Store:
        return Store(resolve(self.data_root))

    def catalogs_path(self) -> Path:
        return resolve(self.catalogs)

    def tasks_for_shard(self, shard: int, shards: int) -> int:
        """This shard's share of the date's tasks (the first shards take the remainder)."""
        return self.tasks // shards + (1 if shard < self.tasks % shards else 0)


def resolve(path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else PROJECT_ROOT / p


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


def records_check(name: str, asset: str, what: str) -> AssetCheckSpec:
    """A blocking check spec: downstream assets do not run when it fails."""
    return AssetCheckSpec(name, asset=asset, blocking=True, description=what)


def validity_check(
    name: str, problems: Sequence[str] | None, error: str | None = None
) -> AssetCheckResult:
    """Pass only when the check ran (`error` is None) and found no problem: fail closed."""
    problems = list(problems or [])
    metadata: dict[str, Any] = {"problems": len(problems)}
    if error is not None:
        metadata["error"] = MetadataValue.text(error)
    if problems:
        shown = "\n".join(f"- {md_cell(p, 300)}" for p in problems[:MAX_PROBLEMS])
        metadata["first_problems"] = MetadataValue.md(shown)
    return AssetCheckResult(
        check_name=name,
        passed=error is None and not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata=metadata,
        description=error or (f"{len(problems)} problem(s)" if problems else "all valid"),
    )


def schema_problems(
    records: Iterable[Mapping[str, Any]],
    errors_of: Callable[[Mapping[str, Any]], list[str]],
    label: Callable[[Mapping[str, Any]], str],
) -> list[str]:
    """`<record label>: <field>: <message>` for every schema violation."""
    out = []
    for index, record in enumerate(records):
        name = _safe(lambda r=record: label(r)) or f"#{index}"
        out += [f"{name}: {problem}" for problem in errors_of(record)]
    return out


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
        extra_files=extra_files,
    )


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


# --- markdown ----------------------------------------------------------------------------


def md_cell(value: Any, width: int = 80) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def md_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> MetadataValue:
    """A markdown table of `columns` (dotted paths into each row)."""
    if not rows:
        return MetadataValue.md("_none_")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(md_cell(pick(row, c)) for c in columns) + " |")
    return MetadataValue.md("\n".join(lines))


def md_counts(counts: Mapping[Any, int], key: str, value: str = "count") -> MetadataValue:
    """A two-column markdown table, e.g. rejection reason -> count (sorted by key)."""
    rows = [{key: k, value: v} for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))]
    return md_table(rows, [key, value])


def preview(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> MetadataValue:
    return md_table(records[:PREVIEW_ROWS], columns)


def pick(record: Any, path: str) -> Any:
    """`record["a"]["b"]` for path "a.b"; None when any step is missing."""
    value = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def count_by(records: Iterable[Mapping[str, Any]], path: str) -> dict[Any, int]:
    return dict(Counter(pick(r, path) for r in records))


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _safe(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception:  # a record too broken to label is still reported, by index
        return None


INLINE_IMAGE_LIMIT = 1_500_000  # bytes; a bigger picture is only linked by path


def image_md(png: bytes, alt: str) -> MetadataValue | None:
    """A PNG inline in markdown metadata, which the UI renders as a picture."""
    if len(png) > INLINE_IMAGE_LIMIT:
        return None
    return MetadataValue.md(
        f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"
    )
