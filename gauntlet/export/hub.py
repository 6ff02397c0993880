"""The Hugging Face Hub layout: `data/<config>/<split>-NNNNN-of-NNNNN.parquet` plus README.md.

The card's `configs` are discovered from the files under `data/`, so the SFT and preference
exporters only write their Parquet files and call `write_card` again. Splits are assigned per
task (`assign_splits`), and every exporter should use it so no task leaks across splits.
Bytes are deterministic: no timestamps, rows in input order, one fixed Arrow schema.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gauntlet import __version__, prompts, seeds
from gauntlet.export.adp_rules import SCHEMA_VERSION
from gauntlet.export.folder import pretty_json, replace_folder

CARD_TEMPLATE = "dataset_card.md.j2"
VALIDATION_PERCENT = 10
CONFIG_ORDER = ("adp", "sft", "preferences")
SPLIT_ORDER = ("train", "validation", "test")
SHARD_RE = re.compile(r"^(?P<split>[a-z_]+)-(?P<index>\d{5})-of-(?P<total>\d{5})\.parquet$")
SIZE_CATEGORIES = (
    (1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
)  # fmt: skip
REQUIRED_CARD_CONTEXT = ("seed", "stages", "backends", "catalog_version", "code_version")

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


def size_category(count: int) -> str:
    """The Hub's `size_categories` value for a row count."""
    for bound, label in SIZE_CATEGORIES:
        if count < bound:
            return label
    return "n>1B"


def shard_name(split: str, index: int = 0, total: int = 1) -> str:
    """`train-00000-of-00001.parquet`: the Hub's shard naming."""
    return f"{split}-{index:05d}-of-{total:05d}.parquet"


def write_hub_folder(
    folder: Path,
    adp_records: list[dict[str, Any]],
    stats: dict[str, Any],
    card_context: dict[str, Any],
    *,
    metadata: dict[str, Any] | None = None,
    splits: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Write the `adp` config (one Parquet shard per split) and the dataset card.

    `stats` may give `tasks`, `trajectories`, `tools`, `domains` (name -> tasks), `difficulty`
    (level -> tasks), `rejections` (reason -> count) and `preferences` (`{"tasks", "pairs"}`:
    kept tasks tried and preference pairs made); what it omits is computed from the
    records (rejections default to none). `card_context` needs `seed`, `stages` (list),
    `backends` (role -> backend), `catalog_version`, `code_version` (str or name -> version)
    and may give `repo_id`, `pretty_name`, `homepage`, `graph_version`, `generator_version`.
    `metadata`, when given, is shipped as `data/adp/metadata.json` (ADP's tool declarations).
    `splits` (task id -> split) defaults to `assign_splits` over these records; pass the one
    mapping every config of the folder uses, so a task lands in the same split everywhere.
    Returns the files written (relative to `folder`) and the rows per split. Raises
    ValueError when there are no records (a card without data would still look published).
    """
    folder = Path(folder)
    _check_card_context(card_context)
    if not adp_records:
        raise ValueError(f"{folder}: no ADP records to publish; refusing to write an empty config")
    if splits is None:
        splits = assign_splits(r["details"]["task_id"] for r in adp_records)
    extra = {"metadata.json": pretty_json(metadata)} if metadata is not None else {}
    rows = write_config(
        folder,
        "adp",
        _adp_rows(adp_records),
        ADP_SCHEMA,
        {r["id"]: splits[r["details"]["task_id"]] for r in adp_records},
        extra_files=extra,
    )
    files = [*extra, *(shard_name(split) for split in rows)]
    merged = {**record_stats(adp_records), **stats}
    write_card(folder, merged, card_context)
    written = sorted(f"data/adp/{name}" for name in files) + ["README.md"]
    return {"files": written, "rows": rows, "configs": [c["name"] for c in hub_configs(folder)]}


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


def render_card(
    configs: list[dict[str, Any]], stats: dict[str, Any], context: dict[str, Any]
) -> str:
    """The README.md text: YAML front matter (configs, license, ...) and the run's report."""
    _check_card_context(context)
    total = max((sum(s["rows"] for s in c["splits"]) for c in configs), default=0)
    return (
        prompts.render(
            CARD_TEMPLATE,
            quote=_quote,
            pretty_name=context.get("pretty_name", "Gauntlet tool-use trajectories"),
            license="apache-2.0",
            task_categories=["text-generation"],
            size_category=size_category(total),
            tags=["agents", "tool-use", "synthetic", "adp"],
            configs=configs,
            schema_version=SCHEMA_VERSION,
            homepage=context.get("homepage"),
            generator_version=context.get("generator_version", __version__),
            repo_id=context.get("repo_id", "path/to/this/folder"),
            stages=list(context["stages"]),
            backends=dict(context["backends"]),
            seed=context["seed"],
            catalog_version=context["catalog_version"],
            graph_version=context.get("graph_version"),
            code_version=context["code_version"],
            renamed=dict(sorted(context.get("renamed", {}).items())),
            stats=_card_stats(stats),
            metadata_path=next((c["metadata"] for c in configs if c.get("metadata")), None),
            config_names=[c["name"] for c in configs],
        )
        + "\n"
    )


def write_card(folder: Path, stats: dict[str, Any], card_context: dict[str, Any]) -> str:
    """(Re)write README.md for whatever configs `folder/data` holds now; returns the text."""
    folder = Path(folder)
    text = render_card(hub_configs(folder), stats, card_context)
    staging = folder / ".README.md.staging"
    staging.write_bytes(text.encode("utf-8"))
    os.replace(staging, folder / "README.md")
    return text


def _check_card_context(context: Mapping[str, Any]) -> None:
    missing = [key for key in REQUIRED_CARD_CONTEXT if key not in context]
    if missing:
        raise KeyError(f"card_context is missing {missing} (needs {list(REQUIRED_CARD_CONTEXT)})")


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


def _quote(value: Any) -> str:
    """A YAML/Python string literal for the card: JSON quoting, readable unicode."""
    return json.dumps(str(value), ensure_ascii=False)


def compact_json(value: Any) -> str:
    """JSON text for a string column: compact, readable unicode."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def parquet_bytes(table: pa.Table) -> bytes:
    """A table as deterministic zstd Parquet bytes."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _md_cell(value: Any) -> str:
    """A Markdown table cell: pipes and newlines would break the row."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _pairs(mapping: Any, sort_numeric: bool = False) -> list[tuple[str, Any]]:
    items = dict(mapping).items() if isinstance(mapping, Mapping) else Counter(mapping).items()
    if sort_numeric:
        ordered = sorted(items, key=lambda kv: _numeric_first(kv[0]))
    else:
        ordered = sorted(items, key=lambda kv: (-kv[1], str(kv[0])))
    return [(_md_cell(k), v) for k, v in ordered]


def _numeric_first(key: Any) -> tuple[int, int, str]:
    text = str(key)
    return (0, int(text), "") if text.lstrip("-").isdigit() else (1, 0, text)


def _card_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Stats as the template wants them: counts, and sorted (label, count) rows per table."""
    return {
        "tasks": stats.get("tasks", 0),
        "trajectories": stats.get("trajectories", 0),
        "tools": stats.get("tools", 0),
        "domains": _pairs(stats.get("domains", {})),
        "difficulty": _pairs(stats.get("difficulty", {}), sort_numeric=True),
        "rejections": _pairs(stats.get("rejections", {})),
        "preferences": dict(stats["preferences"]) if stats.get("preferences") else None,
    }
