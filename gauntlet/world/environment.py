"""A task's executable world: the schema, the seeded state, and the tools as operations on it.

`World.create` seeds the initial state; `call` runs a tool against it; `diff` says what the
calls changed since the start; `snapshot` is the initial world as data, so a task can be
replayed (`World.replay`) and exported as an environment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gauntlet.catalog.index import ToolIndex
from gauntlet.names import kind_of, singular
from gauntlet.seeds import derive_int
from gauntlet.world import derived
from gauntlet.world import diff as world_diff
from gauntlet.world.keys import make_key
from gauntlet.world.kinds import value_kind
from gauntlet.world.operations import Executor, ToolError
from gauntlet.world.row_values import RowValues
from gauntlet.world.seed import complete_row, seed_world
from gauntlet.world.state import Key, WorldState

__all__ = ["ToolError", "World"]


class World:
    def __init__(
        self,
        schema: dict[str, Any],
        index: ToolIndex,
        state: WorldState,
        seed: int,
        values: RowValues | None = None,
        salt: int = 0,
    ):
        self.schema, self.index, self.seed = schema, index, seed
        self.initial = state
        self.state = state.fork()
        # forks share their world's value maker: its plans are read once per field list
        self.values = values or RowValues(seed, state.now, state.currency, state.domain)
        self.executor = Executor(
            schema, index, self.state, self.make_up, seed, self.complete, salt=salt
        )

    @classmethod
    def create(cls, schema: dict[str, Any], index: ToolIndex, *, seed: int, now: dt.date) -> World:
        state = seed_world(
            schema,
            seed=seed,
            now=now,
            fill_factory=lambda currency: RowValues(seed, now, currency, schema["domain"]).fill,
        )
        return cls(schema, index, state, seed)

    @classmethod
    def replay(cls, schema: dict[str, Any], index: ToolIndex, snapshot: dict, seed: int) -> World:
        keys = {r["name"]: r["key"]["field"] for r in schema["resources"]}
        return cls(schema, index, WorldState.from_snapshot(snapshot, keys), seed)

    def fork(self, me: Key | None = None, session: str | None = None, salt: int = 0) -> World:
        """A fresh episode on the same initial world (microseconds: nothing is copied yet),
        optionally as another of its people (`me`), signed in with `session`; `salt` makes
        what its calls create its own."""
        initial = self.initial
        if me is not None:
            initial = initial.fork()
            initial.me = me
            if session:
                initial.sessions[session] = me
        return World(self.schema, self.index, initial, self.seed, self.values, salt)

    def call(self, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        return self.executor.call(tool, args)

    def diff(self) -> dict[str, Any]:
        return world_diff.diff(self.initial, self.state)

    def snapshot(self) -> dict[str, Any]:
        return self.initial.snapshot()

    def complete(self, res: dict[str, Any], row: dict[str, Any], key: Key) -> dict[str, Any]:
        """A new row made whole around what the call gave, the way seeded rows are."""
        return complete_row(res, row, self.values.fill, key, self.state.now)

    def make_up(self, resource: str, prop: str, schema: dict[str, Any], key: tuple) -> Any:
        """A value the world does not store (a computed fee): the same for the same row."""
        kind = value_kind(prop, schema, resource=resource or None)
        if kind in ("identifier", "reference") and schema.get("type") == "array":
            n = max(int(schema.get("minItems", 1)), 1)
            items = schema.get("items") or {"type": "string"}
            return [self.make_up(resource, singular(prop), items, (*key, i)) for i in range(n)]
        if kind in ("identifier", "reference"):
            spec = {"type": "integer" if schema.get("type") == "integer" else "string", **schema}
            return make_key(spec, kind_of(prop) or prop, self.seed, derive_int(*key) % 10**6)
        if schema.get("type") == "object" and schema.get("properties"):  # one list item, whole
            noun = singular(prop)
            fields = [
                {"name": p, "type": s.get("type", "string"), "schema": s}
                for p, s in schema["properties"].items()
            ]
            item = self.values.fill(noun, fields, key=key)
            derived.line_total(item)
            return item
        field = {"name": prop, "type": schema.get("type", "string"), "kind": kind, "schema": schema}
        return self.values.fill(resource or "call", [field], key=key).get(prop)
