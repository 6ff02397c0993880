"""The Hugging Face Hub layout: `data/<config>/<split>-NNNNN-of-NNNNN.parquet` (plus the
README.md card, `export.card`).

Splits are assigned per task (`assign_splits`), and every exporter uses it so no task leaks
across splits. Bytes are deterministic: no timestamps, rows in input order, one fixed Arrow
schema.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gauntlet import seeds
from gauntlet.export.folder import pretty_json, replace_folder

VALIDATION_PERCENT = 10
CONFIG_ORDER = ("adp", "sft", "preferences")
SPLIT_ORDER = ("train", "validation", "test")
SHARD_RE = re.compile(r"^(?P<split>[a-z_]+)-(?P<index>\d{5})-of-(?P<total>\d{5})\.parquet$")

ADP_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("schema_version", pa.string()),
        ("content", pa.string()),
        ("available_custom_tools", pa.list_(pa.string())),
        ("details", pa.string()),
    ]
)


def assign_splits(task_ids: Iterable[str]) -> dict[str, str]:
    """Task id -> "train" | "validation", by a stable hash (~10% validation).

    With two or more tasks both splits are non-empty: when the hash leaves one empty, the
    task with the lowest hash moves over, so the choice stays independent of input order.
    """
    keys = {task_id: seeds.derive_int("hub-split", task_id) for task_id in sorted(set(task_ids))}
    splits = {t: "validation" if k % 100 < VALIDATION_PERCENT else "train" for t, k in keys.items()}
    if len(keys) == 1:
        return dict.fromkeys(keys, "train")
    for empty, other in (("validation", "train"), ("train", "validation")):
        if keys and empty not in splits.values():
            splits[min((k, t) for t, k in keys.items() if splits[t] == other)[1]] = empty
    return splits


def shard_name(split: str, index: int = 0, total: int = 1) -> str:
    """`train-00000-of-00001.parquet`: the Hub's shard naming."""
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


def write_adp_config(
    folder: Path,
    adp_records: list[dict[str, Any]],
    *,
    metadata: dict[str, Any] | None = None,
    splits: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Write the `adp` config (one Parquet shard per split); returns the rows per split.

    `metadata`, when given, is shipped as `data/adp/metadata.json` (ADP's tool declarations).
    `splits` (task id -> split) defaults to `assign_splits` over these records; pass the one
    mapping every config of the folder uses, so a task lands in the same split everywhere.
    Raises ValueError when there are no records (a card without data would still look
    published). The card is written last, over every config (`card.write_card`).
    """
    folder = Path(folder)
    if not adp_records:
        raise ValueError(f"{folder}: no ADP records to publish; refusing to write an empty config")
    if splits is None:
        splits = assign_splits(r["details"]["task_id"] for r in adp_records)
    extra = {"metadata.json": pretty_json(metadata)} if metadata is not None else {}
    return write_config(
        folder,
        "adp",
        _adp_rows(adp_records),
        ADP_SCHEMA,
        {r["id"]: splits[r["details"]["task_id"]] for r in adp_records},
        extra_files=extra,
    )


def write_config(
    folder: Path,
    name: str,
    rows: list[dict[str, Any]],
    schema: pa.Schema,
    split_of: Mapping[str, str],
    *,
    extra_files: Mapping[str, str | bytes] | None = None,
) -> dict[str, int]:
    """Write config `name` as `data/<name>/<split>-00000-of-00001.parquet`, replacing it whole.

    `split_of` maps each row's `id` to its split (from `assign_splits` over task ids, so no
    task is in two splits). Rows keep their input order; a split without rows gets no file,
    and a config without rows no folder (an earlier one is removed). Returns rows per split.
    """
    if not rows:
        shutil.rmtree(Path(folder) / "data" / name, ignore_errors=True)
        return {}
    files: dict[str, str | bytes] = dict(extra_files or {})
    counts: dict[str, int] = {}
    unknown = sorted({split_of[r["id"]] for r in rows} - set(SPLIT_ORDER))
    if unknown:
        raise ValueError(f"{name}: unknown split(s) {unknown} (want {list(SPLIT_ORDER)})")
    for split in SPLIT_ORDER:
        chosen = [r for r in rows if split_of[r["id"]] == split]
        if chosen:
            table = pa.Table.from_pylist(chosen, schema=schema)
            files[shard_name(split)] = parquet_bytes(table)
            counts[split] = len(chosen)
    Path(folder).mkdir(parents=True, exist_ok=True)
    replace_folder(Path(folder) / "data" / name, files)
    return counts


def record_stats(adp_records: list[dict[str, Any]]) -> dict[str, Any]:
    """The statistics the card can compute from the exported records themselves."""
    tasks: dict[str, dict[str, Any]] = {}
    for record in adp_records:
        tasks.setdefault(record["details"]["task_id"], record["details"])
    tools = {name for r in adp_records for name in r.get("available_custom_tools", [])}
    domains = Counter(d for details in tasks.values() for d in details["domains"])
    difficulty = Counter(details["difficulty_level"] for details in tasks.values())
    return {
        "tasks": len(tasks),
        "trajectories": len(adp_records),
        "tools": len(tools),
        "domains": dict(domains),
        "difficulty": dict(difficulty),
        "rejections": {},
    }


def hub_configs(folder: Path) -> list[dict[str, Any]]:
    """Every config under `folder/data`: name, per split its shard paths and row count, and the
    path of its `metadata.json` (or None)."""
    data = Path(folder) / "data"
    configs = []
    names = sorted(p.name for p in data.iterdir() if p.is_dir()) if data.is_dir() else []
    for name in sorted(names, key=_order_key(CONFIG_ORDER)):
        shards: dict[str, list[Path]] = {}
        for path in sorted((data / name).glob("*.parquet")):
            match = SHARD_RE.match(path.name)
            if match:
                shards.setdefault(match["split"], []).append(path)
        splits = [
            {
                "name": split,
                "paths": [p.relative_to(folder).as_posix() for p in shards[split]],
                "rows": sum(pq.read_metadata(p).num_rows for p in shards[split]),
            }
            for split in sorted(shards, key=_order_key(SPLIT_ORDER))
        ]
        metadata = data / name / "metadata.json"
        if splits:
            configs.append(
                {
                    "name": name,
                    "splits": splits,
                    "metadata": metadata.relative_to(folder).as_posix()
                    if metadata.is_file()
                    else None,
                }
            )
    return configs


def _order_key(preferred: tuple[str, ...]):
    """Sort the preferred names first, in their order, then the rest alphabetically."""
    return lambda name: (preferred.index(name), "") if name in preferred else (len(preferred), name)


def _adp_rows(adp_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ADP records as rows; content/details are JSON text because kwargs differ per tool."""
    return [
        {
            "id": r["id"],
            "schema_version": r["schema_version"],
            "content": compact_json(r["content"]),
            "available_custom_tools": list(r.get("available_custom_tools", [])),
            "details": compact_json(r["details"]),
        }
        for r in adp_records
    ]


def compact_json(value: Any) -> str:
    """JSON text for a string column: compact, readable unicode."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def parquet_bytes(table: pa.Table) -> bytes:
    """A table as deterministic zstd Parquet bytes."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()
