"""The `sft` Hub config: OpenAI chat fine-tuning rows from the kept teacher trajectories.

A row is `id`, `task_id`, `messages` and `tools`. `messages` is a native Parquet list of
structs (`MESSAGE`), so `datasets.load_dataset` gives real features rather than JSON text:
every message has all five fields (`role`, `content`, `tool_calls`, `tool_call_id`, `name`),
null where the chat format leaves them out. `tools` is the JSON text of the OpenAI `tools`
list for the task's menu, in menu order (parameter schemas differ per tool, so no one Arrow
type fits them). The preference config reuses `MESSAGE` and `message_rows`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from gauntlet.export import hub

CONFIG = "sft"
TOOL_CALL = pa.struct(
    [
        ("id", pa.string()),
        ("type", pa.string()),
        ("function", pa.struct([("name", pa.string()), ("arguments", pa.string())])),
    ]
)
MESSAGE = pa.struct(
    [
        ("role", pa.string()),
        ("content", pa.string()),
        ("tool_calls", pa.list_(TOOL_CALL)),
        ("tool_call_id", pa.string()),
        ("name", pa.string()),
    ]
)
SFT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("task_id", pa.string()),
        ("messages", pa.list_(MESSAGE)),
        ("tools", pa.string()),
    ]
)


def message_row(message: Mapping[str, Any]) -> dict[str, Any]:
    """One chat message with every `MESSAGE` field; absent fields (and empty tool calls) are None."""
    calls = message.get("tool_calls") or None
    return {
        "role": message["role"],
        "content": message.get("content"),
        "tool_calls": [
            {
                "id": call["id"],
                "type": call.get("type", "function"),
                "function": {
                    "name": call["function"]["name"],
                    "arguments": call["function"]["arguments"],
                },
            }
            for call in calls
        ]
        if calls
        else None,
        "tool_call_id": message.get("tool_call_id"),
        "name": message.get("name"),
    }


def message_rows(messages: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [message_row(m) for m in messages]


def openai_tools(names: list[str], tools: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The OpenAI `tools` list for a menu, in menu order; raises KeyError naming a lost tool."""
    missing = [name for name in names if name not in tools]
    if missing:
        raise KeyError(f"tools {missing} are on the menu but not in the catalog")
    return [
        {
            "type": "function",
            "function": {
                "name": name,
                "description": tools[name]["description"],
                "parameters": copy.deepcopy(tools[name]["parameters"]),
            },
        }
        for name in names
    ]


def tools_json(names: list[str], tools: Mapping[str, Mapping[str, Any]]) -> str:
    """`openai_tools` as the JSON text the `tools` column holds (no copies: only read)."""
    missing = [name for name in names if name not in tools]
    if missing:
        raise KeyError(f"tools {missing} are on the menu but not in the catalog")
    return hub.compact_json(
        [
            {
                "type": "function",
                "function": {
                    "name": name,
                    "description": tools[name]["description"],
                    "parameters": tools[name]["parameters"],
                },
            }
            for name in names
        ]
    )


def sft_row(record: Mapping[str, Any], tools: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One judged record `{"task", "trajectory", "verdict"}` as an SFT row."""
    trajectory = record["trajectory"]
    return {
        "id": trajectory["id"],
        "task_id": record["task"]["id"],
        "messages": message_rows(trajectory["messages"]),
        "tools": tools_json(list(record["task"]["tools"]), tools),
    }


def write_sft(
    folder: Path,
    records: list[Mapping[str, Any]],
    tools: list[Mapping[str, Any]],
    splits: Mapping[str, str],
) -> dict[str, int]:
    """Write `data/sft/` from kept judged records; `splits` is task id -> split. Rows per split."""
    by_name = {tool["name"]: tool for tool in tools}
    rows = [sft_row(record, by_name) for record in records]
    split_of = {row["id"]: splits[row["task_id"]] for row in rows}
    return hub.write_config(folder, CONFIG, rows, SFT_SCHEMA, split_of)
