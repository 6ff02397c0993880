"""Layered verification: each check has a reason code; the first failure names the rejection.

The same `verify` grades the baseline during escalation and the teacher at judging, so
"the baseline failed" and "the judge kept it" mean the same thing.
"""

from __future__ import annotations

import json
from typing import Any

from gauntlet import canonical
from gauntlet.catalog.index import ToolIndex
from gauntlet.dialogue.phrasing import say


def _calls(trajectory: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for m in trajectory["messages"] for c in m.get("tool_calls") or []]


def verify(
    task: dict[str, Any], trajectory: dict[str, Any], tools: ToolIndex
) -> list[dict[str, Any]]:
    """Every rule check, in order, as `{"name", "passed", "reason", "detail"}`."""
    results = []
    for name, reason, check in CHECKS:
        detail = check(task, trajectory, tools)
        results.append(
            {
                "name": name,
                "passed": detail is None,
                "reason": None if detail is None else reason,
                "detail": detail,
            }
        )
    return results


def passed(checks: list[dict[str, Any]]) -> bool:
    return all(c["passed"] for c in checks)


def first_failure(checks: list[dict[str, Any]]) -> str | None:
    return next((c["reason"] for c in checks if not c["passed"]), None)


def _call_schema(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    for call in _calls(traj):
        try:
            args = json.loads(call["function"]["arguments"])
        except json.JSONDecodeError:
            return f"{call['id']}: arguments are not JSON"
        if not isinstance(args, dict):
            return f"{call['id']}: arguments are not an object"
    return None


def _known_tools(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    for call in _calls(traj):
        if call["function"]["name"] not in task["tools"]:
            return f"{call['id']}: {call['function']['name']} is not on the menu"
    return None


def _arguments_valid(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    for call in _calls(traj):
        name = call["function"]["name"]
        try:
            args = json.loads(call["function"]["arguments"])
        except json.JSONDecodeError:
            continue
        if name not in tools.tools:
            continue
        error = next(tools.validator(name).iter_errors(args), None)
        if error is not None:
            return f"{call['id']} {name}: {error.message}"
    return None


def _completed(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    if traj["outcome"]["completed"]:
        return None
    return traj["outcome"]["error"] or "no final answer"


def _state_matches(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    if canonical.digest(traj["state_change"]) == task["expected"]["state_hash"]:
        return None
    expected, actual = task["expected"]["state_change"], traj["state_change"]
    for kind, ents in expected.items():
        for ent_id, attrs in ents.items():
            if actual.get(kind, {}).get(ent_id) != attrs:
                return f"{kind} {ent_id} not changed as expected"
    return "state differs from the expected change"


def _no_collateral(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    expected = task["expected"]["state_change"]
    for kind, ents in traj["state_change"].items():
        extra = sorted(set(ents) - set(expected.get(kind, {})))
        if extra:
            return f"unexpected write to {kind} {extra[0]}"
    return None


def _answer_facts(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    answer = traj["final_answer"] or ""
    for fact in task["expected"]["answer_facts"]:
        value = fact["value"]
        if say(value) not in answer and str(value) not in answer:
            return f"final answer does not state {fact['pointer']} = {value!r}"
    return None


# In order: the first failing check names the rejection.
CHECKS = (
    ("call_schema", "malformed_call", _call_schema),
    ("known_tools", "unknown_tool", _known_tools),
    ("arguments_valid", "invalid_arguments", _arguments_valid),
    ("completed", "incomplete", _completed),
    ("state_matches", "state_mismatch", _state_matches),
    ("no_collateral", "collateral_write", _no_collateral),
    ("answer_facts", "missing_fact", _answer_facts),
)
