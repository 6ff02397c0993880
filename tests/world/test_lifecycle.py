"""Status lifecycles read from a catalog: where a row starts, where it ends, and which states
each status action tool may start from, narrowed by what its description says."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from gauntlet.world.lifecycle import (
    STATES,
    TERMINAL_KINDS,
    VERBS,
    Action,
    allowed,
    infer_lifecycle,
    target,
)

ORDER = ["pending", "confirmed", "processing", "shipped", "delivered", "cancelled", "returned"]
APPOINTMENT = ["scheduled", "confirmed", "checked_in", "completed", "cancelled", "no_show"]
PAYMENT_INTENT = [
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "requires_capture",
    "canceled",
    "succeeded",
]
STRIPE_CANCEL = (
    "A PaymentIntent object can be canceled when it is in one of these statuses: "
    "requires_payment_method, requires_capture, requires_confirmation, requires_action or, "
    "in rare cases, processing."
)


def order_lifecycle() -> dict:
    return infer_lifecycle(
        ORDER,
        [
            Action("cancel_order", "Cancel an order that has not shipped yet."),
            Action("return_order", "Return a delivered order within 30 days."),
            Action("ship_order", "Ship the order to the customer."),
        ],
        create_tools=["create_order"],
    )


def test_an_order_starts_pending_and_ends_delivered_cancelled_or_returned():
    lc = order_lifecycle()
    assert lc["values"] == ORDER
    assert lc["initial"] == ["pending"]
    assert lc["active"] == ["confirmed", "processing", "shipped"]
    assert lc["terminal"] == ["delivered", "cancelled", "returned"]
    assert [lc["order"][v] for v in ORDER[:5]] == [0, 1, 2, 3, 4]
    assert lc["order"]["cancelled"] > lc["order"]["delivered"]  # a side exit, ranked last
    assert lc["creates"] == {"create_order": "pending"}
    assert lc["unresolved"] == []
    json.dumps(lc)  # the lifecycle is stored with the world


def test_cancel_an_order_that_has_not_shipped_yet():
    cancel = order_lifecycle()["transitions"]["cancel_order"]
    assert cancel["from"] == ["pending", "confirmed", "processing"]
    assert cancel["to"] == "cancelled"
    assert "has not shipped" in cancel["why"]


def test_return_a_delivered_order_notes_the_time_limit_without_checking_it():
    ret = order_lifecycle()["transitions"]["return_order"]
    assert ret == {"from": ["delivered"], "to": "returned", "why": ret["why"]}
    assert "a delivered" in ret["why"] and "within 30 days" in ret["why"]


def test_ship_by_default_starts_from_every_non_terminal_state_but_shipped():
    assert order_lifecycle()["transitions"]["ship_order"]["from"] == [
        "pending",
        "confirmed",
        "processing",
    ]


def test_allowed_and_target_answer_the_worlds_409():
    lc = order_lifecycle()
    assert allowed(lc, "cancel_order", "pending")
    assert target(lc, "cancel_order", "processing") == "cancelled"
    assert not allowed(lc, "cancel_order", "shipped")  # the world answers 409 conflict
    assert target(lc, "cancel_order", "shipped") is None
    assert not allowed(lc, "cancel_order", "cancelled")  # cannot cancel twice
    assert target(lc, "return_order", "Delivered") == "returned"  # compared like the enum
    assert not allowed(lc, "return_order", "shipped")
    assert target(lc, "create_order", "") == "pending"
    # a tool the lifecycle knows nothing about is not a status action: no constraint
    assert allowed(lc, "get_order", "shipped")
    assert target(lc, "get_order", "shipped") == "shipped"


def test_an_appointment_fee_rule_is_noted_not_a_precondition():
    lc = infer_lifecycle(
        APPOINTMENT,
        [
            Action(
                "cancel_appointment",
                "Cancel an appointment. Cancellations less than 24 hours ahead incur a late "
                "cancellation fee.",
            ),
            Action("reschedule_appointment", "Move an appointment to another time slot."),
            Action("check_in_patient", "Check in a patient who has arrived for the visit."),
        ],
    )
    assert lc["initial"] == ["scheduled"]
    assert lc["terminal"] == ["completed", "cancelled", "no_show"]
    cancel = lc["transitions"]["cancel_appointment"]
    assert cancel["from"] == ["scheduled", "confirmed", "checked_in"]
    assert cancel["to"] == "cancelled"
    assert "fee rule" in cancel["why"] and "24 hours" in cancel["why"]
    # no `rescheduled` value: rescheduling keeps the appointment's state
    reschedule = lc["transitions"]["reschedule_appointment"]
    assert reschedule["to"] is None
    # and only while the visit is still to come: a patient already checked in is not moved
    assert reschedule["from"] == ["scheduled", "confirmed"]
    assert target(lc, "reschedule_appointment", "confirmed") == "confirmed"
    assert target(lc, "reschedule_appointment", "completed") is None
    check_in = lc["transitions"]["check_in_patient"]
    assert check_in == {
        "from": ["scheduled", "confirmed"],
        "to": "checked_in",
        "why": check_in["why"],
    }
    assert lc["unresolved"] == []


def test_stripe_payment_intent_cancel_lists_its_statuses():
    lc = infer_lifecycle(PAYMENT_INTENT, [Action("cancel_payment_intent", STRIPE_CANCEL)])
    assert lc["initial"] == ["requires_payment_method"]
    assert lc["terminal"] == ["canceled", "succeeded"]
    cancel = lc["transitions"]["cancel_payment_intent"]
    assert cancel["to"] == "canceled"
    assert cancel["from"] == [
        "requires_payment_method",
        "requires_confirmation",
        "requires_action",
        "processing",
        "requires_capture",
    ]
    assert "one of these statuses" in cancel["why"]
    assert not allowed(lc, "cancel_payment_intent", "succeeded")


def test_an_issue_closes_and_reopens():
    lc = infer_lifecycle(
        ["open", "closed"],
        [Action("close_issue", "Close an issue."), Action("reopenIssue", "Reopen an issue.")],
    )
    assert lc["initial"] == ["open"] and lc["terminal"] == ["closed"]
    assert lc["transitions"]["close_issue"]["from"] == ["open"]
    assert lc["transitions"]["close_issue"]["to"] == "closed"
    # reopen-like verbs start from the terminal states
    assert lc["transitions"]["reopenIssue"]["from"] == ["closed"]
    assert lc["transitions"]["reopenIssue"]["to"] == "open"
    assert target(lc, "reopenIssue", "open") is None


def test_a_leave_request_in_upper_case():
    lc = infer_lifecycle(
        ["PENDING", "APPROVED", "REJECTED", "CANCELLED"],
        [
            Action("approveLeaveRequest", "Approve a leave request."),
            Action("rejectLeaveRequest", "Reject a leave request with a reason."),
            Action("cancelLeaveRequest", "Withdraw a leave request."),
        ],
    )
    assert lc["initial"] == ["PENDING"] and lc["terminal"] == ["REJECTED", "CANCELLED"]
    for tool, to in [("approveLeaveRequest", "APPROVED"), ("rejectLeaveRequest", "REJECTED")]:
        assert lc["transitions"][tool]["to"] == to
    assert lc["transitions"]["approveLeaveRequest"]["from"] == ["PENDING"]
    # an approved leave may still be cancelled, not rejected
    assert lc["transitions"]["cancelLeaveRequest"]["from"] == ["PENDING", "APPROVED"]
    assert lc["transitions"]["rejectLeaveRequest"]["from"] == ["PENDING", "APPROVED"]
    assert target(lc, "approveLeaveRequest", "pending") == "APPROVED"


def test_no_enum_the_values_come_from_the_verbs():
    lc = infer_lifecycle(
        [],
        [Action("cancel_booking", "Cancel a booking."), Action("approve_booking", "Approve it.")],
    )
    assert lc["values"] == ["pending", "approved", "cancelled"]  # plus somewhere to start
    assert lc["initial"] == ["pending"]
    assert lc["transitions"]["approve_booking"] == {
        "from": ["pending"],
        "to": "approved",
        "why": lc["transitions"]["approve_booking"]["why"],
    }
    assert lc["transitions"]["cancel_booking"]["from"] == ["pending", "approved"]


def test_a_sentence_the_parser_cannot_read_is_unresolved_and_does_not_narrow():
    sentence = "Only orders placed through the web store can be cancelled."
    lc = infer_lifecycle(ORDER, [Action("cancel_order", f"Cancel an order. {sentence}")])
    assert lc["unresolved"] == [
        {"tool": "cancel_order", "sentence": sentence, "reason": "precondition not understood"}
    ]
    assert lc["transitions"]["cancel_order"]["from"] == [
        "pending",
        "confirmed",
        "processing",
        "shipped",
    ]


def test_a_tool_with_no_status_verb_is_unresolved_not_guessed():
    lc = infer_lifecycle(ORDER, [Action("update_order", "Update an order's address.")])
    assert lc["transitions"] == {}
    assert lc["unresolved"][0]["tool"] == "update_order"
    assert allowed(lc, "update_order", "delivered")


def test_precondition_phrases():
    cases = {
        "Cancel an order before it ships.": ["pending", "confirmed", "processing"],
        "Cancel an order that has not yet been shipped.": ["pending", "confirmed", "processing"],
        "Orders cannot be cancelled after shipping.": ["pending", "confirmed", "processing"],
        "Only pending orders can be cancelled.": ["pending"],
        "Cancel the order if it is still pending.": ["pending"],
        "Cancel while pending.": ["pending"],
        "Cancel only pending or confirmed orders.": ["pending", "confirmed"],
        "Cancel the order unless it is processing.": ["pending", "confirmed", "shipped"],
        "Only confirmed orders that have not shipped yet can be cancelled.": ["confirmed"],
        # a word that only shares a stem with a state is not an adjective precondition
        "Cancel the order and send a confirmation email.": ORDER[:4],
    }
    for description, expected in cases.items():
        lc = infer_lifecycle(ORDER, [Action("cancel_order", description)])
        assert lc["transitions"]["cancel_order"]["from"] == expected, description
        assert lc["unresolved"] == [], description


def test_once_and_after_start_from_the_named_state():
    for description in ["Refund an order once delivered.", "Refund the order after delivery."]:
        lc = infer_lifecycle(ORDER + ["refunded"], [Action("refund_order", description)])
        assert lc["transitions"]["refund_order"]["from"] == ["delivered"], description
        assert lc["transitions"]["refund_order"]["to"] == "refunded"


def test_cards_freeze_and_unfreeze():
    lc = infer_lifecycle(
        ["active", "frozen", "closed"],
        [
            Action("freeze_card", "Freeze an active card."),
            Action("unfreeze_card", "Unfreeze a card."),
            Action("mark_card_closed", "Close the card for good."),
        ],
    )
    assert lc["transitions"]["freeze_card"]["from"] == ["active"]
    assert lc["transitions"]["unfreeze_card"] == {
        "from": ["frozen"],
        "to": "active",
        "why": lc["transitions"]["unfreeze_card"]["why"],
    }
    assert lc["transitions"]["mark_card_closed"]["to"] == "closed"


def test_a_single_status_in_the_returns_is_the_target():
    lc = infer_lifecycle(ORDER, [Action("hold_order", "Put an order on hold.", ("on_hold",))])
    assert "on_hold" in lc["values"]
    assert lc["transitions"]["hold_order"]["to"] == "on_hold"


def test_the_yaml_vocabulary_is_consistent():
    kinds = {"start", "active"} | TERMINAL_KINDS
    assert all(entry["kind"] in kinds for entry in STATES.values())
    for verb, spec in VERBS.items():
        assert set(spec["to"]) <= set(STATES), verb
        assert spec.get("makes", spec["to"][0]) in STATES, verb
        assert set(spec.get("from", ())) <= set(STATES) | {"terminal", "done"}, verb


VOCABULARY = sorted(STATES)
VERB_NAMES = sorted(VERBS)
STATE_VALUE = st.sampled_from(VOCABULARY).map(lambda s: s.upper() if len(s) % 3 == 0 else s)
RANDOM_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.one_of(STATE_VALUE, RANDOM_WORD), max_size=8, unique=True),
    verbs=st.lists(st.sampled_from(VERB_NAMES), min_size=1, max_size=5),
    noun=st.sampled_from(["order", "ticket", "card", "widget"]),
    filler=st.text(alphabet="0123456789 ,.", max_size=30),
)
def test_any_enum_and_verbs_give_a_consistent_lifecycle(values, verbs, noun, filler):
    actions = [
        Action(f"{verb.replace(' ', '_')}_{noun}_{i}", f"{verb.capitalize()} the {noun}.{filler}")
        for i, verb in enumerate(verbs)
    ]
    lc = infer_lifecycle(values, actions)
    json.dumps(lc)
    members = set(lc["values"])
    assert sorted(lc["initial"] + lc["active"] + lc["terminal"]) == sorted(members)
    assert set(lc["order"]) == members
    for action, verb in zip(actions, verbs, strict=True):
        rule = lc["transitions"].get(action.tool)
        if rule is None:
            assert any(u["tool"] == action.tool for u in lc["unresolved"])
            continue
        assert set(rule["from"]) <= members
        assert rule["to"] is None or rule["to"] in members
        if "from" not in VERBS[verb]:  # only reopen-like verbs start from a terminal state
            assert not set(rule["from"]) & set(lc["terminal"]), (verb, rule)
        for state in rule["from"]:
            assert allowed(lc, action.tool, state)
            assert target(lc, action.tool, state) in members
