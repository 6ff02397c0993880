"""One task's world: tables of rows per resource, one clock, one currency, who is signed in.

Every tool reads and writes this one state (`world/operations.py`), so reads see earlier
writes and a task's outcome is the difference between two states (`world/diff.py`). A state
round-trips through a compact JSON snapshot, so a task can be replayed and exported as an
environment.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gauntlet import canonical

Key = str | int
Row = dict[str, Any]


@dataclass
class WorldState:
    domain: str
    now: dt.date
    currency: str
    principal: str | None  # the resource "my" refers to
    me: Key | None = None  # the principal row the task's user is
    tables: dict[str, dict[Key, Row]] = field(default_factory=dict)
    credentials: dict[Key, dict[str, Any]] = field(default_factory=dict)  # secret, never shown
    sessions: dict[str, Key] = field(default_factory=dict)  # open session id -> principal key

    _own: set = field(default_factory=set, repr=False, compare=False)  # copied-on-write parts

    def table(self, resource: str) -> dict[Key, Row]:
        """A table to read (shared with the world this one was forked from); reading a table
        the world does not have changes nothing."""
        return self.tables.get(resource, {})

    def row(self, resource: str, key: Key) -> Row | None:
        return self.tables.get(resource, {}).get(key)

    def writable_table(self, resource: str) -> dict[Key, Row]:
        """The table, made this world's own before its first change."""
        if resource not in self._own:
            self.tables[resource] = dict(self.tables.get(resource, {}))
            self._own.add(resource)
        return self.tables[resource]

    def writable_row(self, resource: str, key: Key) -> Row:
        """The row, made this world's own before its first change."""
        table = self.writable_table(resource)
        if (resource, key) not in self._own:
            table[key] = dict(table[key])
            self._own.add((resource, key))
        return table[key]

    def fork(self) -> WorldState:
        """A world that starts as this one and changes on its own: tables and rows are copied
        only when first written, so a fork costs microseconds, not a deep copy."""
        return WorldState(
            self.domain,
            self.now,
            self.currency,
            self.principal,
            self.me,
            dict(self.tables),
            dict(self.credentials),
            dict(self.sessions),
        )

    def copy(self) -> WorldState:
        return copy.deepcopy(self)

    def snapshot(self) -> dict[str, Any]:
        """The state as compact, canonical JSON data (rows in key order)."""
        return {
            "domain": self.domain,
            "now": self.now.isoformat(),
            "currency": self.currency,
            "principal": self.principal,
            "me": self.me,
            "tables": {
                name: [rows[k] for k in sorted(rows, key=_order)]
                for name, rows in sorted(self.tables.items())
            },
            "credentials": [
                {"key": k, **v} for k, v in sorted(self.credentials.items(), key=_pair_order)
            ],
            "sessions": dict(sorted(self.sessions.items())),
        }

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any], keys: dict[str, str]) -> WorldState:
        """Rebuild a state; `keys` names each resource's key field."""
        state = cls(
            snap["domain"],
            dt.date.fromisoformat(snap["now"]),
            snap["currency"],
            snap["principal"],
            snap["me"],
        )
        for name, rows in snap["tables"].items():
            state.tables[name] = {row[keys[name]]: dict(row) for row in rows}
        state.credentials = {
            c["key"]: {k: v for k, v in c.items() if k != "key"} for c in snap["credentials"]
        }
        state.sessions = dict(snap["sessions"])
        return state

    def digest(self) -> str:
        return canonical.digest(self.snapshot())


def _order(key: Key) -> tuple[int, Any]:
    return (0, key) if isinstance(key, int) else (1, str(key))


def _pair_order(item: tuple[Key, Any]) -> tuple[int, Any]:
    return _order(item[0])
