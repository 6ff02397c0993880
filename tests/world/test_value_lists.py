"""Lists the world keeps no rows for are made to agree with the row they belong to."""

from __future__ import annotations

import datetime as dt

import pytest

from gauntlet.world.derived import amount
from gauntlet.world.schema import infer
from gauntlet.world.worlds import Worlds

NOW = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def worlds(default_tools):
    return Worlds(default_tools, infer(default_tools))


def answer(worlds, domain: str, tool: str, table: str, key_field: str) -> dict:
    recipe = worlds.recipe(domain, 1, NOW, pick=1)
    world = worlds.open(recipe)
    rows = world.initial.table(table)
    key = next(k for k, r in rows.items() if r.get("_owner") in (None, recipe["me"]))
    args = {key_field: key}
    if "session_id" in worlds.index.tools[tool]["parameters"]["properties"]:
        args["session_id"] = recipe["session"]
    return world.call(tool, args)


def test_a_payslips_lines_add_up_to_its_pay(worlds):
    slip = answer(worlds, "hr", "get_payslip", "payslip", "payslip_id")
    gross, net, tax = (amount(slip[f]) for f in ("gross_pay", "net_pay", "income_tax"))
    earned = sum(amount(line["amount"]) for line in slip["earnings"])
    taken = sum(amount(line["amount"]) for line in slip["deductions"])
    assert slip["earnings"] and earned == pytest.approx(gross, abs=0.01)
    assert slip["deductions"] and taken == pytest.approx(gross - net - tax, abs=0.01)
    assert 0.55 * gross <= net <= 0.9 * gross
    assert slip["pay_period_start"] < slip["pay_period_end"] <= slip["pay_date"]


def test_a_flight_has_one_fare_per_cabin_dearer_up_the_cabins(worlds):
    flight = answer(worlds, "travel", "get_flight", "flight", "flight_id")
    cabins = worlds.index.tools["get_flight"]["returns"]["properties"]["fares"]["items"]
    order = cabins["properties"]["cabin"]["enum"]
    fares = sorted(flight["fares"], key=lambda fare: order.index(fare["cabin"]))
    assert len({fare["cabin"] for fare in fares}) == len(fares) >= 2
    prices = [amount(fare["price"]) for fare in fares]
    assert prices == sorted(prices)


def test_scan_history_comes_newest_first_with_the_schemas_own_wording(worlds):
    shipment = answer(worlds, "retail", "track_shipment", "order", "order_id")
    times = [event["timestamp"] for event in shipment["events"]]
    assert times == sorted(times, reverse=True) and len(times) >= 2
    assert "Arrived at facility" in {event["description"] for event in shipment["events"]}


def test_opening_hours_are_times_of_day_as_the_description_shows(worlds):
    place = answer(worlds, "food_delivery", "get_restaurant", "restaurant", "restaurant_id")
    for hours in place["opening_hours"]:
        assert len(hours["opens_at"]) == 5 and hours["opens_at"][2] == ":"
    assert len({hours["day"] for hours in place["opening_hours"]}) == len(place["opening_hours"])


def test_another_tickets_comments_are_never_borrowed(worlds):
    ticket = answer(worlds, "helpdesk", "get_ticket", "ticket", "ticket_id")
    recipe = worlds.recipe("helpdesk", 1, NOW, pick=1)
    comments = worlds.open(recipe).initial.table("comment")
    for comment in ticket["comments"]:
        stored = comments.get(comment["comment_id"])
        assert stored is None or stored.get("ticket_id") in (None, ticket["ticket_id"])
