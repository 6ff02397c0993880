"""Layered verification: each check has a reason code; the first failure names the rejection.

The same `verify` grades the baseline during escalation and the teacher at judging, so
"the baseline failed" and "the judge kept it" mean the same thing.
"""

from __future__ import annotations

import json
from typing import Any

from gauntlet.catalog.index import ToolIndex
from gauntlet.dialogue.phrasing import say
from gauntlet.world import diff as world_diff


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


def _outputs_valid(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    """Every answer a tool gave fits the tool's own `returns`: data that breaks the API's
    contract is not data to learn from, whoever is to blame."""
    for message in traj["messages"]:
        name = message.get("name")
        if message["role"] != "tool" or name not in tools.tools:
            continue
        try:
            body = json.loads(message["content"])
        except json.JSONDecodeError:
            return f"{message['tool_call_id']} {name}: the answer is not JSON"
        if isinstance(body, dict) and set(body) == {"error"}:
            continue
        error = next(tools.output_validator(name).iter_errors(body), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(answer)"
            return f"{message['tool_call_id']} {name}: {where}: {error.message}"
    return None


def _no_collateral(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    """Rows the reference left alone (another person's among them) are still untouched, and
    nothing was written to a table the task has no business in."""
    expected, actual = task["expected"]["world_diff"], traj["world_diff"]
    hit = world_diff.touched(actual)
    for witness in task["expected"]["witnesses"]:
        if witness["key"] in hit.get(witness["table"], ()):
            return f"{witness['table']} {witness['key']} was changed, and should not have been"
    for part in ("inserted", "updated", "deleted"):
        extra = sorted(set(actual[part]) - set(expected[part]))
        if extra:
            return f"unexpected write: {part} in {extra[0]}"
    return None


def _state_matches(task: dict, traj: dict, tools: ToolIndex) -> str | None:
    """The world ends as the reference left it: the same rows inserted, updated, deleted."""
    if traj["world_diff_hash"] == task["expected"]["world_diff_hash"]:
        return None
    why = world_diff.explain(task["expected"]["world_diff"], traj["world_diff"])
    return why or "the world's diff does not hash to the expected one"  # never pass unexplained


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
    ("outputs_valid", "invalid_output", _outputs_valid),
    ("completed", "incomplete", _completed),
    ("no_collateral", "collateral_write", _no_collateral),
    ("state_matches", "state_mismatch", _state_matches),
    ("answer_facts", "missing_fact", _answer_facts),
)
