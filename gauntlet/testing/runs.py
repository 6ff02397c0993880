"""A small offline run of the generated stages, in memory: what tests and benchmarks start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gauntlet.stages.graph import build_graph
from gauntlet.stages.judged import judge_trajectories
from gauntlet.stages.rollouts import run_rollouts
from gauntlet.stages.tasks import synthesize_tasks
from gauntlet.stages.world import build_world_schema


def judged_records(
    tools: list[dict[str, Any]], *, n_tasks: int, seed: int, partition: str
) -> list[dict[str, Any]]:
    """Every judged record `{task, trajectory, verdict}` of an offline run over `tools`; the
    partition's date (`2026-11-21|0`) is the worlds' today."""
    edges = build_graph(tools).records
    schemas = build_world_schema(tools, None).records
    tasks = synthesize_tasks(
        tools,
        edges,
        schemas,
        n_tasks=n_tasks,
        seed=seed,
        partition=partition,
        now=partition_day(partition),
    ).records
    trajectories = run_rollouts(tools, schemas, tasks).records
    return judge_trajectories(tools, tasks, trajectories).records


def partition_day(partition: str) -> dt.date:
    """The date of a `date|shard` partition label."""
    return dt.date.fromisoformat(partition.split("|")[0])
