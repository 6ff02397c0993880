"""The catalog in memory: tools by name, with their argument validators and shapes.

Built once per stage run and shared by every world, agent and judge that needs a tool.
"""

from __future__ import annotations

from typing import Any

from jsonschema.exceptions import best_match

from gauntlet.catalog.shapes import ToolShape, shape_of
from gauntlet.validation import Checker


class ToolIndex:
    """Tools by name with their validators and shapes, each built on first use."""

    def __init__(self, tools: list[dict[str, Any]]) -> None:
        self.tools = {t["name"]: t for t in tools}
        self._validators: dict[str, Checker] = {}
        self._outputs: dict[str, Checker] = {}
        self._shapes: dict[str, ToolShape] = {}

    def validator(self, name: str) -> Checker:
        if name not in self._validators:
            # formats checked, as ADP's validator does: a `date` parameter given "15:30" is a
            # bad call, not a fact to export
            self._validators[name] = Checker(self.tools[name]["parameters"], formats=True)
        return self._validators[name]

    def output_validator(self, name: str) -> Checker:
        """Checks what the tool answers against its `returns` (formats not enforced)."""
        if name not in self._outputs:
            self._outputs[name] = Checker(self.tools[name]["returns"])
        return self._outputs[name]

    def shape(self, name: str) -> ToolShape:
        if name not in self._shapes:
            self._shapes[name] = shape_of(self.tools[name])
        return self._shapes[name]

    def argument_problem(self, name: str, args: Any) -> str | None:
        """Why `args` is not a valid call of tool `name` (the most relevant error), or None:
        what any simulated API answers with `invalid_arguments`."""
        if not isinstance(args, dict):
            return "arguments must be a JSON object"
        error = best_match(self.validator(name).iter_errors(args))
        if error is None:
            return None
        where = "/".join(str(p) for p in error.absolute_path) or "(arguments)"
        return f"{name}: {where}: {error.message}"
