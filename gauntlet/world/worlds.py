"""The catalog's worlds, and one task's world made from them.

Seeding a world costs milliseconds and a fork microseconds, so a stage seeds one base world
per (domain, world seed, day) and plays every task on a fork of it: the task names which
person of that world its user is (`me`) and the session the conversation starts signed in
with. A task's `world` record is that recipe plus the base world's digest; the base worlds
themselves are written beside the tasks (`snapshots`), so any task can be replayed exactly.

Tools of other domains on a task's menu (distractors) run against their own domain's world
of the same seed, so a wrong call answers like a real other API would and shows in the diff.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from gauntlet.catalog.index import ToolIndex
from gauntlet.seeds import derive_int
from gauntlet.world import diff as world_diff
from gauntlet.world.environment import World
from gauntlet.world.ids import mint_id
from gauntlet.world.keyed import SESSION
from gauntlet.world.operations import ToolError
from gauntlet.world.state import WorldState


class WorldMismatch(RuntimeError):
    """A task's world cannot be rebuilt as it was: the world schema or its code changed."""


class Worlds:
    """Every domain's world schema with the tool index; base worlds made once and shared."""

    def __init__(self, tools: list[dict[str, Any]], schemas: list[dict[str, Any]]) -> None:
        self.index = ToolIndex(tools)
        self.schemas = {s["domain"]: s for s in schemas}
        self._bases: dict[tuple[str, int, str], World] = {}
        self._digests: dict[tuple[str, int, str], str] = {}
        self._lock = threading.Lock()  # llm roles run episodes on threads

    def base(self, domain: str, seed: int, now: dt.date) -> World:
        key = (domain, seed, now.isoformat())
        with self._lock:
            if key not in self._bases:
                if domain not in self.schemas:
                    raise WorldMismatch(f"no world schema for domain {domain!r}")
                world = World.create(self.schemas[domain], self.index, seed=seed, now=now)
                self._digests[key] = world.initial.digest()  # a base never changes
                self._bases[key] = world
            return self._bases[key]

    def digest(self, domain: str, seed: int, now: dt.date) -> str:
        self.base(domain, seed, now)
        return self._digests[(domain, seed, now.isoformat())]

    def recipe(self, domain: str, seed: int, now: dt.date, pick: int) -> dict[str, Any]:
        """A task's world: the base world, which of its people the user is (`pick` chooses
        among them), and the session the conversation starts with when the user has one."""
        base = self.base(domain, seed, now)
        people = sorted(base.initial.table(base.initial.principal or ""), key=str)
        me = people[pick % len(people)] if people else None
        return {
            "domain": domain,
            "seed": seed,
            "now": now.isoformat(),
            "me": me,
            "session": None if me is None else mint_id(seed, SESSION, "context", me),
            "digest": self.digest(domain, seed, now),
            "salt": derive_int(pick, "salt") % 10**9,
        }

    def open(self, recipe: dict[str, Any], faults: list[dict[str, Any]] = ()) -> TaskWorld:
        """The task's world as it is before the first call."""
        now = dt.date.fromisoformat(recipe["now"])
        if self.digest(recipe["domain"], recipe["seed"], now) != recipe["digest"]:
            raise WorldMismatch(
                f"the {recipe['domain']} world of seed {recipe['seed']} is not the one the task "
                "was made on (the world schema or the world code changed): rebuild the tasks"
            )
        return TaskWorld(self, recipe, faults)

    def snapshots(self) -> list[dict[str, Any]]:
        """Every base world made so far, as data: what a task's `world.digest` points at."""
        return [
            {
                "digest": self._digests[d, s, n],
                "domain": d,
                "seed": s,
                "now": n,
                "state": w.snapshot(),
            }
            for (d, s, n), w in sorted(self._bases.items())
        ]


class TaskWorld:
    """One episode's worlds: the task's own domain, and others' made on first use."""

    def __init__(self, worlds: Worlds, recipe: dict[str, Any], faults: list[dict[str, Any]]):
        self.worlds, self.recipe = worlds, recipe
        self.home = recipe["domain"]
        self.faults = {f["tool"]: [f["kind"], f["times"]] for f in faults}
        self._open: dict[str, World] = {}
        self.world(self.home)

    @property
    def state(self) -> WorldState:
        """The task's own domain's state (who `me` is, what is stored now)."""
        return self._open[self.home].state

    @property
    def initial(self) -> WorldState:
        return self._open[self.home].initial

    def world(self, domain: str) -> World:
        if domain not in self._open:
            now = dt.date.fromisoformat(self.recipe["now"])
            base = self.worlds.base(domain, self.recipe["seed"], now)
            me = self.recipe["me"] if domain == self.home else base.initial.me
            session = self.recipe["session"] if domain == self.home else None
            salt = self.recipe.get("salt", 0)
            self._open[domain] = base.fork(me=me, session=session, salt=salt)
        return self._open[domain]

    def call(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        tool = self.worlds.index.tools.get(name)
        if tool is None:
            raise ToolError("unknown_tool", f"no tool named {name!r}")
        self._fault(name)
        return self.world(tool["domain"]).call(name, args)

    def diff(self) -> dict[str, Any]:
        """What the calls changed: the task's own tables by name, other domains' tables as
        `domain:table`."""
        out: dict[str, dict[str, Any]] = {"inserted": {}, "updated": {}, "deleted": {}}
        for domain, world in sorted(self._open.items()):
            change = world.diff()
            for part in out:
                for table, rows in change[part].items():
                    out[part][table if domain == self.home else f"{domain}:{table}"] = rows
        return {part: dict(sorted(tables.items())) for part, tables in out.items()}

    def witnesses(self, change: dict[str, Any]) -> list[dict[str, Any]]:
        return world_diff.witnesses(self.initial, change)

    def _fault(self, name: str) -> None:
        pending = self.faults.get(name)
        if pending and pending[1] > 0:
            pending[1] -= 1
            if pending[0] == "rate_limit":
                raise ToolError("rate_limited", "429 Too Many Requests: retry after 1s", True)
            raise ToolError("unavailable", "503 Service Unavailable: try again", True)
