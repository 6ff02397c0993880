"""The world simulator answers every tool of any catalog like a consistent, stateful API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from gauntlet.catalog import load_folder
from gauntlet.catalog.index import ToolIndex
from gauntlet.names import kind_of
from gauntlet.testing.catalogs import make_catalogs
from gauntlet.world.ids import is_minted, mint_id
from gauntlet.world.simulator import ToolError, World
from gauntlet.world.values import make_value

SEED = 11
CATALOGS = Path(__file__).resolve().parents[2] / "data" / "catalogs"
DEFAULT_NAMES = [
    t["name"] for f in sorted(CATALOGS.glob("*.json")) for t in json.loads(f.read_text())["tools"]
]
GENERATED_NAMES = [t["name"] for c in make_catalogs(3) for t in c["tools"]]


@pytest.fixture(scope="module")
def generated_tools(tmp_path_factory) -> list[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("generated")
    for catalog in make_catalogs(3):
        (folder / f"{catalog['domain']}.json").write_text(json.dumps(catalog))
    return load_folder(folder).tools


@pytest.fixture(scope="module")
def every_tool(default_tools, generated_tools) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in default_tools + generated_tools}


def _world(tools: list[dict[str, Any]], seed: int = SEED, **kw: Any) -> World:
    return World(ToolIndex(tools), seed, **kw)


def _domain(tools: list[dict[str, Any]], domain: str) -> list[dict[str, Any]]:
    return [t for t in tools if t["domain"] == domain]


def valid_args(world: World, tool: dict[str, Any], every: bool = False) -> dict[str, Any]:
    """Required (or all) arguments: ids the world knows, realistic values for the rest."""
    params = tool["parameters"]
    out = {}
    for name in params["properties"] if every else params.get("required", []):
        schema = params["properties"][name]
        kind = kind_of(name)
        if kind and schema.get("type", "string") == "string":
            out[name] = world.mint(kind, name)
        else:
            out[name] = make_value(schema, name, ("args", tool["name"], name))
    return out


def response_errors(tool: dict[str, Any], response: Any) -> list[str]:
    validator = Draft202012Validator(tool["returns"], format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response)]


@pytest.mark.parametrize("name", DEFAULT_NAMES + GENERATED_NAMES)
def test_every_tool_answers_valid_arguments_with_a_response_matching_its_returns(every_tool, name):
    tool = every_tool[name]
    world = _world([tool])

    assert response_errors(tool, world.call(name, valid_args(world, tool))) == []
    assert response_errors(tool, world.call(name, valid_args(world, tool, every=True))) == []


@pytest.mark.parametrize("source", ["default", "generated"])
def test_calling_a_whole_domain_in_one_world_keeps_every_response_valid(
    default_tools, generated_tools, source
):
    tools = default_tools if source == "default" else generated_tools
    for domain in sorted({t["domain"] for t in tools}):
        world = _world(_domain(tools, domain))
        for every in (False, True):
            for tool in _domain(tools, domain):
                response = world.call(tool["name"], valid_args(world, tool, every))
                assert response_errors(tool, response) == [], tool["name"]


def test_same_id_kind_in_two_domains_does_not_break_responses(default_tools):
    world = _world(default_tools)
    args = {"session_id": world.mint("session", "s"), "order_id": world.mint("order", "o")}
    world.call("get_food_order", args)

    get_order = next(t for t in default_tools if t["name"] == "get_order")
    assert response_errors(get_order, world.call("get_order", args)) == []


@pytest.fixture
def travel(default_tools) -> World:
    return _world(_domain(default_tools, "travel"))


SIGN_IN = {"email": "ada@example.com", "password": "s3cret-pw"}
SEARCH = {"origin": "LHR", "destination": "JFK", "departure_date": "2026-12-03", "cabin": "economy"}
PASSENGER = {"passenger_name": "Ada Lovelace", "seat_preference": "window"}


def _sign_in(world: World) -> str:
    return world.call("sign_in_traveler", SIGN_IN)["session_id"]


def _book(world: World, session: str, flight: str) -> dict[str, Any]:
    return world.call("book_flight", {"session_id": session, "flight_id": flight, **PASSENGER})


def test_the_same_read_twice_gives_the_same_answer(travel):
    assert travel.call("search_flights", SEARCH) == travel.call("search_flights", SEARCH)


def test_get_after_search_shows_the_fields_the_search_showed(travel):
    found = travel.call("search_flights", SEARCH)["flights"][0]

    detail = travel.call("get_flight", {"flight_id": found["flight_id"]})

    shared = set(found) & set(detail)
    assert {"flight_number", "carrier", "departure_time", "origin"} <= shared
    assert {k: detail[k] for k in shared} == {k: found[k] for k in shared}
    assert (detail["origin"], detail["destination"]) == ("LHR", "JFK")


def test_get_after_find_agrees_in_a_generated_catalog(generated_tools):
    world = _world(_domain(generated_tools, "observatory"))
    find = next(t for t in generated_tools if t["name"] == "find_telescopes")
    found = world.call("find_telescopes", valid_args(world, find))["telescopes"][0]

    detail = world.call("get_telescope", {"telescope_id": found["telescope_id"]})

    assert detail == found


def test_reads_see_a_booking_and_then_its_cancellation(travel):
    session = _sign_in(travel)
    flight = travel.call("search_flights", SEARCH)["flights"][0]["flight_id"]
    booked = _book(travel, session, flight)
    ref = {"booking_id": booked["booking_id"], "session_id": session}

    before = travel.call("get_booking", ref)
    travel.call("cancel_booking", ref)
    after = travel.call("get_booking", ref)

    assert (before["status"], before["flight_id"]) == ("confirmed", flight)
    assert before["passenger_name"] == "Ada Lovelace"
    assert before["total_price"] == booked["total_price"]
    assert after["status"] == "cancelled"
    assert travel.state_change()["booking"][booked["booking_id"]]["status"] == "cancelled"


def test_reserve_then_cancel_records_the_cancelled_status(generated_tools):
    world = _world(_domain(generated_tools, "vineyard"))
    session = world.call("sign_in_vineyard", {"username": "ada", "password": "pw"})["session_id"]
    barrel = world.mint("barrel", "barrel_id")

    made = world.call("reserve_barrel", {"session_id": session, "barrel_id": barrel})
    rid = made["barrel_reservation_id"]
    world.call("cancel_barrel_reservation", {"session_id": session, "barrel_reservation_id": rid})

    assert is_minted(SEED, "barrel_reservation", rid)
    record = world.state_change()["barrel_reservation"][rid]
    assert record["created_by"] == "reserve_barrel" and record["barrel_id"] == barrel
    assert (record["updated_by"], record["status"]) == ("cancel_barrel_reservation", "cancelled")


def test_writes_change_the_state_and_reads_do_not(travel):
    session = _sign_in(travel)
    ref = {"booking_id": travel.mint("booking", "b"), "session_id": session}
    start = (travel.state_change(), travel.state_hash())

    travel.call("get_booking", ref)
    travel.call("search_flights", SEARCH)
    after_reads = (travel.state_change(), travel.state_hash())
    travel.call("cancel_booking", ref)

    assert after_reads == start
    assert travel.state_hash() != start[1]
    assert travel.state_change()["booking"][ref["booking_id"]]["status"] == "cancelled"


def test_the_same_create_twice_makes_two_entities(generated_tools):
    world = _world(_domain(generated_tools, "library"))
    args = {"session_id": world.mint("session", "s"), "book_id": world.mint("book", "b")}

    first = world.call("reserve_book", args)["book_reservation_id"]
    second = world.call("reserve_book", args)["book_reservation_id"]

    assert first != second
    assert set(world.state_change()["book_reservation"]) == {first, second}


@pytest.mark.parametrize(
    "booking_id",
    ["BKN-AAAAAA", mint_id(SEED + 1, "booking", "other"), mint_id(SEED, "flight", "x")],
    ids=["made-up", "other-seed", "other-kind"],
)
def test_an_id_the_world_never_issued_is_not_found(travel, booking_id):
    with pytest.raises(ToolError) as caught:
        travel.call("get_booking", {"booking_id": booking_id, "session_id": _sign_in(travel)})

    assert caught.value.code == "not_found"
    assert booking_id in str(caught.value) and not caught.value.retryable


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"booking_id": 5, "session_id": "SSN-AAAAAA"}, "booking_id"),
        ({"session_id": "SSN-AAAAAA"}, "booking_id"),
        ({"booking_id": "BKN-AAAAAA", "session_id": "SSN-AAAAAA", "seat": "1A"}, "seat"),
    ],
    ids=["wrong-type", "missing", "unexpected"],
)
def test_invalid_arguments_name_the_field(travel, args, field):
    with pytest.raises(ToolError) as caught:
        travel.call("get_booking", args)

    assert caught.value.code == "invalid_arguments"
    assert field in str(caught.value)


def test_an_unknown_tool_is_refused(travel):
    with pytest.raises(ToolError) as caught:
        travel.call("teleport", {})

    assert caught.value.code == "unknown_tool"
    assert caught.value.payload()["error"]["code"] == "unknown_tool"


@pytest.mark.parametrize(
    ("kind", "code"), [("transient", "unavailable"), ("rate_limit", "rate_limited")]
)
def test_a_fault_fails_the_first_call_retryably_and_the_retry_succeeds(default_tools, kind, code):
    fault = {"tool": "cancel_booking", "kind": kind, "times": 1}
    world = _world(_domain(default_tools, "travel"), faults=[fault])
    ref = {"booking_id": world.mint("booking", "b"), "session_id": world.mint("session", "s")}

    with pytest.raises(ToolError) as caught:
        world.call("cancel_booking", ref)
    assert (caught.value.code, caught.value.retryable) == (code, True)
    assert world.state_change() == {}

    assert world.call("cancel_booking", ref)["status"] == "cancelled"
    assert world.state_change() != {}


def _episode(world: World) -> list[Any]:
    session = _sign_in(world)
    flights = world.call("search_flights", SEARCH)["flights"]
    booking = _book(world, session, flights[0]["flight_id"])
    return [session, flights, booking, world.state_hash()]


def test_same_seed_gives_identical_episodes_and_another_seed_different_ids(default_tools):
    travel = _domain(default_tools, "travel")

    first, again, other = (_episode(_world(travel, seed)) for seed in (SEED, SEED, SEED + 1))

    assert first == again
    assert first[0] != other[0] and first[3] != other[3]
    assert first[1][0]["flight_id"] != other[1][0]["flight_id"]


def _formatted(schema: dict, value: Any, fmt: str) -> list[Any]:
    """Every value in `value` whose schema says `format: fmt`."""
    if schema.get("format") == fmt:
        return [value]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return [v for k in props if k in value for v in _formatted(props[k], value[k], fmt)]
    if isinstance(value, list):
        return [v for item in value for v in _formatted(schema.get("items", {}), item, fmt)]
    return []


def test_emails_and_dates_look_real(default_tools):
    world = _world(default_tools)
    emails, dates = [], []
    for tool in default_tools:
        response = world.call(tool["name"], valid_args(world, tool))
        emails += _formatted(tool["returns"], response, "email")
        dates += _formatted(tool["returns"], response, "date")

    assert len(emails) >= 5 and all("@" in e and "." in e.split("@")[1] for e in emails)
    assert len(dates) >= 10 and all(dt.date.fromisoformat(d) for d in dates)
