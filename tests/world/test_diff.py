"""A task's outcome is the world's diff: rows inserted, updated, deleted; witnesses untouched."""

from __future__ import annotations

import datetime as dt

from gauntlet.world import diff
from gauntlet.world.state import WorldState


def state() -> WorldState:
    s = WorldState("shop", dt.date(2026, 11, 29), "EUR", "customer", "C1")
    s.tables = {
        "order": {
            "O1": {"order_id": "O1", "status": "paid", "_owner": "C1"},
            "O2": {"order_id": "O2", "status": "paid", "_owner": "C2"},
            "O3": {"order_id": "O3", "status": "shipped", "_owner": "C1"},
        }
    }
    return s


def test_a_cancel_is_one_updated_row_and_the_rest_are_witnesses():
    before = state()
    after = before.fork()
    after.writable_row("order", "O1")["status"] = "cancelled"

    change = diff.diff(before, after)

    assert change == {
        "inserted": {},
        "updated": {"order": [{"key": "O1", "changes": {"status": ["paid", "cancelled"]}}]},
        "deleted": {},
    }
    assert [w["key"] for w in diff.witnesses(before, change)] == ["O2", "O3"]
    assert before.row("order", "O1")["status"] == "paid"  # the fork wrote its own copy


def test_an_attempt_that_cancels_someone_elses_order_fails_on_the_witness():
    before = state()
    reference = before.fork()
    reference.writable_row("order", "O1")["status"] = "cancelled"
    expected = diff.diff(before, reference)
    kept = diff.witnesses(before, expected)

    careless = before.fork()
    careless.writable_row("order", "O2")["status"] = "cancelled"

    assert diff.compare(expected, diff.diff(before, careless), kept, careless) == (
        "order not updated as expected"
    )
    assert diff.compare(expected, expected, kept, reference) is None


def test_inserts_and_deletes_are_counted():
    before = state()
    after = before.fork()
    after.writable_table("order")["O4"] = {"order_id": "O4", "status": "pending"}
    del after.writable_table("order")["O3"]

    change = diff.diff(before, after)

    assert change["inserted"] == {"order": [{"order_id": "O4", "status": "pending"}]}
    assert change["deleted"] == {"order": ["O3"]}
    assert diff.compare({"inserted": {}, "updated": {}, "deleted": {}}, change, [], after) == (
        "inserted 1 order row(s), expected 0"
    )
    assert diff.is_empty(diff.diff(before, before.fork()))
