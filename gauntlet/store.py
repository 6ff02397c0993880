"""Partition folders: every asset partition is a versioned dataset on disk, no Dagster needed.

A partition is `<root>/<asset>/<partition-path>/` holding `records.parquet` (`id`, `record` =
canonical JSON, plus optional flat columns), `rejected.parquet` (every rejected record with its
reason), `manifest.json` (counts, content hash, versions, seed, config; no timestamps, so the
same inputs give byte-identical files) and any extra files a stage writes.

A partition is built in `<root>/.staging/` and renamed into place only when complete, so a
failure never leaves a half-written partition and readers never see one. DuckDB views over all
partitions make the lake queryable with SQL (`Store.duckdb`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from gauntlet import canonical

RECORDS_FILE = "records.parquet"
REJECTED_FILE = "rejected.parquet"
MANIFEST_FILE = "manifest.json"
RESERVED_FILES = frozenset({RECORDS_FILE, REJECTED_FILE, MANIFEST_FILE})
UNPARTITIONED = "latest"
STAGING_DIR = ".staging"

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_VALUE_RE = re.compile(r"^[A-Za-z0-9_.:+-]+$")

# None = unpartitioned ("latest"); a mapping = dimension -> key; a string = a partition path.
PartitionKey = Mapping[str, str] | str | None


class MissingPartitionError(FileNotFoundError):
    """A partition was read before it was written; the message says what to materialize."""


def partition_path(partition: PartitionKey) -> str:
    """The relative folder of a partition: `latest`, or `date=2026-11-21/shard=0` (keys sorted)."""
    if partition is None:
        return UNPARTITIONED
    if isinstance(partition, Mapping):
        if not partition:
            raise ValueError("a partition mapping needs at least one dimension")
        parts = [f"{key}={partition[key]}" for key in sorted(partition)]
    else:
        parts = str(partition).split("/")
    for part in parts:
        key, eq, value = part.partition("=")
        if part == UNPARTITIONED and len(parts) == 1:
            continue
        if not eq or not _NAME_RE.match(key) or not _VALUE_RE.match(value) or value in {".", ".."}:
            raise ValueError(f"bad partition segment {part!r} (want name=value) in {partition!r}")
    return "/".join(parts)


@dataclass(frozen=True)
class Manifest:
    """What a partition holds and what made it; `content_hash` is its data version."""

    asset: str
    partition: str
    row_count: int
    content_hash: str
    code_version: str
    upstream: dict[str, str] = field(default_factory=dict)
    seed: int | None = None
    config: dict[str, Any] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    @property
    def rejected_count(self) -> int:
        return sum(self.rejected.values())

    def to_json(self) -> str:
        """Stable text: sorted keys, 2-space indent, trailing newline."""
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return cls(**json.loads(text))


class PartitionWriter:
    """A partition being built in a staging folder; `commit` swaps it into place."""

    def __init__(self, store: Store, asset: str, partition: PartitionKey) -> None:
        self.store = store
        self.asset = asset
        self.partition = partition_path(partition)
        self.final = store.root / asset / self.partition
        self.path = store._scratch(asset)  # extra files go here before commit
        self.path.mkdir(parents=True)
        self.manifest: Manifest | None = None

    def commit(
        self,
        records: Sequence[Mapping[str, Any]],
        *,
        code_version: str,
        ids: Sequence[str] | None = None,
        columns: Mapping[str, Sequence[Any]] | None = None,
        rejected: Sequence[Mapping[str, Any]] = (),
        upstream: Mapping[str, str] | None = None,
        seed: int | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> Manifest:
        """Write records, rejections and manifest, then replace the partition atomically."""
        if self.manifest is not None:
            raise RuntimeError(f"{self.asset}/{self.partition}: already committed")
        clash = sorted(name for name in RESERVED_FILES if (self.path / name).exists())
        if clash:
            raise ValueError(f"{self.asset}/{self.partition}: extra files may not write {clash}")
        lines = [canonical.dumps(dict(r)) for r in records]
        record_ids = _ids(self.asset, records, ids)
        frame = _records_frame(self.asset, self.partition, record_ids, lines, columns)
        frame.write_parquet(self.path / RECORDS_FILE, compression="zstd", statistics=True)
        _rejected_frame(rejected).write_parquet(self.path / REJECTED_FILE, compression="zstd")
        reasons: dict[str, int] = {}
        for row in rejected:
            reason = str(row.get("reason") or "unspecified")
            reasons[reason] = reasons.get(reason, 0) + 1
        manifest = Manifest(
            asset=self.asset,
            partition=self.partition,
            row_count=len(lines),
            content_hash=canonical.digest_lines(lines),
            code_version=code_version,
            upstream=dict(sorted((upstream or {}).items())),
            seed=seed,
            config=json.loads(canonical.dumps(dict(config or {}))),
            rejected=dict(sorted(reasons.items())),
            columns=list(frame.columns),
            files=_file_hashes(self.path),
        )
        (self.path / MANIFEST_FILE).write_text(manifest.to_json(), encoding="utf-8")
        self.store._swap_in(self.path, self.final)
        self.manifest = manifest
        return manifest

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class Store:
    """The partition folders under one root (the lake)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, asset: str, partition: PartitionKey = None) -> Path:
        """Where the partition lives (whether or not it exists yet)."""
        return self.root / _check_asset(asset) / partition_path(partition)

    def exists(self, asset: str, partition: PartitionKey = None) -> bool:
        return (self.path(asset, partition) / MANIFEST_FILE).is_file()

    @contextmanager
    def writer(self, asset: str, partition: PartitionKey = None) -> Iterator[PartitionWriter]:
        """Build a partition in staging (write extra files into `.path`), then `.commit(...)`.

        Leaving the block without committing, or with an exception, removes the staging folder
        and leaves any existing partition untouched.
        """
        w = PartitionWriter(self, _check_asset(asset), partition)
        try:
            yield w
        finally:
            if w.manifest is None:
                w.discard()

    def write(
        self,
        asset: str,
        partition: PartitionKey,
        records: Sequence[Mapping[str, Any]],
        *,
        code_version: str,
        ids: Sequence[str] | None = None,
        columns: Mapping[str, Sequence[Any]] | None = None,
        rejected: Sequence[Mapping[str, Any]] = (),
        upstream: Mapping[str, str] | None = None,
        seed: int | None = None,
        config: Mapping[str, Any] | None = None,
        extra_files: Callable[[Path], None] | None = None,
    ) -> Manifest:
        """Write a whole partition; `extra_files(folder)` may add files before the swap.

        Records are stored in the given order; ids default to each record's `id` field.
        """
        with self.writer(asset, partition) as w:
            if extra_files is not None:
                extra_files(w.path)
            return w.commit(
                records,
                code_version=code_version,
                ids=ids,
                columns=columns,
                rejected=rejected,
                upstream=upstream,
                seed=seed,
                config=config,
            )

    def manifest(self, asset: str, partition: PartitionKey = None) -> Manifest:
        path = self._existing(asset, partition) / MANIFEST_FILE
        return Manifest.from_json(path.read_text(encoding="utf-8"))

    def read(self, asset: str, partition: PartitionKey = None) -> list[dict[str, Any]]:
        """The records of a partition, in stored order."""
        return [json.loads(text) for text in self.read_frame(asset, partition)["record"]]

    def read_frame(self, asset: str, partition: PartitionKey = None) -> pl.DataFrame:
        """`records.parquet` as a polars frame (`id`, `record` and any extra columns)."""
        return pl.read_parquet(self._existing(asset, partition) / RECORDS_FILE)

    def read_rejected(self, asset: str, partition: PartitionKey = None) -> list[dict[str, Any]]:
        """Every rejected record of a partition, as the stage reported it."""
        frame = pl.read_parquet(self._existing(asset, partition) / REJECTED_FILE)
        return [json.loads(text) for text in frame["row"]]

    def partitions(self, asset: str) -> list[str]:
        """The partition paths of an asset that exist, sorted."""
        base = self.root / _check_asset(asset)
        if not base.is_dir():
            return []
        found = [p.parent.relative_to(base).as_posix() for p in base.rglob(MANIFEST_FILE)]
        return sorted(found)

    def assets(self) -> list[str]:
        """Assets with at least one partition."""
        if not self.root.is_dir():
            return []
        names = [p.name for p in self.root.iterdir() if p.is_dir() and _NAME_RE.match(p.name)]
        return sorted(name for name in names if self.partitions(name))

    def duckdb(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB with a view per asset (and `<asset>_rejected`) over all partitions.

        Partition dimensions (`date`, `shard`) are columns; query records with DuckDB's JSON
        functions, e.g. `SELECT record->>'$.difficulty.level' FROM tasks`.
        """
        con = duckdb.connect()
        for asset in self.assets():
            for view, filename in ((asset, RECORDS_FILE), (f"{asset}_rejected", REJECTED_FILE)):
                pattern = (self.root / asset).resolve().as_posix() + f"/**/{filename}"
                quoted = pattern.replace("'", "''")
                con.execute(
                    f"CREATE VIEW \"{view}\" AS SELECT * FROM read_parquet('{quoted}', "
                    "hive_partitioning=true, hive_types_autocast=false, union_by_name=true)"
                )
        return con

    # --- internals ---------------------------------------------------------------------

    def _existing(self, asset: str, partition: PartitionKey) -> Path:
        path = self.path(asset, partition)
        if not (path / MANIFEST_FILE).is_file():
            have = self.partitions(asset)
            hint = f"; it has {len(have)} other partition(s), e.g. {have[-1]}" if have else ""
            raise MissingPartitionError(
                f"asset {asset!r} has no partition {partition_path(partition)!r} under "
                f"{self.root}{hint}: materialize {asset!r} for that partition first"
            )
        return path

    def _scratch(self, asset: str) -> Path:
        return self.root / STAGING_DIR / f"{asset}-{uuid.uuid4().hex}"

    def _swap_in(self, staging: Path, final: Path) -> None:
        """Rename `staging` to `final`; an existing `final` is moved aside first, then deleted."""
        final.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(3):  # another writer of the same partition may swap in between
            old: Path | None = None
            if final.exists():
                old = self._scratch(final.relative_to(self.root).parts[0] + "-old")
                os.rename(final, old)
            try:
                os.rename(staging, final)
            except OSError as exc:
                if old is not None:
                    os.rename(old, final)
                if exc.errno in (errno.ENOTEMPTY, errno.EEXIST) and attempt < 2:
                    continue
                raise
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            return


def _check_asset(asset: str) -> str:
    if not _NAME_RE.match(asset):
        raise ValueError(f"bad asset name {asset!r} (letters, digits, underscores)")
    return asset


def _ids(asset: str, records: Sequence[Mapping[str, Any]], ids: Sequence[str] | None) -> list[str]:
    if ids is not None:
        if len(ids) != len(records):
            raise ValueError(f"{asset}: {len(ids)} ids for {len(records)} records")
        return [str(i) for i in ids]
    out = []
    for index, record in enumerate(records):
        rid = record.get("id")
        if not isinstance(rid, str) or not rid:
            raise ValueError(f"{asset}: record {index} has no string 'id'; pass ids=")
        out.append(rid)
    return out


def _records_frame(
    asset: str,
    partition: str,
    ids: list[str],
    lines: list[str],
    columns: Mapping[str, Sequence[Any]] | None,
) -> pl.DataFrame:
    data: dict[str, pl.Series] = {
        "id": pl.Series("id", ids, dtype=pl.String),
        "record": pl.Series("record", lines, dtype=pl.String),
    }
    dimensions = {part.split("=")[0] for part in partition.split("/")}
    for name, values in sorted((columns or {}).items()):
        if name in data or name in dimensions or not _NAME_RE.match(name):
            raise ValueError(f"{asset}: column name {name!r} is reserved or invalid")
        if len(values) != len(ids):
            raise ValueError(f"{asset}: column {name!r} has {len(values)} values for {len(ids)}")
        data[name] = pl.Series(name, list(values), strict=False)
    return pl.DataFrame(data)


def _rejected_frame(rejected: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    def text(value: Any) -> str | None:
        return value if isinstance(value, str) or value is None else canonical.dumps(value)

    return pl.DataFrame(
        {
            "id": [text(r.get("id")) for r in rejected],
            "reason": [str(r.get("reason") or "unspecified") for r in rejected],
            "detail": [text(r.get("detail")) for r in rejected],
            "row": [canonical.dumps(dict(r)) for r in rejected],
        },
        schema={"id": pl.String, "reason": pl.String, "detail": pl.String, "row": pl.String},
    )


def _file_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file in the partition (manifest aside), by relative path."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative != MANIFEST_FILE:
            out[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
