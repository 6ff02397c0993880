"""Each escalation operator changes the task the way its name says."""

from gauntlet.tasks import operators
from gauntlet.tasks.build import build_task


def test_deeper_turns_a_stated_id_into_one_the_agent_must_look_up(ctx, blueprint):
    bp = blueprint("cancel_booking", domain="travel")
    deeper = operators.deeper(bp, ctx)
    before, after = build_task(bp, ctx), build_task(deeper, ctx)
    assert len(after["plan"]) == len(before["plan"]) + 1
    assert "booking_id" in {f["key"] for f in before["facts"]}
    assert "booking_id" not in {f["key"] for f in after["facts"]}
    assert deeper.knobs == ("deeper",)


def test_parallel_adds_a_second_independent_goal(ctx, blueprint):
    bp = blueprint("cancel_booking", domain="travel")
    wider = operators.parallel(bp, ctx)
    task = build_task(wider, ctx)
    assert len(wider.goals) == 2
    assert {wider.goals[1], "cancel_booking"} <= {c["tool"] for c in task["plan"]}
    assert "Also," in task["user_message"]


def test_distractors_add_lookalike_tools_to_the_menu(ctx, blueprint):
    bp = blueprint("cancel_booking", domain="travel")
    before, after = build_task(bp, ctx), build_task(operators.distractors(bp, ctx), ctx)
    added = set(after["tools"]) - set(before["tools"])
    assert len(added) == operators.DISTRACTOR_STEP
    assert not added & {c["tool"] for c in after["plan"]}


def test_withheld_leaves_a_fact_out_of_the_message(ctx, blueprint):
    bp = blueprint("cancel_booking", domain="travel")
    task = build_task(operators.withheld(bp, ctx), ctx)
    (hidden,) = [f for f in task["facts"] if f["withheld"]]
    assert f"{hidden['label']} is" not in task["user_message"]


def test_fault_makes_a_plan_tool_fail_its_first_call(ctx, blueprint):
    bp = blueprint("cancel_booking", domain="travel")
    task = build_task(operators.fault(bp, ctx), ctx)
    (fault,) = task["faults"]
    assert fault["tool"] in {c["tool"] for c in task["plan"]}
    assert fault["times"] == 1


def test_an_operator_that_cannot_apply_says_so(ctx, blueprint):
    bp = blueprint("get_flight", domain="travel")  # one stated id, nothing to withhold twice
    once = operators.withheld(bp, ctx)
    assert operators.withheld(once, ctx) is None
