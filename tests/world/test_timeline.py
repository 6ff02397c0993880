"""When a row's moments fall: after what caused them, before what they lead to, and near now."""

from __future__ import annotations

import datetime as dt

from gauntlet.world import timeline

NOW = dt.date(2026, 11, 21)
LIFECYCLE = {"field": "status", "values": ["scheduled", "checked_in", "completed"]}


def appointment(status: str) -> dict:
    return {
        "status": status,
        "created_at": "2026-10-02T09:15:00Z",
        "start_time": "2027-01-14T10:30:00Z",
        "end_time": "2027-01-14T11:00:00Z",
    }


def test_a_checked_in_appointment_starts_today_and_keeps_its_length():
    row = appointment("checked_in")
    timeline.settle_under_way(row, LIFECYCLE, NOW)
    assert row["start_time"] == "2026-11-21T10:30:00Z"
    assert row["end_time"] == "2026-11-21T11:00:00Z"
    assert row["created_at"] == "2026-10-02T09:15:00Z"


def test_a_scheduled_appointment_stays_ahead():
    row = appointment("scheduled")
    timeline.settle_under_way(row, LIFECYCLE, NOW)
    timeline.settle_in_past(row, LIFECYCLE, NOW)
    assert row == appointment("scheduled")


def test_a_completed_appointment_has_already_happened():
    row = appointment("completed")
    timeline.settle_in_past(row, LIFECYCLE, NOW)
    assert row["start_time"] < row["end_time"] < "2026-11-21"


def test_a_new_or_changed_row_was_updated_now():
    row = {"created_at": "2026-08-01T10:00:00Z", "updated_at": "2026-08-02", "status": "new"}
    timeline.created_now(row, NOW)
    assert row == {
        "created_at": "2026-11-21T12:00:00Z",
        "updated_at": "2026-11-21",
        "status": "new",
    }
    before = {**row, "updated_at": "2026-10-01"}
    changed = {**before, "status": "open"}
    timeline.touched_now(changed, before, NOW)
    assert changed["updated_at"] == "2026-11-21"
    untouched = dict(before)
    timeline.touched_now(untouched, before, NOW)
    assert untouched["updated_at"] == "2026-10-01"


def test_a_pay_period_ends_by_its_pay_date():
    row = {
        "pay_date": "2026-11-05",
        "pay_period_start": "2027-01-01",
        "pay_period_end": "2027-01-29",
    }
    timeline.period_before_closing(row)
    assert row["pay_period_start"] < row["pay_period_end"] <= "2026-11-05"
    length = dt.date.fromisoformat(row["pay_period_end"]) - dt.date.fromisoformat(
        row["pay_period_start"]
    )
    assert length.days == 28


def test_arrive_by_is_a_little_before_the_start():
    row = {"start_time": "2026-12-25T12:30:00Z", "arrive_by": "2027-02-20T18:35:00Z"}
    timeline.lead_up(row)
    assert "2026-12-25T11:45:00Z" <= row["arrive_by"] < row["start_time"]


def test_an_order_in_transit_was_placed_this_week_and_arrives_within_days():
    lifecycle = {"field": "status", "values": ["placed", "in_transit", "delivered"]}
    row = {
        "status": "in_transit",
        "placed_at": "2026-08-18T20:44:52Z",
        "estimated_delivery_time": "2027-02-06T14:05:00Z",
    }
    timeline.settle_brief(row, lifecycle, NOW)
    assert "2026-11-14" <= row["placed_at"] < "2026-11-21"
    assert "2026-11-21" <= row["estimated_delivery_time"] <= "2026-11-28T23:59:59Z"
    assert row["estimated_delivery_time"].endswith("14:05:00Z")


def test_a_delivered_order_keeps_its_history():
    lifecycle = {"field": "status", "values": ["placed", "in_transit", "delivered"]}
    row = {"status": "delivered", "placed_at": "2026-08-18T20:44:52Z"}
    timeline.settle_brief(row, lifecycle, NOW)
    assert row["placed_at"] == "2026-08-18T20:44:52Z"


def test_a_ticket_was_due_within_a_week_of_being_opened():
    row = {"created_at": "2026-08-15T11:24:05Z", "sla_due_at": "2027-02-23T13:45:00Z"}
    timeline.expected_after_creation(row)
    assert "2026-08-15T11:24:05Z" < row["sla_due_at"] <= "2026-08-22T11:24:05Z"
