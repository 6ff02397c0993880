"""The judge rejects every defect it knows, each with its own reason code."""

import copy
import json

import pytest

from gauntlet.agents.oracle import OracleTeacher
from gauntlet.episode import run_episode
from gauntlet.tasks.build import build_task
from gauntlet.verify import rules


@pytest.fixture
def solved(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    task["escalation"] = [{"level": 0, "operator": "base", "baseline_passed": False}]
    return task, run_episode(task, OracleTeacher(task), ctx.index)


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


def test_a_missing_write_is_a_state_mismatch(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    trajectory["state_change"].pop("booking")
    assert reason(task, trajectory, ctx) == "state_mismatch"


def test_an_extra_write_is_collateral(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    trajectory["state_change"]["booking"]["BKN-EXTRA1"] = {"status": "cancelled"}
    checks = rules.verify(task, trajectory, ctx.index)
    assert {c["reason"] for c in checks if not c["passed"]} >= {"collateral_write"}


def test_an_answer_without_the_requested_facts_misses_them(solved, ctx):
    task, trajectory = copy.deepcopy(solved)
    trajectory["final_answer"] = "All done."
    assert reason(task, trajectory, ctx) == "missing_fact"
