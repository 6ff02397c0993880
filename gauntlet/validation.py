"""JSON Schema checks that are fast when the instance is valid and clear when it is not.

Every record crossing a stage, every tool answer the judge reads and every exported line is
checked, so validation is the pipeline's hottest loop. `jsonschema-rs` (compiled, ~200x faster
than `jsonschema` on our records) answers "is it valid?"; only when it says no does `jsonschema`
walk the instance to explain why, so messages and error paths stay what they always were.
The rule is: valid when the compiled check passes, otherwise whatever `jsonschema` reports.
A schema the compiled checker cannot take (a regex dialect it lacks) is checked by `jsonschema`
alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError


class Checker:
    """A drop-in for `Draft202012Validator.iter_errors`, with a compiled fast path."""

    def __init__(self, schema: dict[str, Any] | bool, *, formats: bool = False) -> None:
        self.schema = schema
        self._formats = formats
        self._explainer: Draft202012Validator | None = None
        try:
            self._fast = jsonschema_rs.Draft202012Validator(schema, validate_formats=formats)
        except (ValueError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError):
            self._fast = None

    @property
    def explainer(self) -> Draft202012Validator:
        """The `jsonschema` validator, built only once something has to be explained."""
        if self._explainer is None:
            checker = Draft202012Validator.FORMAT_CHECKER if self._formats else None
            self._explainer = Draft202012Validator(self.schema, format_checker=checker)
        return self._explainer

    def is_valid(self, instance: Any) -> bool:
        return next(self.iter_errors(instance), None) is None

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if self._fast is not None and self._fast.is_valid(instance):
            return iter(())
        return self.explainer.iter_errors(instance)


def check_schema(schema: Any) -> None:
    """Raise `SchemaError` when `schema` is not a 2020-12 JSON Schema, as jsonschema does.

    The metaschema check is compiled too; jsonschema runs only to explain a failure, or when a
    `pattern` is one Python's `re` cannot read (the explainer would trip on it later)."""
    if jsonschema_rs.meta.is_valid(schema) and _patterns_compile(schema):
        return
    Draft202012Validator.check_schema(schema)
    if not _patterns_compile(schema):  # jsonschema's own regex check let it through
        raise SchemaError("a pattern is not a regular expression Python can read")


def _patterns_compile(node: Any) -> bool:
    if isinstance(node, list):
        return all(_patterns_compile(item) for item in node)
    if not isinstance(node, dict):
        return True
    regexes = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
    if isinstance(node.get("patternProperties"), dict):
        regexes += list(node["patternProperties"])
    try:
        for regex in regexes:
            re.compile(regex)
    except re.error:
        return False
    return all(_patterns_compile(value) for value in node.values())
