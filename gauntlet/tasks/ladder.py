"""The escalation ladder: raise difficulty one operator at a time until the baseline fails.

A task is kept at the first level the baseline fails, with every level tried as its history;
the oracle must still solve the kept level, or the task is rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gauntlet import judge
from gauntlet.agents.heuristic import HeuristicBaseline
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.rollout import run_episode
from gauntlet.seeds import derive_int, rng
from gauntlet.tasks.build import Context, TaskRejected, goal_worthy, materialize
from gauntlet.tasks.chain import Blueprint
from gauntlet.tasks.operators import OPERATORS

MAX_LEVEL = 8


def attempt(task: dict[str, Any], ctx: Context, baseline: Any) -> tuple[bool, str | None]:
    """Did the baseline solve it? (and the first failed check if not)."""
    trajectory = run_episode(task, baseline, ctx.index)
    checks = judge.verify(task, trajectory, ctx.index)
    return judge.passed(checks), judge.first_failure(checks)


def escalate(bp: Blueprint, ctx: Context, baseline: Any) -> dict[str, Any]:
    """The task at the first level the baseline fails; raises TaskRejected otherwise."""
    task = materialize(bp, ctx)
    ok, why = attempt(task, ctx, baseline)
    history = [{"level": 0, "operator": "base", "baseline_passed": ok, "baseline_reason": why}]
    order = list(OPERATORS)
    rng(bp.seed, "ladder").shuffle(order)
    level = 0
    while ok:
        if level >= MAX_LEVEL or not order:
            raise TaskRejected("baseline_never_failed", f"baseline solved all {level + 1} levels")
        nxt = None
        while order and nxt is None:
            name = order.pop(0)
            candidate = OPERATORS[name](bp, ctx)
            if candidate is None:
                continue
            try:
                nxt_task = materialize(candidate, ctx)
            except TaskRejected:
                continue
            nxt = candidate
        if nxt is None:
            continue
        bp, task, level = nxt, nxt_task, level + 1
        ok, why = attempt(task, ctx, baseline)
        history.append(
            {
                "level": level,
                "operator": bp.knobs[-1],
                "baseline_passed": ok,
                "baseline_reason": why,
            }
        )
    oracle = run_episode(task, OracleTeacher(task), ctx.index)
    if not judge.passed(judge.verify(task, oracle, ctx.index)):
        raise TaskRejected(
            "reference_failed",
            f"oracle fails level {level}: "
            f"{judge.first_failure(judge.verify(task, oracle, ctx.index))}",
        )
    task["difficulty"] = {"level": level, "knobs": list(bp.knobs)}
    task["escalation"] = history
    return task


def base_blueprint(ctx: Context, seed: int, task_id: str) -> Blueprint:
    """A seeded starting point: a domain, a goal tool in it, and a starting depth."""
    r = rng(seed, "base")
    domains = sorted({t["domain"] for t in ctx.index.tools.values()})
    domain = r.choice(domains)
    goals = sorted(
        n
        for n, t in ctx.index.tools.items()
        if t["domain"] == domain and ctx.planner.plannable(n) and goal_worthy(t)
    )
    if not goals:
        raise TaskRejected("unplannable", f"no plannable goal in domain {domain}")
    return Blueprint(
        task_id=task_id,
        seed=seed,
        domain=domain,
        goals=(r.choice(goals),),
        hops=r.choice([0, 0, 1]),
    )


def synthesize(
    ctx: Context,
    *,
    n_tasks: int,
    seed: int,
    partition: str,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`n_tasks` attempts: (kept tasks, rejections with reasons), in a stable order."""
    baseline = HeuristicBaseline()
    kept, rejected = [], []
    prefix = partition.replace("|", "-s")
    for i in range(n_tasks):
        task_id = f"{prefix}-{i:05d}"
        task_seed = derive_int(seed, partition, i)
        try:
            kept.append(escalate(base_blueprint(ctx, task_seed, task_id), ctx, baseline))
        except TaskRejected as exc:
            rejected.append({"id": task_id, "reason": exc.reason, "detail": exc.detail})
        if progress:
            progress(i + 1, n_tasks)
    return kept, rejected
