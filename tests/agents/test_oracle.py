"""The oracle teacher executes the reference: asks, retries, parallelizes, reports."""

from gauntlet.agents.oracle import OracleTeacher
from gauntlet.episode import run_episode
from gauntlet.tasks import operators
from gauntlet.tasks.build import build_task
from gauntlet.verify import rules


def test_it_retries_a_transient_fault(ctx, blueprint):
    task = build_task(operators.fault(blueprint("cancel_booking", domain="travel"), ctx), ctx)
    trajectory = run_episode(task, OracleTeacher(task), ctx.worlds)
    errors = [
        m for m in trajectory["messages"] if m["role"] == "tool" and '"error"' in m["content"]
    ]
    assert len(errors) == 1
    assert rules.passed(rules.verify(task, trajectory, ctx.index))


def test_it_asks_for_withheld_facts_before_acting(ctx, blueprint):
    task = build_task(operators.withheld(blueprint("cancel_booking", domain="travel"), ctx), ctx)
    trajectory = run_episode(task, OracleTeacher(task), ctx.worlds)
    roles = [m["role"] for m in trajectory["messages"][:4]]
    assert roles == ["system", "user", "assistant", "user"]
    assert rules.passed(rules.verify(task, trajectory, ctx.index))


def test_independent_calls_go_out_in_parallel(ctx, blueprint):
    bp = operators.parallel(blueprint("cancel_booking", domain="travel"), ctx)
    task = build_task(bp, ctx)
    trajectory = run_episode(task, OracleTeacher(task), ctx.worlds)
    widest = max(len(m.get("tool_calls", [])) for m in trajectory["messages"])
    assert widest >= 2
    assert rules.passed(rules.verify(task, trajectory, ctx.index))
