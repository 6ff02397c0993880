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

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError


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
