"""Values the world makes up for a field it does not store (a computed fee, a fact the user
states): valid for any JSON Schema, realistic for the field's name, fixed by their key."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from gauntlet.catalog import load_folder
from gauntlet.catalog.index import ToolIndex
from gauntlet.world.environment import World
from gauntlet.world.patterns import from_pattern
from gauntlet.world.schema import infer_domain
from tests.conftest import DEFAULT_CATALOGS

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


@pytest.fixture(scope="module")
def world() -> World:
    tools = [t for t in load_folder(DEFAULT_CATALOGS).tools if t["domain"] == "travel"]
    return World.create(
        infer_domain("travel", tools), ToolIndex(tools), seed=3, now=dt.date(2026, 11, 21)
    )


def made_up(world: World, schema: dict, field: str, key: tuple) -> object:
    return world.make_up("", field, schema, key)


def errors(schema: dict, value: object) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [e.message for e in validator.iter_errors(value)]


@pytest.mark.parametrize(("schema", "field"), VALID_CASES.values(), ids=VALID_CASES.keys())
def test_a_made_up_value_is_valid_for_its_schema(world, schema, field):
    bad = {key: v for key in KEYS if errors(schema, v := made_up(world, schema, field, key))}

    assert bad == {}


# Schemas the old value maker got wrong (each gave a value its schema rejects).
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
def test_a_made_up_value_is_valid_for_edge_schemas(world, schema, field):
    assert [v for key in KEYS if errors(schema, v := made_up(world, schema, field, key))] == []


def test_made_up_values_are_fixed_by_their_key_and_vary_across_keys(world):
    schema = {"type": "string"}

    first = [made_up(world, schema, "passenger_name", k) for k in KEYS]

    assert first == [made_up(world, schema, "passenger_name", k) for k in KEYS]
    assert len(set(first)) > len(KEYS) // 2


def test_made_up_values_look_like_what_the_field_names(world):
    key = ("look",)

    assert "@" in made_up(world, {"type": "string"}, "email", key)
    assert dt.date.fromisoformat(made_up(world, {"type": "string"}, "check_in_date", key)[:10])
    assert len(made_up(world, {"type": "string"}, "passenger_name", key).split()) >= 2


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
