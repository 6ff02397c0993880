"""The Hub layout: per-task splits, deterministic Parquet, the dataset card, and loading it back
with `datasets.load_dataset` exactly as a user would (offline).
"""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import huggingface_hub.constants
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from gauntlet.export.adp_rules import validate_trajectory
from gauntlet.export.card import size_category, write_card
from gauntlet.export.hub import (
    assign_splits,
    hub_configs,
    record_stats,
    shard_name,
    write_adp_config,
)

DECLARED = {
    "get_weather": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "convert_currency": {
        "type": "object",
        "properties": {"amount": {"type": "number"}, "to": {"type": "string"}},
        "required": ["amount", "to"],
        "additionalProperties": False,
    },
}
METADATA = {
    "custom_tools": [
        {"type": "function", "function": {"name": n, "description": f"{n}.", "parameters": p}}
        for n, p in sorted(DECLARED.items())
    ],
    "code_enabled": [],
    "browser_enabled": False,
}
CARD_CONTEXT = {
    "seed": 20250601,
    "stages": ["tool_catalog", "tool_graph", "tasks", "rollouts", "judged", "adp_dataset"],
    "backends": {"teacher": "offline", "baseline": "offline", "judge": "rules"},
    "catalog_version": "cat-5f3a",
    "graph_version": "graph-91c2",
    "code_version": {"adp_dataset": "3", "judged": "2"},
    "repo_id": "someone/gauntlet-sample",
}
STATS = {"tools": 2, "rejections": {"state_mismatch": 4, "answer | missing fact": 1}}


def write_hub_folder(
    folder: Path, records: list[dict], stats: dict, context: dict, metadata: dict | None = None
) -> dict:
    """The `adp` config, then the card over it: what the export stage does for one config."""
    rows = write_adp_config(folder, records, metadata=metadata)
    write_card(folder, {**record_stats(records), **stats}, context)
    data = (folder / "data").rglob("*")
    files = sorted(p.relative_to(folder).as_posix() for p in data if p.is_file())
    return {
        "files": [*files, "README.md"],
        "rows": rows,
        "configs": [c["name"] for c in hub_configs(folder)],
    }


def _record(task: int, attempt: int, tools: bool = True) -> dict:
    """A small valid ADP record: one call whose kwargs shape depends on the task."""
    tool, kwargs = (
        ("get_weather", {"city": "Zürich", "days": task})
        if task % 2
        else ("convert_currency", {"amount": 12.5, "to": "EUR"})
    )
    record = {
        "schema_version": "1.5.0",
        "id": f"traj-{task}-{attempt}",
        "content": [
            {
                "class_": "text_observation",
                "content": f"Task {task}, please.",
                "source": "user",
                "name": None,
            },
            {
                "class_": "api_action",
                "function": tool,
                "kwargs": kwargs,
                "description": None,
                "tool_call_id": "c1",
            },
            {
                "class_": "text_observation",
                "content": "{}",
                "source": "environment",
                "name": tool,
                "tool_call_id": "c1",
            },
            {"class_": "message_action", "content": "Done.", "description": None},
        ],
        "available_custom_tools": sorted(DECLARED),
        "details": {
            "generator": "gauntlet",
            "generator_version": "0.1.0",
            "task_id": f"task-{task}",
            "catalog_version": "cat-5f3a",
            "graph_version": "graph-91c2",
            "task_seed": task,
            "partition": "2025-06-01|shard-0",
            "domains": ["travel"] if task % 2 else ["finance"],
            "difficulty_level": task % 3,
            "difficulty_knobs": [],
            "escalation": [{"level": 0, "operator": "base", "baseline_passed": False}],
            "teacher": "oracle",
            "teacher_backend": "offline",
            "writer": "template",
            "verification": {"state_matches": True},
            "judge_scores": {},
            "dedup_cluster": f"c-{task}",
            "usage": {
                "prompt_tokens": None,
                "completion_tokens": None,
                "calls": 0,
                "cost_usd": None,
            },
        },
    }
    if not tools:
        record["content"] = [record["content"][0], record["content"][3]]
        del record["available_custom_tools"]
    return record


@pytest.fixture
def adp_records() -> list[dict]:
    """Twelve tasks, two trajectories each (one task offers no tools); all valid ADP."""
    out = [_record(t, a, tools=t != 5) for t in range(12) for a in range(2)]
    for record in out:
        assert validate_trajectory(record, DECLARED) == []
    return out


def test_splits_are_stable_per_task_and_about_ten_percent() -> None:
    task_ids = [f"task-{i}" for i in range(2000)]
    splits = assign_splits(task_ids)
    assert splits == assign_splits(reversed(task_ids))  # input order does not matter
    share = sum(s == "validation" for s in splits.values()) / len(splits)
    assert 0.08 < share < 0.12
    assert assign_splits(task_ids[:40])["task-7"] == splits["task-7"]  # independent of the rest


def test_both_splits_exist_from_two_tasks_on() -> None:
    assert assign_splits(["task-a"]) == {"task-a": "train"}
    for pair in (["task-0", "task-1"], ["a", "b"], ["x", "y"]):
        assert sorted(assign_splits(pair).values()) == ["train", "validation"]
    assert assign_splits([]) == {}


@pytest.mark.parametrize(
    ("count", "category"),
    [(0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (54_321, "10K<n<100K"), (10**9, "n>1B")],
)
def test_size_category(count: int, category: str) -> None:
    assert size_category(count) == category


def test_write_hub_folder_writes_one_shard_per_split(tmp_path: Path, adp_records) -> None:
    result = write_hub_folder(tmp_path, adp_records, STATS, CARD_CONTEXT, metadata=METADATA)
    rows = result["rows"]
    assert set(rows) == {"train", "validation"} and sum(rows.values()) == 24
    assert result["files"] == [
        "data/adp/metadata.json",
        "data/adp/train-00000-of-00001.parquet",
        "data/adp/validation-00000-of-00001.parquet",
        "README.md",
    ]
    assert result["configs"] == ["adp"]
    assert json.loads((tmp_path / "data/adp/metadata.json").read_text()) == METADATA
    tasks = {}
    for split in ("train", "validation"):
        table = pq.read_table(tmp_path / "data" / "adp" / shard_name(split))
        assert table.schema.names == [
            "id",
            "schema_version",
            "content",
            "available_custom_tools",
            "details",
        ]
        assert table.schema.field("available_custom_tools").type == pa.list_(pa.string())
        assert table.num_rows == rows[split]
        for details in table.column("details").to_pylist():
            tasks.setdefault(json.loads(details)["task_id"], set()).add(split)
    assert len(tasks) == 12
    assert all(len(splits) == 1 for splits in tasks.values())  # no task in both splits


def test_the_parquet_bytes_are_deterministic(tmp_path: Path, adp_records) -> None:
    write_hub_folder(tmp_path / "a", adp_records, STATS, CARD_CONTEXT)
    write_hub_folder(tmp_path / "b", adp_records, STATS, CARD_CONTEXT)
    for name in ("train-00000-of-00001.parquet", "validation-00000-of-00001.parquet"):
        a = (tmp_path / "a/data/adp" / name).read_bytes()
        assert a == (tmp_path / "b/data/adp" / name).read_bytes()
    assert (tmp_path / "a/README.md").read_bytes() == (tmp_path / "b/README.md").read_bytes()


def test_load_dataset_reads_the_adp_config_offline(
    tmp_path: Path, adp_records, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # both libraries read the variable at import time, so set what they already read too
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    hub = tmp_path / "hub"
    result = write_hub_folder(hub, adp_records, STATS, CARD_CONTEXT)
    ds = datasets.load_dataset(str(hub), "adp", cache_dir=str(tmp_path / "cache"))
    assert {split: ds[split].num_rows for split in ds} == result["rows"]
    assert ds["train"].features == datasets.Features(
        {
            "id": datasets.Value("string"),
            "schema_version": datasets.Value("string"),
            "content": datasets.Value("string"),
            "available_custom_tools": datasets.List(datasets.Value("string")),
            "details": datasets.Value("string"),
        }
    )
    by_id = {r["id"]: r for r in adp_records}
    for split in ds:
        for row in ds[split]:
            original = by_id[row["id"]]
            assert json.loads(row["content"]) == original["content"]
            assert json.loads(row["details"]) == original["details"]
            assert row["available_custom_tools"] == original.get("available_custom_tools", [])


def _front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_the_card_front_matter(tmp_path: Path, adp_records) -> None:
    write_hub_folder(tmp_path, adp_records, STATS, CARD_CONTEXT)
    front = _front_matter((tmp_path / "README.md").read_text())
    assert front["configs"] == [
        {
            "config_name": "adp",
            "default": True,
            "data_files": [
                {"split": "train", "path": ["data/adp/train-00000-of-00001.parquet"]},
                {"split": "validation", "path": ["data/adp/validation-00000-of-00001.parquet"]},
            ],
        }
    ]
    assert front["license"] == "apache-2.0"
    assert front["task_categories"] == ["text-generation"]
    assert front["size_categories"] == ["n<1K"]
    assert front["tags"] == ["agents", "tool-use", "synthetic", "adp"]


def test_the_card_body_reports_the_run(tmp_path: Path, adp_records) -> None:
    write_hub_folder(tmp_path, adp_records, STATS, CARD_CONTEXT)
    card = (tmp_path / "README.md").read_text()
    assert "GAUNTLET_SEED=20250601 make run" in card
    assert 'load_dataset("someone/gauntlet-sample", "adp")' in card
    assert 'json.loads(row["content"])' in card
    assert "- tasks: 12\n- trajectories: 24\n- tools declared: 2\n- domains: 2" in card
    assert "| level | tasks |\n|---:|---:|\n| 0 | 4 |\n| 1 | 4 |\n| 2 | 4 |\n" in card
    assert "| state_mismatch | 4 |\n| answer \\| missing fact | 1 |\n" in card
    assert "1. tool_catalog\n2. tool_graph\n" in card
    assert "| teacher | offline |" in card
    assert "- catalog version: `cat-5f3a`" in card and "  - adp_dataset: `3`" in card


def test_the_card_says_when_nothing_was_rejected(tmp_path: Path, adp_records) -> None:
    write_hub_folder(tmp_path, adp_records, {}, CARD_CONTEXT)
    card = (tmp_path / "README.md").read_text()
    assert "No rejections were recorded for this run." in card
    assert "- tools declared: 2" in card  # computed from the records when stats omit it


def test_the_card_lists_tools_renamed_on_import(tmp_path: Path, adp_records) -> None:
    context = {**CARD_CONTEXT, "renamed": {"shop.finish": "shop_finish", "math.add": "math_add"}}
    write_hub_folder(tmp_path, adp_records, {}, context)
    card = (tmp_path / "README.md").read_text()
    assert "| `math.add` | `math_add` |" in card and "| `shop.finish` | `shop_finish` |" in card
    write_hub_folder(tmp_path, adp_records, {}, CARD_CONTEXT)
    assert "renamed on import" not in (tmp_path / "README.md").read_text()


def test_the_card_needs_the_run_context(tmp_path: Path, adp_records) -> None:
    context = {k: v for k, v in CARD_CONTEXT.items() if k != "seed"}
    with pytest.raises(KeyError, match="seed"):
        write_hub_folder(tmp_path, adp_records, STATS, context)


def test_configs_come_from_the_files_so_new_exports_join_the_card(
    tmp_path: Path, adp_records
) -> None:
    write_hub_folder(tmp_path, adp_records, STATS, CARD_CONTEXT)
    sft = tmp_path / "data" / "sft"
    sft.mkdir()
    table = pa.table({"messages": ["[]", "[]", "[]"]})
    pq.write_table(table, sft / shard_name("train"))
    write_card(tmp_path, STATS, CARD_CONTEXT)
    assert [c["name"] for c in hub_configs(tmp_path)] == ["adp", "sft"]
    front = _front_matter((tmp_path / "README.md").read_text())
    assert [c["config_name"] for c in front["configs"]] == ["adp", "sft"]
    assert front["configs"][1]["data_files"] == [
        {"split": "train", "path": ["data/sft/train-00000-of-00001.parquet"]}
    ]
    assert "| `sft` | train | 3 |" in (tmp_path / "README.md").read_text()


def test_nothing_to_publish_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no ADP records"):
        write_hub_folder(tmp_path, [], STATS, CARD_CONTEXT)
    assert not (tmp_path / "README.md").exists()


def test_a_single_task_goes_to_train_only(tmp_path: Path) -> None:
    records = [_record(1, 0), _record(1, 1)]
    result = write_hub_folder(tmp_path, records, STATS, CARD_CONTEXT)
    assert result["rows"] == {"train": 2}
    assert not (tmp_path / "data/adp/validation-00000-of-00001.parquet").exists()
