"""The escalation ladder: raise difficulty one operator at a time until the baseline fails.

A task is kept at the first level the baseline fails, with every level tried as its history;
the oracle must still solve the kept level (its reference is executable), or the task is
rejected. With an llm writer the kept task's message is then rewritten and checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gauntlet import judge
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.backends import Backends
from gauntlet.llm.errors import RequestFailed
from gauntlet.parallel import in_order
from gauntlet.rollout import run_episode
from gauntlet.seeds import derive_int, rng
from gauntlet.tasks.build import Context, TaskRejected, goal_worthy, materialize
from gauntlet.tasks.chain import Blueprint
from gauntlet.tasks.operators import OPERATORS

MAX_LEVEL = 8


def attempt(task: dict[str, Any], ctx: Context, backends: Backends) -> tuple[bool, str | None]:
    """Did the baseline solve it every time it tried (pass^k)? And the first failure if not."""
    for baseline in backends.baselines():
        trajectory = run_episode(task, baseline, ctx.index, user=backends.user(task))
        checks = judge.verify(task, trajectory, ctx.index)
        if not judge.passed(checks):
            return False, judge.first_failure(checks)
    return True, None


def _next_level(bp: Blueprint, ctx: Context, order: list[str]) -> tuple[Blueprint, dict] | None:
    """The next operator in `order` that applies and still yields a valid task."""
    while order:
        candidate = OPERATORS[order.pop(0)](bp, ctx)
        if candidate is None:
            continue
        try:
            return candidate, materialize(candidate, ctx)
        except TaskRejected:
            continue
    return None


def escalate(bp: Blueprint, ctx: Context, backends: Backends) -> dict[str, Any]:
    """The task at the first level the baseline fails; raises TaskRejected otherwise."""
    task = materialize(bp, ctx)
    ok, why = attempt(task, ctx, backends)
    history = [{"level": 0, "operator": "base", "baseline_passed": ok, "baseline_reason": why}]
    order = list(OPERATORS)
    rng(bp.seed, "ladder").shuffle(order)
    level = 0
    while ok:
        step = _next_level(bp, ctx, order) if level < MAX_LEVEL else None
        if step is None:
            raise TaskRejected("baseline_never_failed", f"baseline solved all {level + 1} levels")
        (bp, task), level = step, level + 1
        ok, why = attempt(task, ctx, backends)
        history.append(
            {
                "level": level,
                "operator": bp.knobs[-1],
                "baseline_passed": ok,
                "baseline_reason": why,
            }
        )
    checks = judge.verify(task, run_episode(task, OracleTeacher(task), ctx.index), ctx.index)
    if not judge.passed(checks):
        raise TaskRejected(
            "reference_failed", f"oracle fails level {level}: {judge.first_failure(checks)}"
        )
    task["difficulty"] = {"level": level, "knobs": list(bp.knobs)}
    task["escalation"] = history
    task["provenance"]["baseline"] = backends.describe()["baseline"].replace("offline", "heuristic")
    return backends.rewrite(task, set(ctx.index.tools))


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
    backends: Backends | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`n_tasks` attempts: (kept tasks, rejections with reasons), in a stable order.

    With llm roles the tasks run on `backends.workers` threads (they wait on the network);
    results are gathered in task order, so the output does not depend on timing.
    """
    backends = backends or Backends()
    prefix = partition.replace("|", "-s")

    def one(i: int) -> tuple[str, Any]:
        task_id = f"{prefix}-{i:05d}"
        try:
            bp = base_blueprint(ctx, derive_int(seed, partition, i), task_id)
            return task_id, escalate(bp, ctx, backends)
        except TaskRejected as exc:
            return task_id, exc
        except RequestFailed as exc:  # one request out of retries: this task, not the run
            return task_id, TaskRejected(f"llm_{exc.kind}", str(exc))

    outcomes = in_order(one, range(n_tasks), backends.workers, progress)
    kept = [o for _, o in outcomes if not isinstance(o, TaskRejected)]
    rejected = [
        {"id": tid, "reason": o.reason, "detail": o.detail}
        for tid, o in outcomes
        if isinstance(o, TaskRejected)
    ]
    return kept, rejected
