"""Exact and near-duplicate clustering of task texts."""

from __future__ import annotations

from gauntlet.verify.dedup import clusters, shingles

REQUEST = (
    "I booked a flight from London to New York on the third of December for my sister and now "
    "she cannot travel because of a family emergency so please cancel the booking, tell me how "
    "much of the fare will be refunded to my card, and then find me a hotel near Central Park "
    "for two nights starting on the fifth with breakfast included and free cancellation because "
    "our plans might still change again before the trip"
)
ONE_WORD_CHANGED = REQUEST.replace("sister", "brother")
UNRELATED = (
    "Order two large margherita pizzas from the closest Italian restaurant, pay with the card on "
    "file, and tell me when the courier is expected to arrive at my office on Main Street"
)


def test_identical_texts_cluster_as_exact_under_the_first_id():
    groups = clusters({"t2": REQUEST, "t1": REQUEST})

    assert groups == {"t1": ("t1", "self"), "t2": ("t1", "exact")}


def test_case_and_whitespace_do_not_hide_an_exact_duplicate():
    groups = clusters({"a": REQUEST, "b": "  " + REQUEST.upper().replace(" ", "\n ")})

    assert groups["b"] == ("a", "exact")


def test_a_one_word_change_clusters_as_near():
    groups = clusters({"a": REQUEST, "b": ONE_WORD_CHANGED})

    assert groups == {"a": ("a", "self"), "b": ("a", "near")}


def test_unrelated_texts_stay_apart():
    groups = clusters({"a": REQUEST, "b": UNRELATED})

    assert groups == {"a": ("a", "self"), "b": ("b", "self")}


def test_the_leader_is_the_first_id_in_sorted_order_whatever_the_input_order():
    texts = {"task-9": ONE_WORD_CHANGED, "task-3": UNRELATED, "task-1": REQUEST}

    groups = clusters(texts)

    assert groups["task-9"] == ("task-1", "near")
    assert groups["task-3"] == ("task-3", "self")
    assert groups == clusters(dict(reversed(texts.items())))


def test_an_exact_copy_of_a_near_duplicate_joins_the_leaders_cluster():
    groups = clusters({"a": REQUEST, "b": ONE_WORD_CHANGED, "c": ONE_WORD_CHANGED})

    assert groups["c"] == ("a", "exact")


def test_shingles_are_word_trigrams_and_short_texts_are_one_shingle():
    assert shingles("Cancel my booking, please!") == {b"cancel my booking", b"my booking please"}
    assert shingles("Hi there") == {b"hi there"}
