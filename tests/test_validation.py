"""The checker answers like `jsonschema` does, only faster when the instance is valid."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from gauntlet.validation import Checker, check_schema

ORDER = {
    "type": "object",
    "required": ["order_id", "total"],
    "properties": {
        "order_id": {"type": "string", "pattern": "^ORD-[0-9]{4}$"},
        "total": {"type": "number", "minimum": 0},
        "placed_on": {"type": "string", "format": "date"},
    },
    "additionalProperties": False,
}


def test_a_valid_instance_has_no_errors():
    assert list(Checker(ORDER).iter_errors({"order_id": "ORD-0042", "total": 12.5})) == []


def test_errors_are_jsonschema_errors_with_their_paths():
    bad = {"order_id": "ORD-42", "total": -1, "extra": True}
    ours = sorted((list(e.absolute_path), e.message) for e in Checker(ORDER).iter_errors(bad))
    theirs = sorted(
        (list(e.absolute_path), e.message) for e in Draft202012Validator(ORDER).iter_errors(bad)
    )
    assert ours == theirs and len(ours) == 3


def test_formats_are_checked_only_when_asked():
    wrong_date = {"order_id": "ORD-0042", "total": 1, "placed_on": "15:30"}
    assert Checker(ORDER).is_valid(wrong_date)
    errors = list(Checker(ORDER, formats=True).iter_errors(wrong_date))
    assert [e.message for e in errors] == ["'15:30' is not a 'date'"]


def test_a_pattern_only_python_reads_is_still_checked():
    # `\\Z` is Python's end of string; the compiled checker refuses it, jsonschema takes over
    schema = {"type": "string", "pattern": "^[A-Z]+\\Z"}
    checker = Checker(schema)
    assert checker.is_valid("ABC")
    assert not checker.is_valid("abc")


def test_a_schema_that_is_not_one_is_refused_with_jsonschemas_message():
    with pytest.raises(SchemaError, match="'strnig' is not valid"):
        check_schema({"type": "strnig"})


def test_a_pattern_python_cannot_read_is_refused():
    with pytest.raises(SchemaError):
        check_schema({"type": "string", "pattern": "[\\p{L}]+"})
    check_schema({"type": "string", "pattern": "^[A-Z]{3}$"})
