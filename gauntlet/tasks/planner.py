"""From knobs to a concrete plan: backward chaining from goal tools over the tool graph.

A `Blueprint` holds the difficulty knobs; `Planner.plan` turns it into calls whose arguments
are bound to user facts or earlier outputs. Every choice is seeded by (task seed, tool,
parameter), so raising one knob adds to the plan without reshuffling the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from gauntlet import canonical
from gauntlet.names import kind_of
from gauntlet.seeds import rng


class Unplannable(ValueError):
    """The goal needs a value no tool provides and no user could know (a session, say)."""


@dataclass(frozen=True)
class Blueprint:
    """A task's identity and its difficulty knobs; the operators turn the knobs."""

    task_id: str
    seed: int
    domain: str
    goals: tuple[str, ...]
    hops: int = 0
    distractors: int = 0
    withheld: int = 0
    faults: int = 0
    knobs: tuple[str, ...] = field(default_factory=tuple)

    def with_knob(self, name: str, **changes: Any) -> Blueprint:
        return replace(self, knobs=(*self.knobs, name), **changes)


@dataclass(frozen=True)
class Provider:
    tool: str
    pointer: str  # to the value, or to the array holding it
    take: str | None  # inside an array item
    score: float
    effect: str


def must_provide(param: str) -> bool:
    """Values no user knows by heart: they have to come from a tool. (A session is not one:
    the conversation starts signed in, and its context holds the session.)"""
    return kind_of(param) != "session" and "token" in param


class Planner:
    """Plans for one catalog: providers indexed once from the graph's dataflow edges."""

    def __init__(
        self,
        tools: list[dict[str, Any]],
        edges: list[dict[str, Any]],
        updates: frozenset[str] = frozenset(),
    ) -> None:
        self.tools = {t["name"]: t for t in tools}
        self.updates = updates  # tools the world schema reads as plain updates
        self.providers: dict[tuple[str, str], list[Provider]] = defaultdict(list)
        for e in edges:
            if e["kind"] != "dataflow" or e["source_field"].count("*") > 1:
                continue
            pointer, _, take = e["source_field"].partition("/*")
            self.providers[(e["target_tool"], e["target_param"])].append(
                Provider(
                    e["source_tool"],
                    pointer,
                    take or None,
                    e["score"],
                    self.tools[e["source_tool"]]["effect"],
                )
            )

    def required(self, tool: str) -> list[str]:
        return list(self.tools[tool]["parameters"].get("required", []))

    def to_write(self, tool: str, seed: int) -> list[str]:
        """A write whose required parameters only name its target (an update of an employee's
        contact details by `employee_id`) is told one thing to write, or it changes nothing."""
        spec = self.tools[tool]
        required = self.required(tool)
        if tool not in self.updates or not all(kind_of(p) for p in required):
            return []
        optional = sorted(p for p in spec["parameters"].get("properties", {}) if p not in required)
        optional = [p for p in optional if not kind_of(p) and not must_provide(p)]
        return [rng(seed, "write", tool).choice(optional)] if optional else []

    def plannable(self, tool: str) -> bool:
        """Every must-provide parameter has a provider (no deeper check: planning is cheap)."""
        return all(self.providers.get((tool, p)) for p in self.required(tool) if must_provide(p))

    def plan(self, bp: Blueprint) -> tuple[list[dict[str, Any]], int]:
        """Calls in dependency order, and how many optional hops were actually used."""
        calls: list[dict[str, Any]] = []
        memo: dict[str, str] = {}
        budget = [bp.hops]

        def need(tool: str, stack: tuple[str, ...]) -> str:
            args: dict[str, Any] = {}
            for param in self.required(tool) + self.to_write(tool, bp.seed):
                args[param] = self._bind(bp, tool, param, stack, budget, need)
            key = canonical.dumps([tool, args])
            if key not in memo:
                memo[key] = f"c{len(calls) + 1}"
                calls.append({"call_id": memo[key], "tool": tool, "arguments": args})
            return memo[key]

        for goal in bp.goals:
            need(goal, ())
        return calls, bp.hops - budget[0]

    def _bind(
        self,
        bp: Blueprint,
        tool: str,
        param: str,
        stack: tuple[str, ...],
        budget: list[int],
        need: Any,
    ) -> dict[str, Any]:
        options = [
            p
            for p in self.providers.get((tool, param), ())
            if p.tool not in (*stack, tool) and param not in self.required(p.tool)
        ]
        if kind_of(param) == "session":  # the conversation's context holds it
            return {"fact": param}
        forced = must_provide(param)
        if options and (forced or (kind_of(param) and budget[0] > 0)):
            if not forced:
                budget[0] -= 1
            chosen = self._choose(bp, tool, param, options)
            ref = need(chosen.tool, (*stack, tool))
            binding: dict[str, Any] = {"ref": ref, "pointer": chosen.pointer}
            if chosen.take is not None:
                binding["take"] = chosen.take
            return binding
        if forced:
            raise Unplannable(f"{tool}.{param}: no tool provides it")
        return {"fact": param}

    def _choose(self, bp: Blueprint, tool: str, param: str, options: list[Provider]) -> Provider:
        """Prefer reads, then lookups that need no other id (a search by name beats swapping
        one id the user states for another), then the best match; ties broken by the seed."""

        def rank(o: Provider) -> tuple:
            ids = [p for p in self.required(o.tool) if kind_of(p) and not must_provide(p)]
            return (o.effect == "read", not ids, o.score)

        best = max(rank(o) for o in options)
        top = sorted((o for o in options if rank(o) == best), key=lambda o: (o.tool, o.pointer))
        return rng(bp.seed, "provider", tool, param).choice(top)
