"""The one vocabulary of names: words, labels, kinds, verbs, reserved names, file patterns."""

import pytest

from gauntlet import names


def test_words_split_camel_snake_and_punctuation():
    assert names.words("departureDate") == ("departure", "date")
    assert names.words("check_in-time") == ("check", "in", "time")
    assert names.snake("X-Request-Id") == "x_request_id"


def test_a_label_reads_a_name_the_way_people_say_it_and_key_of_reads_it_back():
    assert names.label("passenger_name") == "passenger name"
    assert names.label("booking_id") == "booking ID"
    assert names.key_of(names.label("booking_id")) == "booking_id"
    assert names.pointer_label("/refund_amount/amount") == "refund amount"
    assert names.pointer_label("/bookings/*/total/amount") == "total amount"


def test_kind_of_reads_the_entity_from_an_id_field():
    fields = ["order_id", "orderId", "customerID", "star_chart_id", "id", "_id", "order_number"]

    kinds = [names.kind_of(f) for f in fields]

    assert kinds == ["order", "order", "customer", "star_chart", None, None, None]


def test_subject_drops_a_read_verb_whatever_the_case_style():
    assert names.subject_of("get_booking") == "booking"
    assert names.subject_of("getBookingStatus") == "booking_status"
    assert names.subject_of("cancel_booking") == "cancel_booking"
    assert names.leading_verb("searchFlights") == "search"


@pytest.mark.parametrize("name", ["finish", "Goto", "web_read", "execute_bash", "browser_click"])
def test_adp_reserved_names_are_one_list(name):
    assert names.is_reserved(name)


def test_ordinary_tool_names_are_not_reserved():
    assert not names.is_reserved("get_weather")


def test_catalog_patterns_cover_every_format_the_loader_reads():
    assert set(names.CATALOG_PATTERNS) == {"*.json", "*.yaml", "*.yml", "*.jsonl"}
