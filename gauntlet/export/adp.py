"""Judged records to ADP 1.5.0 trajectories, and tools to the dataset's `metadata.json`.

The conversion is a pure function of its inputs (no clock, no randomness), so the same judged
records always give byte-identical exports. It does not validate: `adp_rules` does, and the
export asset rejects (and counts) whatever the validator reports.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from gauntlet import GENERATOR
from gauntlet.export.adp_rules import SCHEMA_VERSION


def to_adp(record: dict[str, Any], generator_version: str) -> dict[str, Any]:
    """One judged record `{"task", "trajectory", "verdict"}` as an ADP trajectory.

    Raises ValueError (naming the trajectory and message) when the record cannot be expressed
    in ADP at all: mismatched ids, a system message after the conversation started, no opening
    user message, tool-call arguments that are not a JSON object, an empty assistant turn.
    """
    task, trajectory, verdict = record["task"], record["trajectory"], record["verdict"]
    _check_ids(task, trajectory, verdict)
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": trajectory["id"],
        "content": _content(trajectory),
    }
    if trajectory["tools"]:
        out["available_custom_tools"] = list(trajectory["tools"])
    out["details"] = _details(task, trajectory, verdict, generator_version)
    return out


def metadata_json(tools: list[dict[str, Any]]) -> dict[str, Any]:
    """The dataset's `metadata.json`: every tool declared once, sorted by name, no `strict`."""
    names = [tool["name"] for tool in tools]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"metadata.json: tool names declared more than once: {duplicates}")
    custom_tools = [
        {
            "type": "function",
            "function": {
                "name": tool["name"],
                "description": tool["description"],
                "parameters": copy.deepcopy(tool["parameters"]),
            },
        }
        for tool in sorted(tools, key=lambda t: t["name"])
    ]
    return {"custom_tools": custom_tools, "code_enabled": [], "browser_enabled": False}


def _check_ids(task: dict, trajectory: dict, verdict: dict) -> None:
    tid = trajectory["id"]
    if trajectory["task_id"] != task["id"]:
        raise ValueError(f"{tid}: trajectory.task_id {trajectory['task_id']!r} != {task['id']!r}")
    if verdict["trajectory_id"] != tid or verdict["task_id"] != task["id"]:
        raise ValueError(
            f"{tid}: verdict is for trajectory {verdict['trajectory_id']!r} "
            f"of task {verdict['task_id']!r}"
        )


def _text_or_none(text: str | None) -> str | None:
    """ADP writes empty descriptions and names as null, never as ''."""
    return text if text and text.strip() else None


def _content(trajectory: dict) -> list[dict[str, Any]]:
    tid = trajectory["id"]
    messages = trajectory["messages"]
    system: list[str] = []
    start = 0
    while start < len(messages) and messages[start]["role"] == "system":
        if messages[start]["content"].strip():
            system.append(messages[start]["content"])
        start += 1
    if start >= len(messages) or messages[start]["role"] != "user":
        raise ValueError(f"{tid} messages[{start}]: ADP needs an opening user message (rule 8)")
    opening = "\n\n".join([*system, messages[start]["content"]])
    items: list[dict[str, Any]] = [_observation(opening, "user")]
    for index in range(start + 1, len(messages)):
        items.extend(_items(tid, index, messages[index]))
    return items


def _observation(content: str, source: str, name: str | None = None, call_id: str = "") -> dict:
    item: dict[str, Any] = {
        "class_": "text_observation",
        "content": content,
        "source": source,
        "name": _text_or_none(name),
    }
    if call_id:
        item["tool_call_id"] = call_id
    return item


def _items(tid: str, index: int, message: dict) -> list[dict[str, Any]]:
    """The ADP items of one chat message (several for parallel tool calls)."""
    role = message["role"]
    where = f"{tid} messages[{index}]"
    if role == "user":
        return [_observation(message["content"], "user")]
    if role == "tool":
        return [
            _observation(
                message["content"], "environment", message["name"], message["tool_call_id"]
            )
        ]
    if role == "system":
        raise ValueError(f"{where}: a system message after the opening has no ADP form (rule 8)")
    text = message.get("content")
    calls = message.get("tool_calls") or []
    if not calls:
        if not (text or "").strip():
            raise ValueError(f"{where}: assistant message with neither text nor tool calls")
        return [{"class_": "message_action", "content": text, "description": None}]
    actions = []
    for position, call in enumerate(calls):
        action: dict[str, Any] = {
            "class_": "api_action",
            "function": call["function"]["name"],
            "kwargs": _kwargs(f"{where} tool_calls[{position}]", call["function"]["arguments"]),
            "description": _text_or_none(text) if position == 0 else None,
        }
        if call["id"]:
            action["tool_call_id"] = call["id"]
        actions.append(action)
    return actions


def _kwargs(where: str, arguments: str) -> dict[str, Any]:
    """Native JSON values from the OpenAI `arguments` string ('' means no arguments)."""
    if not arguments.strip():
        return {}
    try:
        value = json.loads(arguments)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: arguments are not JSON ({exc.msg})") from exc
    if not isinstance(value, dict):
        raise ValueError(f"{where}: arguments are a {type(value).__name__}, not a JSON object")
    return value


def _details(task: dict, trajectory: dict, verdict: dict, generator_version: str) -> dict:
    """Provenance per docs/adp.md rule 7: numbers stay numbers, no system prompt, no available_*."""
    verification: dict[str, bool] = {}
    for check in verdict["checks"]:
        verification[check["name"]] = verification.get(check["name"], True) and check["passed"]
    usage = trajectory["usage"]
    provenance = task["provenance"]
    return {
        "generator": GENERATOR,
        "generator_version": generator_version,
        "task_id": task["id"],
        "catalog_version": provenance["catalog_version"],
        "graph_version": provenance["graph_version"],
        "task_seed": task["seed"],
        "partition": provenance["partition"],
        "domains": list(task["domains"]),
        "difficulty_level": task["difficulty"]["level"],
        "difficulty_knobs": list(task["difficulty"]["knobs"]),
        "escalation": [
            {
                "level": s["level"],
                "operator": s["operator"],
                "baseline_passed": s["baseline_passed"],
            }
            for s in task["escalation"]
        ],
        "teacher": trajectory["agent"]["name"],
        "teacher_backend": trajectory["agent"]["backend"],
        "writer": provenance["writer"],
        "verification": verification,
        "judge_scores": dict(verdict["scores"]),
        "dedup_cluster": verdict["dedup_cluster"],
        "usage": {
            "prompt_tokens": usage["prompt_tokens"],
            "completion_tokens": usage["completion_tokens"],
            "calls": usage["calls"],
            "cost_usd": usage["cost_usd"],
        },
    }
