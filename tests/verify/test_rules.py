"""The judge rejects every defect it knows, each with its own reason code."""

import copy
import json

import pytest

from gauntlet import canonical
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.episode import run_episode
from gauntlet.tasks.build import build_task
from gauntlet.verify import rules


@pytest.fixture
def solved(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    task["escalation"] = [{"level": 0, "operator": "base", "baseline_passed": False}]
    return task, run_episode(task, OracleTeacher(task), ctx.worlds)


def first_call(trajectory):
    return next(c for m in trajectory["messages"] for c in m.get("tool_calls", []))


def reason(task, trajectory, ctx):
    return rules.first_failure(rules.verify(task, trajectory, ctx.index))


def test_the_reference_trajectory_passes_every_check(solved, ctx):
    task, trajectory = solved
    assert reason(task, trajectory, ctx) is None


def test_arguments_that_are_not_json_are_a_malformed_call(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    first_call(trajectory)["function"]["arguments"] = "{not json"
    assert reason(task, trajectory, ctx) == "malformed_call"


def test_a_tool_off_the_menu_is_unknown(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    first_call(trajectory)["function"]["name"] = "transfer_funds"
    assert reason(task, trajectory, ctx) == "unknown_tool"


def test_arguments_against_the_schema_are_invalid(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    call = first_call(trajectory)
    args = json.loads(call["function"]["arguments"])
    args["unexpected"] = 1
    call["function"]["arguments"] = json.dumps(args)
    assert reason(task, trajectory, ctx) == "invalid_arguments"


def test_no_final_answer_is_incomplete(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    trajectory["outcome"] = {"completed": False, "steps": 3, "error": "turn_limit"}
    assert reason(task, trajectory, ctx) == "incomplete"


def with_diff(trajectory, change):
    trajectory["world_diff"] = change
    trajectory["world_diff_hash"] = canonical.digest(change)


def test_a_missing_write_is_a_state_mismatch(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    with_diff(trajectory, {"inserted": {}, "updated": {}, "deleted": {}})
    assert reason(task, trajectory, ctx) == "state_mismatch"


def test_a_write_to_a_record_the_reference_left_alone_is_collateral(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    spared = task["expected"]["witnesses"][0]
    change = copy.deepcopy(trajectory["world_diff"])
    change["updated"][spared["table"]].append(
        {"key": spared["key"], "changes": {"status": [spared["row"]["status"], "cancelled"]}}
    )
    with_diff(trajectory, change)
    assert reason(task, trajectory, ctx) == "collateral_write"


def test_a_write_to_a_table_the_task_has_no_business_in_is_collateral(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    change = copy.deepcopy(trajectory["world_diff"])
    change["deleted"]["flight"] = ["FLT-1"]
    with_diff(trajectory, change)
    assert reason(task, trajectory, ctx) == "collateral_write"


def test_a_tool_answer_that_breaks_its_own_returns_schema_is_invalid_output(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    answer = next(m for m in trajectory["messages"] if m["role"] == "tool")
    body = json.loads(answer["content"])
    body["status"] = 42
    answer["content"] = json.dumps(body)
    assert reason(task, trajectory, ctx) == "invalid_output"


def test_an_answer_without_the_requested_facts_misses_them(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    trajectory["final_answer"] = "All done."
    assert reason(task, trajectory, ctx) == "missing_fact"
