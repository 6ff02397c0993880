"""Stage `tasks`: sample a goal, build the task, escalate it until the baseline fails.

The escalation ladder raises difficulty one operator at a time. A task is kept at the first
level the baseline fails, with every level tried as its history; the oracle must still solve
the kept level (its reference is executable), or the task is rejected. With an llm writer the
kept task's message is then rewritten and checked.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from gauntlet import canonical
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.episode import run_episode
from gauntlet.llm.errors import RequestFailed
from gauntlet.parallel import in_order
from gauntlet.progress import Progress
from gauntlet.seeds import derive_int, rng
from gauntlet.stages.result import Log, StageResult, validated
from gauntlet.stages.roles import Roles
from gauntlet.tasks.build import Context, TaskRejected, build_task
from gauntlet.tasks.operators import OPERATORS
from gauntlet.tasks.planner import Blueprint
from gauntlet.verify import rules

MAX_LEVEL = 8


def synthesize_tasks(
    tools: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    world_schemas: list[dict[str, Any]],
    *,
    n_tasks: int,
    seed: int,
    partition: str,
    now: dt.date,
    log: Log = None,
    roles: Roles | None = None,
) -> StageResult:
    """`n_tasks` attempts, in a stable order: the kept tasks, and every rejection with a reason.

    Each domain gets one world for the partition (seeded from `seed`, dated `now`); every task
    is played on a fork of it, as one of its people. The base worlds are returned as
    `result.attachments["worlds"]`, what the tasks' `world.digest` points at.

    With llm roles the tasks run on `roles.workers` threads (they wait on the network);
    results are gathered in task order, so the output does not depend on timing.
    """
    roles = roles or Roles()
    ctx = Context.create(
        tools,
        edges,
        world_schemas,
        {
            "catalog_version": canonical.data_version(tools),
            "graph_version": canonical.data_version(edges),
            "world_schema_version": canonical.data_version(world_schemas),
            "partition": partition,
        },
        now=now,
        world_seed=derive_int(seed, "world"),
    )
    prefix = partition.replace("|", "-s")

    def one(i: int) -> tuple[str, Any]:
        task_id = f"{prefix}-{i:05d}"
        try:
            bp = base_blueprint(ctx, derive_int(seed, partition, i), task_id)
            return task_id, escalate(bp, ctx, roles)
        except TaskRejected as exc:
            return task_id, exc
        except RequestFailed as exc:  # one request out of retries: this task, not the run
            return task_id, TaskRejected(f"llm_{exc.kind}", str(exc))

    outcomes = in_order(one, range(n_tasks), roles.workers, Progress("tasks", n_tasks, log))
    result = StageResult(
        [],
        [
            {"id": tid, "reason": o.reason, "detail": o.detail}
            for tid, o in outcomes
            if isinstance(o, TaskRejected)
        ],
    )
    validated("task", [o for _, o in outcomes if not isinstance(o, TaskRejected)], result)
    result.stats = {"attempted": n_tasks, **_ladder_stats(result.records), **roles.report()}
    result.attachments["worlds"] = ctx.worlds.snapshots()
    return result


def base_blueprint(ctx: Context, seed: int, task_id: str) -> Blueprint:
    """A seeded starting point: a domain, a goal tool in it, and a starting depth."""
    r = rng(seed, "base")
    domains = sorted({t["domain"] for t in ctx.index.tools.values()})
    domain = r.choice(domains)
    goals = sorted(n for n, t in ctx.index.tools.items() if t["domain"] == domain and ctx.goal(n))
    if not goals:
        raise TaskRejected("unplannable", f"no plannable goal in domain {domain}")
    return Blueprint(
        task_id=task_id,
        seed=seed,
        domain=domain,
        goals=(r.choice(goals),),
        hops=r.choice([0, 0, 1]),
    )


def escalate(bp: Blueprint, ctx: Context, roles: Roles) -> dict[str, Any]:
    """The task at the first level the baseline fails; raises TaskRejected otherwise."""
    task = build_task(bp, ctx)
    ok, why = attempt(task, ctx, roles)
    history = [{"level": 0, "operator": "base", "baseline_passed": ok, "baseline_reason": why}]
    order = list(OPERATORS)
    rng(bp.seed, "ladder").shuffle(order)
    level = 0
    while ok:
        step = _next_level(bp, ctx, order) if level < MAX_LEVEL else None
        if step is None:
            raise TaskRejected("baseline_never_failed", f"baseline solved all {level + 1} levels")
        (bp, task), level = step, level + 1
        ok, why = attempt(task, ctx, roles)
        history.append(
            {
                "level": level,
                "operator": bp.knobs[-1],
                "baseline_passed": ok,
                "baseline_reason": why,
            }
        )
    checks = rules.verify(task, run_episode(task, OracleTeacher(task), ctx.worlds), ctx.index)
    if not rules.passed(checks):
        raise TaskRejected(
            "reference_failed", f"oracle fails level {level}: {rules.first_failure(checks)}"
        )
    task["difficulty"] = {"level": level, "knobs": list(bp.knobs)}
    task["escalation"] = history
    task["provenance"]["baseline"] = roles.baseline_provenance()
    return roles.rewrite(task, set(ctx.index.tools))


def attempt(task: dict[str, Any], ctx: Context, roles: Roles) -> tuple[bool, str | None]:
    """Did the baseline solve it every time it tried (pass^k)? And the first failure if not."""
    for baseline in roles.baselines():
        trajectory = run_episode(task, baseline, ctx.worlds, user=roles.user(task))
        checks = rules.verify(task, trajectory, ctx.index)
        if not rules.passed(checks):
            return False, rules.first_failure(checks)
    return True, None


def _next_level(bp: Blueprint, ctx: Context, order: list[str]) -> tuple[Blueprint, dict] | None:
    """The next operator in `order` that applies and still yields a valid task."""
    while order:
        candidate = OPERATORS[order.pop(0)](bp, ctx)
        if candidate is None:
            continue
        try:
            return candidate, build_task(candidate, ctx)
        except TaskRejected:
            continue
    return None


def _ladder_stats(kept: list[dict[str, Any]]) -> dict[str, Any]:
    """How the kept tasks climbed: levels, final operators, the baseline's pass rate."""
    tried = [h for t in kept for h in t["escalation"]]
    return {
        "difficulty": dict(sorted(Counter(t["difficulty"]["level"] for t in kept).items())),
        "final_operator": dict(
            sorted(Counter(t["escalation"][-1]["operator"] for t in kept).items())
        ),
        "levels_tried": len(tried),
        "baseline_pass_rate": round(
            sum(h["baseline_passed"] for h in tried) / max(len(tried), 1), 4
        ),
        "baseline_failures": dict(
            sorted(Counter(h["baseline_reason"] for h in tried if not h["baseline_passed"]).items())
        ),
    }
