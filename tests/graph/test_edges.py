"""The tool graph on a tiny hand-written catalog: search -> get -> book -> cancel.

`book_trip` returns its booking as `{"booking": {"id": ...}}`, so the edge into `booking_id`
can only come from matching the normalized name. A second domain reuses `trip_id` and must
stay unlinked.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from gauntlet import records
from gauntlet.catalog.index import ToolIndex
from gauntlet.graph.analysis import plot_png, summary
from gauntlet.graph.edges import build_edges
from gauntlet.graph.fields import fields_of, normalize
from gauntlet.world.environment import ToolError, World
from gauntlet.world.schema import infer_domain

S = {"type": "string"}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(props)}


def _tool(name: str, effect: str, params: dict, returns: dict, domain: str = "trips") -> dict:
    return {
        "name": name,
        "domain": domain,
        "effect": effect,
        "description": name.replace("_", " ").capitalize() + ".",
        "parameters": params,
        "returns": returns,
    }


TRIP = _obj(trip_id=S, city=S, price={"type": "number"})
STATUS = {"type": "string", "enum": ["confirmed", "cancelled"]}
TOOLS = [
    _tool("search_trips", "read", _obj(city=S), _obj(trips={"type": "array", "items": TRIP})),
    _tool(
        "get_trip", "read", _obj(trip_id=S), _obj(trip_id=S, city=S, seats_left={"type": "integer"})
    ),
    _tool(
        "book_trip",
        "write",
        _obj(trip_id=S, traveler_name=S),
        _obj(booking=_obj(id=S, status=STATUS)),
    ),
    _tool("get_booking", "read", _obj(booking_id=S), _obj(booking_id=S, trip_id=S, status=STATUS)),
    _tool("cancel_booking", "write", _obj(booking_id=S), _obj(booking_id=S, status=STATUS)),
    _tool("get_ferry", "read", _obj(trip_id=S), _obj(ferry_id=S), domain="ferries"),
]
DATAFLOW = {
    ("search_trips", "get_trip", "trip_id"),
    ("search_trips", "book_trip", "trip_id"),
    ("get_trip", "book_trip", "trip_id"),
    ("get_booking", "get_trip", "trip_id"),
    ("get_booking", "book_trip", "trip_id"),
    ("book_trip", "get_booking", "booking_id"),
    ("book_trip", "cancel_booking", "booking_id"),
    ("get_booking", "cancel_booking", "booking_id"),
    ("cancel_booking", "get_booking", "booking_id"),
}


def _triples(edges: list[dict], kind: str) -> set[tuple[str, str, str]]:
    return {
        (e["source_tool"], e["target_tool"], e["target_param"]) for e in edges if e["kind"] == kind
    }


def test_build_edges_finds_exactly_the_expected_dataflow_edges():
    assert _triples(build_edges(TOOLS), "dataflow") == DATAFLOW


def test_an_id_inside_a_booking_object_feeds_booking_id():
    [edge] = [
        e
        for e in build_edges(TOOLS)
        if (e["source_tool"], e["target_tool"]) == ("book_trip", "cancel_booking")
    ]

    assert (edge["source_field"], edge["target_param"]) == ("/booking/id", "booking_id")
    assert edge["score"] < 1.0  # a normalized match scores below an exact one


def test_array_items_are_pointed_at_with_a_star():
    [edge] = [
        e
        for e in build_edges(TOOLS)
        if e["source_tool"] == "search_trips" and e["target_tool"] == "get_trip"
    ]

    assert edge["source_field"] == "/trips/*/trip_id"
    assert edge["score"] == 1.0


def test_no_edge_crosses_domains():
    edges = build_edges(TOOLS)

    assert [e for e in edges if "get_ferry" in (e["source_tool"], e["target_tool"])] == []


def test_cancel_has_a_state_edge_to_the_tool_that_reads_the_booking():
    edges = build_edges(TOOLS)

    assert _triples(edges, "state") == {
        ("cancel_booking", "get_booking", "booking_id"),
        ("book_trip", "get_trip", "trip_id"),  # booking a seat changes the trip
    }
    assert {e["source_field"] for e in edges if e["kind"] == "state"} == {None}


def test_every_edge_validates_against_the_edge_schema():
    edges = build_edges(TOOLS)

    assert edges and [records.errors("edge", e) for e in edges] == [[]] * len(edges)


def test_summary_counts_nodes_edges_and_isolated_tools():
    edges = build_edges(TOOLS)

    stats = summary(TOOLS, edges)

    assert stats["nodes"] == 6
    assert stats["edges"] == len(edges)
    assert stats["dataflow_edges"] == len(DATAFLOW)
    assert stats["state_edges"] == len(edges) - len(DATAFLOW)
    assert stats["components"] == 2
    assert stats["isolated"] == ["get_ferry"]


def test_build_is_deterministic_and_ignores_tool_order():
    shuffled = TOOLS[:]
    random.Random(3).shuffle(shuffled)

    assert build_edges(TOOLS) == build_edges(TOOLS) == build_edges(shuffled)
    assert (
        summary(TOOLS, build_edges(TOOLS))["version"]
        == summary(shuffled, build_edges(shuffled))["version"]
    )


def test_plot_png_returns_png_bytes():
    png = plot_png(TOOLS, build_edges(TOOLS))

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 1000


def test_default_catalogs_build_a_connected_graph_per_domain(default_tools):
    edges = build_edges(default_tools)
    domain = {t["name"]: t["domain"] for t in default_tools}

    stats = summary(default_tools, edges)

    assert all(domain[e["source_tool"]] == domain[e["target_tool"]] for e in edges)
    assert stats["dataflow_edges"] > 100 and stats["state_edges"] > 0
    assert ("book_flight", "get_booking", "booking_id") in _triples(edges, "dataflow")
    assert ("cancel_booking", "get_booking", "booking_id") in _triples(edges, "state")


@pytest.mark.parametrize(
    ("name", "parent", "key"),
    [
        ("departureDate", None, "departure_date"),
        ("id", "bookings", "booking_id"),
        ("ID", "Order", "order_id"),
    ],
)
def test_normalize_names(name, parent, key):
    assert normalize(name, parent) == key


def test_fields_of_walks_nested_objects_and_arrays():
    pointers = [
        f.pointer for f in fields_of(_obj(trips={"type": "array", "items": TRIP}, meta=_obj(id=S)))
    ]

    assert pointers == ["/trips/*/trip_id", "/trips/*/city", "/trips/*/price", "/meta/id"]


def test_a_nullable_id_param_still_gets_its_dataflow_edge():
    nullable = _tool(
        "get_booking_v2", "read", _obj(booking_id={"type": ["string", "null"]}), _obj(note=S)
    )

    edges = _triples(build_edges([*TOOLS, nullable]), "dataflow")

    assert ("cancel_booking", "get_booking_v2", "booking_id") in edges


def test_the_normalized_edge_can_be_followed_in_the_world():
    trips = [t for t in TOOLS if t["domain"] == "trips"]
    world = World.create(
        infer_domain("trips", trips), ToolIndex(trips), seed=5, now=dt.date(2026, 11, 21)
    )
    trip_id = next(iter(world.state.table("trip")))
    booked = world.call("book_trip", {"trip_id": trip_id, "traveler_name": "Ada"})

    try:
        cancelled = world.call("cancel_booking", {"booking_id": booked["booking"]["id"]})
    except ToolError as exc:
        pytest.fail(f"{exc.code}: {exc}")

    assert cancelled["status"] == "cancelled"
