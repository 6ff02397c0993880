"""The judged stage: a verdict per trajectory, duplicates counted, and who judged recorded."""

import copy

import pytest

from gauntlet.agents.oracle import OracleTeacher
from gauntlet.episode import run_episode
from gauntlet.stages.judged import judge_trajectories
from gauntlet.tasks.build import build_task


@pytest.fixture
def solved(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    task["escalation"] = [{"level": 0, "operator": "base", "baseline_passed": False}]
    return task, run_episode(task, OracleTeacher(task), ctx.worlds)


def test_duplicates_are_rejected_and_counted_with_their_cluster(solved, ctx):
    task, trajectory = solved
    twin_task = {**copy.deepcopy(task), "id": "t-2"}
    twin = {**copy.deepcopy(trajectory), "id": "t-2/oracle", "task_id": "t-2"}
    tools = list(ctx.index.tools.values())
    result = judge_trajectories(tools, [task, twin_task], [trajectory, twin])
    verdicts = {r["verdict"]["trajectory_id"]: r["verdict"] for r in result.records}
    assert verdicts[trajectory["id"]]["keep"] is True
    assert verdicts["t-2/oracle"]["reject_reason"] == "duplicate"
    assert verdicts["t-2/oracle"]["dedup_cluster"] == trajectory["id"]
    assert result.rejection_counts() == {"duplicate": 1}


def test_every_verdict_names_its_judge(solved, ctx):
    task, trajectory = solved
    result = judge_trajectories(list(ctx.index.tools.values()), [task], [trajectory])
    assert [r["verdict"]["judge"] for r in result.records] == ["rules"]
    assert result.records[0]["trajectory"]["user"] == {"name": "scripted", "backend": "offline"}
