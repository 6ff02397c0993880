"""The heuristic baseline: retrieval over tool descriptions plus backward chaining, on a budget.

It really reads the task: requests pick goal tools by TF-IDF over the menu, stated facts fill
parameters, and a parameter nobody stated is looked for in other tools' outputs (backward
chaining) or asked of the user. Every call and every question costs a step; past its budget
it gives up. So it solves short, clear tasks and fails deeper, wider and noisier ones, the
way a weak agent does, for reasons that show in its trajectory.
"""

from __future__ import annotations

from typing import Any

from gauntlet.agents.base import Episode, Observation, Turn, View
from gauntlet.dialogue import phrasing, reading
from gauntlet.graph.fields import fields_of
from gauntlet.names import key_of, label, pointer_label
from gauntlet.retrieval import Index

DEFAULT_BUDGET = 6


class HeuristicBaseline:
    identity = {"role": "baseline", "name": "heuristic", "backend": "offline"}

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget

    def episode(self, view: View) -> Episode:
        self._fields: dict[str, frozenset[str]] = {}
        text = view.user_message
        seen = reading.read(text)
        seen.facts.update(view.context)
        menu = {t["name"]: t for t in view.tools}
        index = Index(view.tools)
        goals = self._goals(seen, index, text)
        order: list[str] = []
        missing: list[str] = []
        for goal in goals:
            self._chain(goal, seen, menu, index, text, order, missing, ())
        steps = 0
        if missing:
            steps += 1
            obs = yield Turn(phrasing.ask([label(p) for p in missing]))
            for o in obs:
                seen.facts.update(reading.read(o.user or "").facts)
        outputs: dict[str, dict[str, Any]] = {}
        queue = list(order)
        while queue:
            if steps >= self.budget:
                yield Turn(phrasing.give_up("I ran out of steps"))
                return
            name = queue[0]
            args = self._arguments(menu[name], seen, outputs)
            if args is None:
                yield Turn(phrasing.give_up(f"I could not fill in {name}"))
                return
            steps += 1
            obs: list[Observation] = yield Turn(None, [(name, args)])
            if obs[0].error is not None:
                if obs[0].error["error"]["retryable"]:
                    continue
                yield Turn(phrasing.give_up(obs[0].error["error"]["message"]))
                return
            outputs[name] = obs[0].result or {}
            queue.pop(0)
        yield Turn(phrasing.final(self._answers(seen, goals, outputs)))

    def _goals(self, seen: reading.Reading, index: Index, text: str) -> list[str]:
        """One tool per request sentence: the best TF-IDF match not already taken."""
        goals: list[str] = []
        for request in seen.requests or [text]:
            ranked = [n for n in index.rank(request) if n not in goals]
            if ranked:
                goals.append(ranked[0])
        return goals

    def _chain(
        self,
        tool: str,
        seen: reading.Reading,
        menu: dict,
        index: Index,
        text: str,
        order: list[str],
        missing: list[str],
        stack: tuple[str, ...],
    ) -> None:
        """Backward chaining: providers of unknown parameters go before the tool that needs them;
        a parameter no feasible provider gives is asked of the user."""
        if tool in order:
            return
        scores = index.scores(text)
        for param in menu[tool]["parameters"].get("required", []):
            if param in seen.facts or param in missing:
                continue
            providers = sorted(
                (
                    n
                    for n in self._providers(param, menu, (*stack, tool))
                    if self._feasible(n, seen, menu, (*stack, tool), depth=3)
                ),
                key=lambda n: (-scores[n], len(menu[n]["parameters"].get("required", [])), n),
            )
            if providers:
                self._chain(providers[0], seen, menu, index, text, order, missing, (*stack, tool))
            else:
                missing.append(param)
        if tool not in order:
            order.append(tool)

    def _providers(self, param: str, menu: dict, stack: tuple[str, ...]) -> list[str]:
        """Tools on the menu whose output has a field of this name."""
        return [n for n in menu if n not in stack and param in self._outputs(menu, n)]

    def _outputs(self, menu: dict, name: str) -> frozenset[str]:
        """Field names a tool returns, read from its schema once per tool and episode."""
        if name not in self._fields:
            self._fields[name] = frozenset(
                n for f in fields_of(menu[name]["returns"]) for n in (f.name, f.key)
            )
        return self._fields[name]

    def _feasible(
        self, tool: str, seen: reading.Reading, menu: dict, stack: tuple[str, ...], depth: int
    ) -> bool:
        """Can every required parameter be stated or looked up within `depth` more hops?"""
        if depth == 0:
            return False
        return all(
            param in seen.facts
            or any(
                self._feasible(n, seen, menu, (*stack, tool), depth - 1)
                for n in self._providers(param, menu, (*stack, tool))
            )
            for param in menu[tool]["parameters"].get("required", [])
        )

    def _arguments(self, tool: dict, seen: reading.Reading, outputs: dict) -> dict[str, Any] | None:
        args = {}
        props = tool["parameters"].get("properties", {})
        for param in props:
            required = param in tool["parameters"].get("required", [])
            if param in seen.facts:
                args[param] = seen.facts[param]
                continue
            if not required:
                continue  # optional values only when the user stated them
            value = _find(param, outputs, seen.criteria)
            if value is None:
                return None
            args[param] = value
        return args

    def _answers(
        self, seen: reading.Reading, goals: list[str], outputs: dict
    ) -> list[tuple[str, Any]]:
        """Each requested detail, found by its (possibly nested) name in the goals' outputs."""
        found = []
        for key in seen.answers:
            for goal in reversed(goals):
                value = _by_path_name(outputs.get(goal, {}), key, "")
                if value is not None:
                    found.append((label(key), value))
                    break
        return found


def _find(param: str, outputs: dict[str, Any], criteria: list[tuple[str, str, Any]]) -> Any:
    """The latest output value for `param`; inside a list, the item the user's criterion names."""
    for output in reversed(list(outputs.values())):
        value = _search(output, param, criteria)
        if value is not None:
            return value
    return None


def _search(node: Any, param: str, criteria: list[tuple[str, str, Any]]) -> Any:
    if isinstance(node, dict):
        if param in node and not isinstance(node[param], (dict, list)):
            return node[param]
        for child in node.values():
            value = _search(child, param, criteria)
            if value is not None:
                return value
    elif isinstance(node, list) and node:
        items = [i for i in node if isinstance(i, dict)]
        for _, field, wanted in criteria:
            match = [i for i in items if i.get(field) == wanted]
            if match:
                return _search(match[0], param, criteria)
        return _search(node[0], param, criteria)
    return None


def _by_path_name(node: Any, key: str, pointer: str) -> Any:
    """A scalar outside lists whose name, read the way people say it, is `key`."""
    if not isinstance(node, dict):
        return None
    for name, value in node.items():
        here = f"{pointer}/{name}"
        if isinstance(value, dict):
            found = _by_path_name(value, key, here)
            if found is not None:
                return found
        elif not isinstance(value, list) and key_of(pointer_label(here)) == key:
            return value
    return None
