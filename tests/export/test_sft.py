"""The `sft` Hub config: OpenAI chat rows a trainer loads with `datasets`, with real features."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest

from gauntlet.export import hub
from gauntlet.export.card import write_card
from gauntlet.export.sft import SFT_SCHEMA, message_row, openai_tools, write_sft
from gauntlet.stages.export import export_dataset
from gauntlet.world.schema import infer


def task_splits(ds) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for split in ds:
        for task_id in ds[split]["task_id"]:
            out.setdefault(task_id, set()).add(split)
    return out


def test_every_message_has_every_field_and_null_where_the_chat_leaves_it_out() -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    assert message_row({"role": "user", "content": "Hi"}) == {
        "role": "user",
        "content": "Hi",
        "tool_calls": None,
        "tool_call_id": None,
        "name": None,
    }
    assert message_row({"role": "assistant", "content": None, "tool_calls": [call]}) == {
        "role": "assistant",
        "content": None,
        "tool_calls": [call],
        "tool_call_id": None,
        "name": None,
    }
    tool = {"role": "tool", "tool_call_id": "call_1", "name": "f", "content": '{"ok": true}'}
    assert message_row(tool) == {**tool, "tool_calls": None}


def test_tools_are_the_menu_in_openai_form(default_tools) -> None:
    by_name = {t["name"]: t for t in default_tools}
    menu = ["get_booking", "cancel_booking"]
    tools = openai_tools(menu, by_name)
    assert [t["function"]["name"] for t in tools] == menu  # menu order, not sorted
    assert tools[0] == {
        "type": "function",
        "function": {
            "name": "get_booking",
            "description": by_name["get_booking"]["description"],
            "parameters": by_name["get_booking"]["parameters"],
        },
    }
    with pytest.raises(KeyError, match="no_such_tool"):
        openai_tools(["no_such_tool"], by_name)


def test_load_dataset_reads_the_sft_config(
    tmp_path: Path, kept, default_tools, card_context, load_offline, message_features
) -> None:
    splits = hub.assign_splits(r["task"]["id"] for r in kept)
    rows = write_sft(tmp_path, kept, default_tools, splits)
    write_card(tmp_path, {}, card_context)
    ds = load_offline(tmp_path, "sft")

    assert {split: ds[split].num_rows for split in ds} == rows
    assert set(rows) == {"train", "validation"} and sum(rows.values()) == len(kept)
    assert ds["train"].features == datasets.Features(
        {
            "id": datasets.Value("string"),
            "task_id": datasets.Value("string"),
            "messages": datasets.List(message_features),
            "tools": datasets.Value("string"),
        }
    )
    assert all(len(s) == 1 for s in task_splits(ds).values())  # no task in both splits

    by_id = {r["trajectory"]["id"]: r for r in kept}
    for split in ds:
        for row in ds[split]:
            record = by_id[row["id"]]
            assert row["task_id"] == record["task"]["id"]
            assert [m["role"] for m in row["messages"]][:2] == ["system", "user"]
            assert row["messages"] == [message_row(m) for m in record["trajectory"]["messages"]]
            tools = json.loads(row["tools"])
            assert [t["function"]["name"] for t in tools] == record["task"]["tools"]


def test_the_schema_is_fixed_and_nested(tmp_path: Path, kept, default_tools) -> None:
    write_sft(
        tmp_path, kept, default_tools, dict.fromkeys((r["task"]["id"] for r in kept), "train")
    )
    table = pq.read_table(tmp_path / "data" / "sft" / hub.shard_name("train"))
    assert table.schema.remove_metadata().equals(SFT_SCHEMA)
    assert not (tmp_path / "data" / "sft" / hub.shard_name("validation")).exists()


def test_a_task_lands_in_the_same_split_in_every_config(
    tmp_path: Path, kept, default_tools, card_context
) -> None:
    result = export_dataset(
        default_tools, infer(default_tools), kept, tmp_path, card_context=card_context
    )
    folder = tmp_path / "hub"
    assert result.stats["hub"]["configs"] == ["adp", "sft", "preferences"]
    where: dict[str, dict[str, set[str]]] = {}  # config -> task id -> splits
    for config in hub.hub_configs(folder):
        for split in config["splits"]:
            table = pq.read_table(folder / split["paths"][0])
            if config["name"] == "adp":
                ids = [json.loads(d)["task_id"] for d in table.column("details").to_pylist()]
            else:
                ids = table.column("task_id").to_pylist()
            for task_id in ids:
                where.setdefault(config["name"], {}).setdefault(task_id, set()).add(split["name"])
    assert all(len(s) == 1 for tasks in where.values() for s in tasks.values())
    assert where["sft"] == where["adp"]
    assert where["preferences"].items() <= where["adp"].items()
    assert set.union(*where["adp"].values()) == {"train", "validation"}
    card = (folder / "README.md").read_text()
    for name in ("adp", "sft", "preferences"):
        assert f'config_name: "{name}"' in card and f"| `{name}` | train |" in card
    assert 'load_dataset("someone/gauntlet-views", "sft")' in card
