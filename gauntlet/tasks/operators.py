"""Escalation operators: each turns one difficulty knob of a blueprint, or says it cannot.

- deeper: one more fact the user states becomes a value the agent must look up first.
- parallel: a second, independent goal in the same request.
- distractors: the tools most like the goal, by the same retrieval the baseline uses, join the menu.
- withheld: one more fact is left out of the message; the agent must ask the user for it.
- fault: one more plan tool answers its first call with a transient error or a rate limit.
"""

from __future__ import annotations

from collections.abc import Callable

from gauntlet.seeds import rng
from gauntlet.tasks.build import Context
from gauntlet.tasks.planner import Blueprint, Unplannable

DISTRACTOR_STEP = 6


def deeper(bp: Blueprint, ctx: Context) -> Blueprint | None:
    nxt = bp.with_knob("deeper", hops=bp.hops + 1)
    try:
        _, used_before = ctx.planner.plan(bp)
        plan, used = ctx.planner.plan(nxt)
    except Unplannable:
        return None
    return nxt if used > used_before else None


def parallel(bp: Blueprint, ctx: Context) -> Blueprint | None:
    plan, _ = ctx.planner.plan(bp)
    used = {c["tool"] for c in plan}
    options = sorted(
        n
        for n, t in ctx.index.tools.items()
        if t["domain"] == bp.domain and n not in used and ctx.goal(n)
    )
    if not options:
        return None
    extra = rng(bp.seed, "parallel", len(bp.goals)).choice(options)
    return bp.with_knob("parallel", goals=(*bp.goals, extra))


def distractors(bp: Blueprint, ctx: Context) -> Blueprint | None:
    return bp.with_knob("distractors", distractors=bp.distractors + DISTRACTOR_STEP)


def withheld(bp: Blueprint, ctx: Context) -> Blueprint | None:
    plan, _ = ctx.planner.plan(bp)
    n_facts = len({p for c in plan for p, b in c["arguments"].items() if "fact" in b})
    return bp.with_knob("withheld", withheld=bp.withheld + 1) if bp.withheld < n_facts else None


def fault(bp: Blueprint, ctx: Context) -> Blueprint | None:
    plan, _ = ctx.planner.plan(bp)
    n_tools = len({c["tool"] for c in plan})
    return bp.with_knob("fault", faults=bp.faults + 1) if bp.faults < n_tools else None


OPERATORS: dict[str, Callable[[Blueprint, Context], Blueprint | None]] = {
    "deeper": deeper,
    "parallel": parallel,
    "distractors": distractors,
    "withheld": withheld,
    "fault": fault,
}
