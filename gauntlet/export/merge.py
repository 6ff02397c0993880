"""Gather several Hub folders (one per shard of a day) into one: what the day's Hub push holds.

Per config and split, rows are concatenated in the order the folders are given, then
re-sharded as `<split>-NNNNN-of-NNNNN.parquet` (one file up to `MAX_ROWS_PER_FILE` rows).
A config's `metadata.json` (ADP's tool declarations) becomes the union of the folders'
declarations. Splits are not re-assigned: each shard assigned its tasks once, with
`hub.assign_splits`, and task ids are unique across shards, so no task ends up in two splits.
The card is not written here; the caller renders it over the merged configs (`hub.write_card`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gauntlet.export import hub
from gauntlet.export.folder import pretty_json, replace_folder

MAX_ROWS_PER_FILE = 100_000
METADATA_FILE = "metadata.json"


def merge_hub_folders(
    sources: Sequence[Path], dest: Path, *, max_rows_per_file: int = MAX_ROWS_PER_FILE
) -> dict[str, dict[str, int]]:
    """Write the merged `data/` of `sources` into `dest/data` (replaced whole, atomically).

    Returns rows per config and split. Raises ValueError naming the folder when a config's
    columns differ between folders, an id appears twice, or two folders declare one tool
    differently; FileNotFoundError when a source is not a Hub folder.
    """
    if max_rows_per_file < 1:
        raise ValueError(f"max_rows_per_file must be >= 1, got {max_rows_per_file}")
    tables: dict[str, dict[str, list[tuple[Path, pa.Table]]]] = {}
    metadata: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for source in map(Path, sources):
        configs = hub.hub_configs(source)
        if not configs:
            raise FileNotFoundError(f"{source}: no Hub configs under data/ (not a Hub folder?)")
        for config in configs:
            for split in config["splits"]:
                for path in split["paths"]:
                    table = pq.read_table(source / path).replace_schema_metadata()
                    tables.setdefault(config["name"], {}).setdefault(split["name"], [])
                    tables[config["name"]][split["name"]].append((source, table))
            if config["metadata"]:
                declared = json.loads((source / config["metadata"]).read_text(encoding="utf-8"))
                metadata.setdefault(config["name"], []).append((source, declared))
    files: dict[str, str | bytes] = {}
    rows: dict[str, dict[str, int]] = {}
    for name, by_split in tables.items():
        _check_schemas(name, [item for items in by_split.values() for item in items])
        seen: dict[str, Path] = {}
        for split, items in by_split.items():
            table = pa.concat_tables([t for _, t in items])
            _check_ids(name, items, seen)
            total = max(1, math.ceil(table.num_rows / max_rows_per_file))
            for index in range(total):
                part = table.slice(index * max_rows_per_file, max_rows_per_file)
                files[f"{name}/{hub.shard_name(split, index, total)}"] = hub.parquet_bytes(part)
            rows.setdefault(name, {})[split] = table.num_rows
        if name in metadata:
            files[f"{name}/{METADATA_FILE}"] = pretty_json(merge_metadata(metadata[name]))
    Path(dest).mkdir(parents=True, exist_ok=True)
    replace_folder(Path(dest) / "data", files)
    return rows


def merge_metadata(declared: Sequence[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    """The union of several `metadata.json` objects: each tool once, sorted by name."""
    first_source, first = declared[0]
    tools: dict[str, tuple[Path, dict[str, Any]]] = {}
    for source, meta in declared:
        rest = {k: v for k, v in meta.items() if k != "custom_tools"}
        if rest != {k: v for k, v in first.items() if k != "custom_tools"}:
            raise ValueError(f"{source}: metadata.json settings differ from {first_source}")
        for tool in meta.get("custom_tools", []):
            name = tool["function"]["name"]
            if name in tools and tools[name][1] != tool:
                raise ValueError(
                    f"{source}: tool {name!r} is declared differently in {tools[name][0]}"
                )
            tools.setdefault(name, (source, tool))
    merged = dict(first)
    merged["custom_tools"] = [tools[name][1] for name in sorted(tools)]
    return merged


def _check_schemas(config: str, items: list[tuple[Path, pa.Table]]) -> None:
    """Every folder must agree on the config's columns and their types."""
    schema = items[0][1].schema
    for source, table in items[1:]:
        if not table.schema.equals(schema):
            raise ValueError(
                f"{source}: config {config!r} has columns {table.schema.names} of other types "
                f"than {items[0][0]} ({schema.names})"
            )


def _check_ids(config: str, items: list[tuple[Path, pa.Table]], seen: dict[str, Path]) -> None:
    """No row id twice in a config (the same shard gathered twice, say)."""
    for source, table in items:
        if "id" not in table.schema.names:
            return
        for row_id in table.column("id").to_pylist():
            if row_id in seen:
                raise ValueError(
                    f"{source}: config {config!r} row {row_id!r} is also in {seen[row_id]}"
                )
            seen[row_id] = source
