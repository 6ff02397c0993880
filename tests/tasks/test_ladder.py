"""The ladder keeps a task at the first level the baseline fails, with the whole history."""

from collections import Counter

import pytest

from gauntlet import judge
from gauntlet.agents.heuristic import HeuristicBaseline
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.rollout import run_episode
from gauntlet.tasks.ladder import synthesize


@pytest.fixture(scope="module")
def batch(ctx):
    return synthesize(ctx, n_tasks=40, seed=3, partition="2026-11-21|0")


def test_every_kept_task_fails_the_baseline_at_its_level_and_passed_the_one_below(batch):
    kept, _ = batch
    assert kept
    for task in kept:
        history = task["escalation"]
        assert history[-1]["level"] == task["difficulty"]["level"]
        assert history[-1]["baseline_passed"] is False
        assert all(step["baseline_passed"] for step in history[:-1])
        assert [s["level"] for s in history] == list(range(len(history)))


def test_the_kept_level_really_beats_the_baseline_and_not_the_oracle(batch, ctx):
    kept, _ = batch
    for task in kept[:10]:
        baseline = run_episode(task, HeuristicBaseline(), ctx.index)
        oracle = run_episode(task, OracleTeacher(task), ctx.index)
        assert not judge.passed(judge.verify(task, baseline, ctx.index))
        assert judge.passed(judge.verify(task, oracle, ctx.index))


def test_difficulty_spreads_over_several_levels(batch):
    kept, _ = batch
    assert len(Counter(t["difficulty"]["level"] for t in kept)) >= 3


def test_rejections_carry_a_reason(batch):
    kept, rejected = batch
    assert len(kept) + len(rejected) == 40
    assert all(r["reason"] and r["detail"] for r in rejected)


def test_same_seed_same_tasks_other_seed_other_tasks(ctx, batch):
    kept, _ = batch
    again, _ = synthesize(ctx, n_tasks=40, seed=3, partition="2026-11-21|0")
    other, _ = synthesize(ctx, n_tasks=40, seed=4, partition="2026-11-21|0")
    assert again == kept
    assert [t["user_message"] for t in other] != [t["user_message"] for t in kept]
