"""TF-IDF retrieval over tool names and descriptions."""

from __future__ import annotations

import pytest

from gauntlet.retrieval import Index, terms


@pytest.fixture(scope="module")
def index(default_tools) -> Index:
    return Index(default_tools)


@pytest.mark.parametrize(
    ("query", "tool"),
    [
        ("I need to cancel my flight booking and get a refund", "cancel_booking"),
        ("Search hotels in Rome with availability for my stay dates", "search_hotels"),
        ("My debit card was stolen, please freeze it", "freeze_card"),
        ("Where is the courier with my food right now?", "track_courier"),
        ("How many days of leave balance do I have left?", "get_leave_balance"),
        ("Move my doctor appointment to another slot", "reschedule_appointment"),
        ("Open a support ticket because my laptop will not start", "create_ticket"),
        ("Send money from my checking account to a payee", "transfer_funds"),
    ],
)
def test_the_right_tool_ranks_first_for_a_query_worded_like_its_description(index, query, tool):
    assert index.rank(query)[0] == tool


def test_every_default_tool_ranks_first_for_its_own_description(index, default_tools):
    misses = [t["name"] for t in default_tools if index.rank(t["description"])[0] != t["name"]]

    assert misses == []


def test_rank_lists_every_tool_once_with_ties_broken_by_name(index, default_tools):
    ranked = index.rank("zzz qqq")

    assert sorted(ranked) == ranked == sorted(t["name"] for t in default_tools)


def test_scores_are_zero_for_unrelated_tools(index):
    scores = index.scores("refund my flight booking")

    assert scores["cancel_booking"] > 0
    assert scores["get_payslip"] == 0


def test_terms_stem_plurals_split_camel_case_and_drop_stop_words():
    assert terms("Bookings booked the BOOKING") == ["book", "book", "book"]
    assert terms("getFlightDetails for cities") == ["get", "flight", "detail", "city"]
