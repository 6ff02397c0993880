"""Tool shapes: which entity a response is, and what a write does to state."""

from gauntlet.catalog.shapes import own_id_field, shape_of


def test_own_id_of_a_tool_response():
    schema = {"properties": {"flight_id": {}, "booking_id": {}, "note": {}}}

    assert own_id_field(schema, None, "booking") == ("booking_id", "booking")
    assert own_id_field(schema, "flights", None) == ("flight_id", "flight")
    assert own_id_field({"properties": {"id": {}}}, "bookings", None) == ("id", "booking")
    assert own_id_field({"properties": {"note": {}}}, None, "booking") is None


def tool(name: str, effect: str, params: dict, returns: dict) -> dict:
    return {
        "name": name,
        "domain": "travel",
        "effect": effect,
        "parameters": {"type": "object", "properties": params},
        "returns": {"type": "object", "properties": returns},
    }


def test_a_write_that_returns_a_fresh_id_creates_that_entity():
    create = tool("create_booking", "write", {"flight_id": {"type": "string"}}, {"booking_id": {}})

    shape = shape_of(create)

    assert shape.creates == {"booking_id": "booking"}
    assert shape.target is None


def test_a_status_verb_changes_its_target_and_names_the_status_stem():
    cancel = tool("cancel_booking", "write", {"booking_id": {"type": "string"}}, {"status": {}})

    shape = shape_of(cancel)

    assert shape.target == ("booking_id", "booking")
    assert shape.status_stem == "cancel"
    assert shape_of(tool("get_booking", "read", {"booking_id": {}}, {})).target is None
