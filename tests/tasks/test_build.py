"""Materializing a blueprint: a plan bound to facts and outputs, executed for the reference."""

from gauntlet import records
from gauntlet.tasks.bindings import execute
from gauntlet.tasks.build import TaskRejected, build_task
from gauntlet.world.simulator import World


def test_a_task_validates_against_its_schema(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    task["escalation"] = [{"level": 0, "operator": "base", "baseline_passed": False}]
    assert records.errors("task", task) == []


def test_sessions_come_from_the_sign_in_tool_never_from_the_user(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    tools = [c["tool"] for c in task["plan"]]
    assert tools == ["sign_in_traveler", "cancel_booking"]
    assert task["plan"][1]["arguments"]["session_id"] == {"ref": "c1", "pointer": "/session_id"}
    assert "session_id" not in {f["key"] for f in task["facts"]}


def test_the_message_states_goal_and_facts_but_never_the_plan(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    message = task["user_message"]
    assert "cancel" in message.lower()
    for fact in task["facts"]:
        assert f"{fact['label']} is" in message
    for tool in task["tools"]:
        assert tool not in message


def test_the_expected_outcome_is_what_the_reference_did_in_a_fresh_world(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    world = World(ctx.index, task["seed"])
    facts = {f["key"]: f["value"] for f in task["facts"]}
    run = execute(task["plan"], facts, world)
    assert run.error is None
    assert world.state_hash() == task["expected"]["state_hash"]
    (booking,) = task["expected"]["state_change"]["booking"].values()
    assert booking["status"] == "cancelled"


def test_a_value_taken_from_a_list_is_pinned_by_a_field_only_that_item_has(ctx, blueprint):
    task = build_task(blueprint("get_booking", domain="travel", hops=1), ctx)
    pinned = [b for c in task["plan"] for b in c["arguments"].values() if "where" in b]
    assert pinned, "one hop from a list tool needs a criterion"
    where = pinned[0]["where"]
    assert f"whose {where['field'].replace('_', ' ')} is" in task["user_message"]


def test_same_blueprint_gives_the_same_task(ctx, blueprint):
    assert build_task(blueprint("book_flight", domain="travel", hops=1), ctx) == build_task(
        blueprint("book_flight", domain="travel", hops=1), ctx
    )


def test_a_goal_with_nothing_to_report_is_rejected_with_a_reason(ctx, blueprint):
    try:
        build_task(blueprint("search_flights", domain="travel"), ctx)
    except TaskRejected as exc:
        assert exc.reason == "answer_not_unique"
    else:
        raise AssertionError("a search has only lists to report, so no unique answer")
