"""A small offline run of the generated stages, in memory: what tests and benchmarks start from."""

from __future__ import annotations

from typing import Any

from gauntlet.stages.graph import build_graph
from gauntlet.stages.judged import judge_trajectories
from gauntlet.stages.rollouts import run_rollouts
from gauntlet.stages.tasks import synthesize_tasks


def judged_records(
    tools: list[dict[str, Any]], *, n_tasks: int, seed: int, partition: str
) -> list[dict[str, Any]]:
    """Every judged record `{task, trajectory, verdict}` of an offline run over `tools`."""
    edges = build_graph(tools).records
    tasks = synthesize_tasks(tools, edges, n_tasks=n_tasks, seed=seed, partition=partition).records
    trajectories = run_rollouts(tools, tasks).records
    return judge_trajectories(tools, tasks, trajectories).records
