"""A stage's worlds: one base world per domain and day, each task a fork of it as one person."""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import sys

import pytest

from gauntlet.world.operations import ToolError
from gauntlet.world.schema import infer
from gauntlet.world.seed import OWNER
from gauntlet.world.worlds import WorldMismatch, Worlds
from tests.conftest import DEFAULT_CATALOGS

NOW = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def worlds(default_tools) -> Worlds:
    return Worlds(default_tools, infer(default_tools))


def test_a_recipe_names_one_of_the_worlds_people_and_their_open_session(worlds):
    recipe = worlds.recipe("travel", 5, NOW, pick=1)
    world = worlds.open(recipe)

    assert recipe["me"] in world.initial.table("traveler")
    assert world.state.me == recipe["me"]
    assert world.state.sessions[recipe["session"]] == recipe["me"]
    assert recipe["now"] == "2026-11-21"


def test_other_picks_are_other_people_of_the_same_world(worlds):
    people = {worlds.recipe("travel", 5, NOW, pick=i)["me"] for i in range(6)}
    digests = {worlds.recipe("travel", 5, NOW, pick=i)["digest"] for i in range(6)}

    assert len(people) > 1
    assert len(digests) == 1


def test_an_episode_never_changes_the_base_world_it_was_forked_from(worlds):
    recipe = worlds.recipe("travel", 5, NOW, pick=0)
    before = worlds.base("travel", 5, NOW).snapshot()
    world = worlds.open(recipe)
    session = recipe["session"]
    booking = next(
        k
        for k, row in world.state.table("booking").items()
        if row[OWNER] == recipe["me"] and row["status"] == "confirmed"
    )
    world.call("cancel_booking", {"session_id": session, "booking_id": booking})

    assert world.diff()["updated"]["booking"][0]["key"] == booking
    assert worlds.base("travel", 5, NOW).snapshot() == before
    assert worlds.open(recipe).diff() == {"inserted": {}, "updated": {}, "deleted": {}}


def test_a_fresh_set_of_worlds_rebuilds_the_same_world_from_the_recipe(default_tools, worlds):
    recipe = worlds.recipe("clinic", 9, NOW, pick=2)
    again = Worlds(default_tools, infer(default_tools))

    assert again.base("clinic", 9, NOW).initial.digest() == recipe["digest"]
    assert again.open(recipe).state.me == recipe["me"]


def test_a_world_that_cannot_be_rebuilt_as_it_was_is_an_error(default_tools, worlds):
    recipe = worlds.recipe("clinic", 9, NOW, pick=2)
    schemas = copy.deepcopy(infer(default_tools))
    clinic = next(s for s in schemas if s["domain"] == "clinic")
    clinic["resources"] = clinic["resources"][:-1]

    with pytest.raises(WorldMismatch, match="rebuild the tasks"):
        Worlds(default_tools, schemas).open(recipe)


def test_a_tool_of_another_domain_runs_in_that_domains_world(worlds):
    """A distractor from another API does not know this conversation's session."""
    recipe = worlds.recipe("travel", 5, NOW, pick=0)
    world = worlds.open(recipe)

    with pytest.raises(ToolError) as refused:
        world.call("list_accounts", {"session_id": recipe["session"]})
    assert refused.value.code == "unauthorized"
    assert world.diff() == {"inserted": {}, "updated": {}, "deleted": {}}


def test_faults_answer_the_first_calls_then_the_tool_works(worlds):
    recipe = worlds.recipe("travel", 5, NOW, pick=0)
    world = worlds.open(recipe, [{"tool": "list_bookings", "kind": "rate_limit", "times": 1}])
    args = {"session_id": recipe["session"]}

    with pytest.raises(ToolError) as first:
        world.call("list_bookings", args)
    assert first.value.code == "rate_limited" and first.value.retryable
    assert world.call("list_bookings", args)["bookings"]


DIGESTS = """
import datetime as dt
from gauntlet.catalog import load_folder
from gauntlet.world.schema import infer
from gauntlet.world.worlds import Worlds
tools = load_folder({folder!r}).tools
worlds = Worlds(tools, infer(tools))
for schema in infer(tools):
    for seed in (1, 6061255347241942470):
        print(worlds.base(schema["domain"], seed, dt.date(2026, 11, 21)).initial.digest())
"""


def test_every_world_is_the_same_in_any_process_whatever_its_hash_seed():
    """Stages run in separate processes: a set iterated while seeding (a service fee read as
    a `service` share in one process and a `fee` share in another) breaks every replay."""
    script = DIGESTS.format(folder=str(DEFAULT_CATALOGS))
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            cwd=DEFAULT_CATALOGS.parents[1],
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert runs[0] and runs[0] == runs[1] == runs[2]


def test_a_cancelled_order_is_refunded_in_full_and_an_open_one_has_no_refund(worlds):
    recipe = worlds.recipe("retail", 5, NOW, pick=0)
    world = worlds.open(recipe)
    mine = [r for r in world.state.table("order").values() if r[OWNER] == recipe["me"]]
    open_order = next(r for r in mine if r["status"] in ("pending_payment", "paid"))
    assert open_order.get("refund_amount") is None

    answer = world.call(
        "cancel_order",
        {"session_id": recipe["session"], "order_id": open_order["order_id"], "reason": "other"},
    )

    assert answer["status"] == "cancelled"
    assert answer["refund_amount"] == open_order["total"]


def test_a_reschedule_takes_the_new_slots_time_and_keeps_the_old_one(default_tools):
    worlds = Worlds(default_tools, infer(default_tools))
    recipe = worlds.recipe("clinic", 1, NOW, pick=1)
    world = worlds.open(recipe)
    mine = [
        row
        for row in world.initial.table("appointment").values()
        if row["_owner"] == recipe["me"] and row["status"] == "booked"
    ][0]
    slot = next(s for k, s in world.initial.table("slot").items() if k != mine["slot_id"])
    answer = world.call(
        "reschedule_appointment",
        {
            "session_id": recipe["session"],
            "appointment_id": mine["appointment_id"],
            "slot_id": slot["slot_id"],
        },
    )
    assert answer["start_time"] == slot["start_time"]
    assert answer["previous_start_time"] == mine["start_time"]
    with pytest.raises(ToolError, match="no slot 'SLT-NOPE00'"):
        world.call(
            "reschedule_appointment",
            {
                "session_id": recipe["session"],
                "appointment_id": mine["appointment_id"],
                "slot_id": "SLT-NOPE00",
            },
        )


def test_what_a_task_creates_is_its_own(default_tools):
    worlds = Worlds(default_tools, infer(default_tools))
    created = set()
    for pick in (1, 2, 3):
        recipe = worlds.recipe("helpdesk", 1, NOW, pick=pick)
        opening = {
            "session_id": recipe["session"],
            "subject": "VPN keeps disconnecting",
            "description": "Since this morning's update.",
            "category": "network",
            "priority": "high",
        }
        ticket = worlds.open(recipe).call("create_ticket", opening)
        created.add(ticket["ticket_id"])
        again = worlds.open(recipe).call("create_ticket", opening)
        assert again == ticket  # the same task replays the same
    assert len(created) == 3


def test_a_transaction_reads_the_same_in_the_list_and_on_its_own(default_tools):
    worlds = Worlds(default_tools, infer(default_tools))
    recipe = worlds.recipe("banking", 1, NOW, pick=1)
    world = worlds.open(recipe)
    mine = next(r for r in world.initial.table("transaction").values() if r[OWNER] == recipe["me"])
    session = recipe["session"]
    listed = world.call(
        "list_transactions",
        {"session_id": session, "account_id": mine["account_id"], "from_date": "2026-01-01"},
    )
    assert listed["account_id"] == mine["account_id"]  # what was asked for, as asked
    row = next(t for t in listed["transactions"] if t["transaction_id"] == mine["transaction_id"])
    alone = world.call(
        "get_transaction", {"session_id": session, "transaction_id": mine["transaction_id"]}
    )
    assert alone["merchant"]["name"] == row["merchant_name"]  # `merchant_name` is merchant.name


def test_a_booking_costs_what_it_books(default_tools):
    worlds = Worlds(default_tools, infer(default_tools))
    world = worlds.open(worlds.recipe("travel", 1, NOW, pick=1))
    for reservation in world.initial.table("reservation").values():
        room = world.initial.row("room_type", reservation["room_type_id"])
        rate = room["nightly_rate"]["amount"]
        assert reservation["total_price"]["amount"] == round(rate * reservation["nights"], 2)
    for booking in world.initial.table("booking").values():
        flight = world.initial.row("flight", booking["flight_id"])
        assert booking["total_price"]["amount"] == flight["price"]["amount"]


def test_no_two_articles_of_a_world_share_a_title(default_tools):
    worlds = Worlds(default_tools, infer(default_tools))
    for seed in (1, 7, 2026):
        world = worlds.open(worlds.recipe("helpdesk", seed, NOW, pick=1))
        titles = [r["title"] for r in world.initial.table("article").values()]
        assert len(titles) == len(set(titles)) > 1


def test_a_request_is_reviewed_by_someone_else_never_its_requester(default_tools):
    worlds = Worlds(default_tools, infer(default_tools))
    recipe = worlds.recipe("hr", 1, NOW, pick=1)
    world = worlds.open(recipe)
    requests = world.initial.table("leave_request")
    mine = next(r for r in requests.values() if r[OWNER] == recipe["me"])
    theirs = next(
        r for r in requests.values() if r[OWNER] != recipe["me"] and r["status"] == "pending"
    )
    with pytest.raises(ToolError, match="cannot review your own leave request"):
        world.call(
            "review_leave_request",
            {
                "session_id": recipe["session"],
                "leave_request_id": mine["leave_request_id"],
                "decision": "approve",
            },
        )
    answer = world.call(
        "review_leave_request",
        {
            "session_id": recipe["session"],
            "leave_request_id": theirs["leave_request_id"],
            "decision": "approve",
        },
    )
    assert answer["status"] == "approved" and answer["decided_at"].startswith("2026-11-21")


def test_the_session_says_who_is_calling_whatever_id_the_call_names(default_tools):
    worlds = Worlds(default_tools, infer(default_tools))
    recipe = worlds.recipe("hr", 1, NOW, pick=1)
    world = worlds.open(recipe)
    colleague = next(k for k in world.initial.table("employee") if k != recipe["me"])
    leave = {
        "session_id": recipe["session"],
        "leave_type": "sick",
        "start_date": "2027-02-18",
        "end_date": "2027-02-21",
    }
    with pytest.raises(ToolError, match="only add a leave request for yourself"):
        world.call("submit_leave_request", {**leave, "employee_id": colleague})
    answer = world.call("submit_leave_request", {**leave, "employee_id": recipe["me"]})
    assert world.state.row("leave_request", answer["leave_request_id"])[OWNER] == recipe["me"]
