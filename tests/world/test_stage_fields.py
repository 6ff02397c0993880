"""A field named for a stage exists once the row has reached that stage, and says what the
status says."""

from __future__ import annotations

import datetime as dt

from gauntlet.world import stage_fields

LEAVE = {
    "field": "status",
    "values": ["pending", "approved", "rejected", "cancelled"],
    "order": {"pending": 0, "approved": 1, "rejected": 2, "cancelled": 2},
    "terminal": ["rejected", "cancelled"],
}


def leave_request(status: str) -> dict:
    return {
        "status": status,
        "decided_at": "2026-10-26T17:18:05Z",
        "decision_comment": "Approved, enjoy your time off.",
        "rejection_reason": "The team is short-staffed that week.",
        "cancellation_reason": "Plans changed.",
        "start_date": "2027-01-24",
    }


def test_a_pending_request_has_no_decision_yet():
    row = leave_request("pending")
    stage_fields.unreached(row, LEAVE)
    assert row["decided_at"] is None and row["decision_comment"] is None
    assert row["rejection_reason"] is None and row["cancellation_reason"] is None
    assert row["start_date"] == "2027-01-24"


def test_an_approved_request_keeps_its_decision_but_no_rejection_reason():
    row = leave_request("approved")
    stage_fields.unreached(row, LEAVE)
    assert row["decided_at"] == "2026-10-26T17:18:05Z"
    assert row["decision_comment"] == "Approved, enjoy your time off."
    assert row["rejection_reason"] is None


def test_a_rejected_requests_comment_says_rejected():
    row = leave_request("rejected")
    stage_fields.unreached(row, LEAVE)
    assert row["rejection_reason"] == "The team is short-staffed that week."
    assert row["decision_comment"].startswith("Rejected")


def test_a_planned_date_and_a_refund_reason_are_not_stage_fields():
    order = {"field": "status", "values": ["placed", "shipped", "delivered", "refunded"]}
    row = {"status": "placed", "delivery_date": "2026-12-02", "refund_reason": "damaged"}
    assert stage_fields.stage_fields(row, order) == {}


def test_an_action_stamps_the_stage_it_reached():
    row = {"status": "approved", "approved_at": None, "rejected_at": None}
    lifecycle = {"field": "status", "values": ["pending", "approved", "rejected"]}
    stage_fields.stamp(row, lifecycle, dt.date(2026, 11, 21), lambda f: {"format": "date-time"})
    assert row == {"status": "approved", "approved_at": "2026-11-21T12:00:00Z", "rejected_at": None}
