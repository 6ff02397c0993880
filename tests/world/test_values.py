"""Values for any JSON Schema: valid, realistic for the field's name, and fixed by their key."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from gauntlet.world.values import from_pattern, make_value

KEYS = [("v", i) for i in range(40)]

VALID_CASES = {
    "string": ({"type": "string"}, "label"),
    "integer": ({"type": "integer"}, "count"),
    "number": ({"type": "number"}, "weight"),
    "boolean": ({"type": "boolean"}, "refundable"),
    "null": ({"type": "null"}, "nothing"),
    "nullable string": ({"type": ["string", "null"]}, "nickname"),
    "enum": ({"enum": ["economy", "business", "first"]}, "cabin"),
    "const": ({"const": "v2"}, "version"),
    "oneOf": ({"oneOf": [{"type": "integer"}, {"type": "boolean"}]}, "flag"),
    "anyOf": ({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}, "day"),
    "format date": ({"type": "string", "format": "date"}, "when"),
    "format date-time": ({"type": "string", "format": "date-time"}, "when"),
    "format email": ({"type": "string", "format": "email"}, "contact"),
    "format uri": ({"type": "string", "format": "uri"}, "homepage"),
    "integer min/max": ({"type": "integer", "minimum": 3, "maximum": 4}, "quantity"),
    "integer exclusive bounds": (
        {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 3},
        "count",
    ),
    "integer min above the hint": ({"type": "integer", "minimum": 50}, "quantity"),
    "number min/max": ({"type": "number", "minimum": 10, "maximum": 12}, "price"),
    "number min equals max": ({"type": "number", "minimum": 7.5, "maximum": 7.5}, "fee"),
    "string minLength": ({"type": "string", "minLength": 40}, "city"),
    "string maxLength": ({"type": "string", "maxLength": 3}, "company_name"),
    "string pattern": ({"type": "string", "pattern": "^[A-Z]{2}-[0-9]{4}$"}, "plate"),
    "pattern and length": (
        {"type": "string", "pattern": "^[A-Z0-9]{6}$", "minLength": 6, "maxLength": 6},
        "confirmation_code",
    ),
    "array": ({"type": "array", "items": {"type": "integer", "minimum": 1}}, "ids"),
    "array min/max items": (
        {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        "tags",
    ),
    "object": (
        {
            "type": "object",
            "properties": {
                "amount": {"type": "number", "minimum": 0},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
            "required": ["amount", "currency"],
        },
        "price",
    ),
}


def errors(schema: dict, value: object) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [e.message for e in validator.iter_errors(value)]


@pytest.mark.parametrize(("schema", "field"), VALID_CASES.values(), ids=VALID_CASES.keys())
def test_make_value_is_valid_for_the_schema(schema, field):
    bad = {key: v for key in KEYS if errors(schema, v := make_value(schema, field, key))}

    assert bad == {}


def test_make_value_is_deterministic_per_key_and_varies_across_keys():
    schema = {"type": "string"}

    first = [make_value(schema, "passenger_name", k) for k in KEYS]
    again = [make_value(schema, "passenger_name", k) for k in KEYS]

    assert first == again
    assert len(set(first)) > len(KEYS) // 2


def test_values_look_like_what_the_field_names():
    key = ("look",)

    assert "@" in make_value({"type": "string"}, "email", key)
    assert dt.date.fromisoformat(make_value({"type": "string"}, "check_in_date", key))
    assert re.fullmatch(r"\d\d:\d\d", make_value({"type": "string"}, "pickup_time", key))
    assert make_value({"type": "string"}, "origin", key).isupper()
    assert 1 <= make_value({"type": "integer"}, "guests", key) <= 4
    assert 5 <= make_value({"type": "number"}, "amount", key) <= 2500


def test_name_fields_follow_their_head_noun():
    restaurant = make_value({"type": "string"}, "restaurant_name", ("n",))
    person = make_value({"type": "string"}, "passenger_name", ("n",))

    assert restaurant.endswith(("Kitchen", "Bistro", "Grill", "Noodle Bar", "Taqueria"))
    assert len(person.split()) >= 2


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Z]{3}$",
        r"^\d{4}-[A-Z]{2}$",
        r"^(LH|BA|AF) \d{2,4}$",
        r"^[a-z]+@[a-z]+\.com$",
        r"^\S+$",
    ],
)
def test_from_pattern_matches_its_regex(pattern):
    values = [from_pattern(pattern, key) for key in KEYS]

    assert [v for v in values if not re.search(pattern, v)] == []
    assert values == [from_pattern(pattern, key) for key in KEYS]


def test_from_pattern_honours_a_negated_class():
    assert re.fullmatch(r"[^0-9]+", from_pattern(r"^[^0-9]+$", ("k",)))


# Bugs: each case yields a value its schema rejects.
EDGE_CASES = {
    "negative integer range": (
        {"type": "integer", "minimum": -10, "maximum": -1},
        "offset",
        "_integer clamps to the default range [1, 100] first; lo > maximum stays",
    ),
    "maximum below the name hint": (
        {"type": "integer", "maximum": 10},
        "age",
        "INT_HINTS age (18, 85): hi < lo is fixed by hi = lo, which exceeds maximum",
    ),
    "number maximum below the default": (
        {"type": "number", "maximum": 0.5},
        "ratio",
        "_number's default range starts at 1, above maximum",
    ),
    "number exclusive bounds": (
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "ratio",
        "_number ignores exclusiveMinimum/exclusiveMaximum",
    ),
    "integer with a fractional maximum": (
        {"type": "integer", "maximum": 10.5},
        "n",
        "_integer computes with the float bound and returns a float",
    ),
    "format uuid": ({"type": "string", "format": "uuid"}, "request", "uuid format unsupported"),
    "format ipv4": ({"type": "string", "format": "ipv4"}, "address", "ipv4 format unsupported"),
    "format time": (
        {"type": "string", "format": "time"},
        "slot",
        "format time gives HH:MM; RFC 3339 full-time needs seconds and an offset",
    ),
}


@pytest.mark.parametrize(
    "schema, field",
    [pytest.param(s, f, id=name) for name, (s, f, _why) in EDGE_CASES.items()],
)
def test_make_value_is_valid_for_edge_schemas(schema, field):
    assert [v for key in KEYS if errors(schema, v := make_value(schema, field, key))] == []
