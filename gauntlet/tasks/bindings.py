"""A plan's bindings resolved against facts and earlier outputs, and a plan executed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gauntlet.world.operations import ToolError
from gauntlet.world.worlds import TaskWorld


class BindingError(LookupError):
    """A binding that does not resolve: the plan asks for a value the outputs do not hold."""


def get_pointer(doc: Any, pointer: str) -> Any:
    """RFC 6901 lookup (`/a/0/b`); raises BindingError naming the missing step."""
    node = doc
    for part in [p for p in pointer.split("/")[1:]]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise BindingError(f"{pointer}: no {part!r}")
    return node


def resolve(binding: dict[str, Any], facts: dict[str, Any], outputs: dict[str, Any]) -> Any:
    """The value a binding stands for in this episode."""
    if "fact" in binding:
        return facts[binding["fact"]]
    node = get_pointer(outputs[binding["ref"]], binding["pointer"])
    if "where" in binding:
        field_name, value = binding["where"]["field"], binding["where"]["value"]
        matches = [e for e in node if isinstance(e, dict) and e.get(field_name) == value]
        if len(matches) != 1:
            raise BindingError(
                f"{binding['pointer']}: {len(matches)} items with {field_name}={value!r}"
            )
        node = matches[0]
    if "take" in binding:
        node = get_pointer(node, binding["take"])
    return node


@dataclass
class Execution:
    outputs: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def execute(plan: list[dict[str, Any]], facts: dict[str, Any], world: TaskWorld) -> Execution:
    """Run every call in order; the first failure stops the run and is reported."""
    run = Execution()
    for call in plan:
        try:
            args = {p: resolve(b, facts, run.outputs) for p, b in call["arguments"].items()}
            run.outputs[call["call_id"]] = world.call(call["tool"], args)
        except (ToolError, BindingError, KeyError) as exc:
            run.error = f"{call['call_id']} {call['tool']}: {exc}"
            return run
    return run
