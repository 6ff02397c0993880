"""The tasks stage: the ladder keeps a task at the first level the baseline fails, with its
whole history, and stamps where it came from."""

import datetime as dt
from collections import Counter

import pytest

from gauntlet import canonical
from gauntlet.agents.heuristic import HeuristicBaseline
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.episode import run_episode
from gauntlet.graph.edges import build_edges
from gauntlet.stages.tasks import synthesize_tasks
from gauntlet.verify import rules
from gauntlet.world.schema import infer
from gauntlet.world.worlds import Worlds


def synthesize(tools: list[dict], seed: int) -> tuple[list[dict], list[dict]]:
    """(kept tasks, rejections) for 40 attempts on one partition."""
    result = synthesize_tasks(
        tools,
        build_edges(tools),
        infer(tools),
        n_tasks=40,
        seed=seed,
        partition="2026-11-21|0",
        now=dt.date(2026, 11, 21),
    )
    return result.records, result.rejected


@pytest.fixture(scope="module")
def batch(default_tools):
    return synthesize(default_tools, seed=3)


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
        baseline = run_episode(task, HeuristicBaseline(), ctx.worlds)
        oracle = run_episode(task, OracleTeacher(task), ctx.worlds)
        assert not rules.passed(rules.verify(task, baseline, ctx.index))
        assert rules.passed(rules.verify(task, oracle, ctx.index))


def test_difficulty_spreads_over_several_levels(batch):
    kept, _ = batch
    assert len(Counter(t["difficulty"]["level"] for t in kept)) >= 3


def test_rejections_carry_a_reason(batch):
    kept, rejected = batch
    assert len(kept) + len(rejected) == 40
    assert all(r["reason"] and r["detail"] for r in rejected)


def test_same_seed_same_tasks_other_seed_other_tasks(default_tools, batch):
    kept, _ = batch
    again, _ = synthesize(default_tools, seed=3)
    other, _ = synthesize(default_tools, seed=4)
    assert again == kept
    assert [t["user_message"] for t in other] != [t["user_message"] for t in kept]


def test_provenance_carries_one_catalog_and_graph_version(batch, default_tools):
    kept, _ = batch
    edges = build_edges(default_tools)
    versions = {
        (t["provenance"]["catalog_version"], t["provenance"]["graph_version"]) for t in kept
    }
    assert versions == {(canonical.data_version(default_tools), canonical.data_version(edges))}
    assert {t["provenance"]["baseline"] for t in kept} == {"heuristic"}


def test_the_worlds_stored_with_the_tasks_are_the_ones_a_fresh_process_rebuilds(default_tools):
    """Episodes play on forks: no call of any task may change the base world it came from
    (a keyless cart once was: later tasks then named a world no other stage could rebuild)."""
    result = synthesize_tasks(
        default_tools,
        build_edges(default_tools),
        infer(default_tools),
        n_tasks=30,
        seed=5,
        partition="2026-11-21|0",
        now=dt.date(2026, 11, 21),
    )
    fresh = Worlds(default_tools, infer(default_tools))
    stored = {w["digest"]: w for w in result.attachments["worlds"]}
    for world in stored.values():
        rebuilt = fresh.base(world["domain"], world["seed"], dt.date.fromisoformat(world["now"]))
        assert rebuilt.snapshot() == world["state"]
    assert result.records
    assert all(task["world"]["digest"] in stored for task in result.records)
