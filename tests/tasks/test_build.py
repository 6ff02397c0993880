"""Materializing a blueprint: a plan bound to facts and outputs, executed for the reference."""

from gauntlet import canonical, records
from gauntlet.tasks.bindings import execute
from gauntlet.tasks.build import TaskRejected, build_task
from gauntlet.world import lifecycle
from gauntlet.world.seed import OWNER


def test_a_task_validates_against_its_schema(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    task["escalation"] = [{"level": 0, "operator": "base", "baseline_passed": False}]
    assert records.errors("task", task) == []


def test_the_conversation_starts_signed_in_and_the_user_never_types_a_password(ctx, blueprint):
    task = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    assert [c["tool"] for c in task["plan"]] == ["cancel_booking"]
    assert task["context"] == {"session_id": task["world"]["session"]}
    world = ctx.worlds.open(task["world"])
    assert world.state.sessions[task["world"]["session"]] == task["world"]["me"]
    assert {f["key"] for f in task["facts"]} == {"booking_id"}


def test_the_user_names_one_of_their_own_records_in_a_state_the_action_allows(ctx, blueprint):
    for seed in range(5):
        task = build_task(blueprint("cancel_booking", domain="travel", seed=seed), ctx)
        world = ctx.worlds.open(task["world"])
        (booking_id,) = [f["value"] for f in task["facts"] if f["key"] == "booking_id"]
        row = world.state.row("booking", booking_id)
        assert row[OWNER] == task["world"]["me"]
        rules = world.worlds.schemas["travel"]["resources"]
        booking = next(r for r in rules if r["name"] == "booking")
        assert lifecycle.allowed(booking["lifecycle"], "cancel_booking", row["status"])


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
    world = ctx.worlds.open(task["world"])
    facts = {f["key"]: f["value"] for f in task["facts"]} | task["context"]
    run = execute(task["plan"], facts, world)
    assert run.error is None
    assert world.diff() == task["expected"]["world_diff"]
    assert canonical.digest(world.diff()) == task["expected"]["world_diff_hash"]
    (booking,) = task["expected"]["world_diff"]["updated"]["booking"]
    assert booking["changes"]["status"][1] == "cancelled"
    assert not task["expected"]["world_diff"]["inserted"]
    witnessed = {w["key"] for w in task["expected"]["witnesses"]}
    assert witnessed and booking["key"] not in witnessed


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


def test_an_update_that_only_names_its_target_is_told_what_to_write(ctx, blueprint):
    task = build_task(blueprint("update_employee_contact", domain="hr"), ctx)
    (call,) = task["plan"]
    written = set(call["arguments"]) - {"employee_id", "session_id"}
    assert len(written) == 1
    (field,) = written
    row = next(iter(task["expected"]["world_diff"]["updated"]["employee"]))
    assert field in row["changes"]  # the change is in the world, not only in the call


def test_a_review_task_names_a_colleagues_pending_request(ctx, blueprint):
    task = build_task(blueprint("review_leave_request", domain="hr"), ctx)
    world = ctx.worlds.open(task["world"])
    (request_id,) = [f["value"] for f in task["facts"] if f["key"] == "leave_request_id"]
    row = world.state.row("leave_request", request_id)
    assert row[OWNER] != task["world"]["me"] and row["status"] == "pending"
