"""What the LLM layer spent: requests, cache hits, tokens, latency, cost, errors, per role.

Cost is a plain sum of USD while every call that went to the network was priced; the first
unpriced one makes it `None` (unknown) for good, because an unknown price is not $0. Cache hits
cost nothing and never make the cost unknown. Totals are thread-safe (agents call from a
thread pool) and JSON-able, and snapshots from several runs can be merged into one.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

_COUNTERS = (
    "requests",
    "responses",
    "cache_hits",
    "failures",
    "retries",
    "rate_limited",
    "prompt_tokens",
    "completion_tokens",
)


def _empty() -> dict[str, Any]:
    stats: dict[str, Any] = dict.fromkeys(_COUNTERS, 0)
    stats.update(latency_s_sum=0.0, latency_s_max=0.0, cost_usd=0.0, errors={})
    return stats


def _add(into: dict[str, Any], other: dict[str, Any]) -> None:
    for name in _COUNTERS:
        into[name] += other.get(name, 0)
    into["latency_s_sum"] += other.get("latency_s_sum", 0.0)
    into["latency_s_max"] = max(into["latency_s_max"], other.get("latency_s_max", 0.0))
    cost = other.get("cost_usd", 0.0)
    into["cost_usd"] = None if into["cost_usd"] is None or cost is None else into["cost_usd"] + cost
    for kind, n in other.get("errors", {}).items():
        into["errors"][kind] = into["errors"].get(kind, 0) + n


class Accounting:
    """Running totals, overall and by role. Every method is safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = _empty()
        self._roles: dict[str, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"Accounting({self.snapshot()['total']})"

    def _both(self, role: str) -> tuple[dict[str, Any], dict[str, Any]]:
        stats = self._roles.get(role)
        if stats is None:
            stats = self._roles[role] = _empty()
        return self._total, stats

    def sent(self, role: str) -> None:
        """One HTTP request went out (first tries, retries and re-sends after a 429 alike)."""
        with self._lock:
            for stats in self._both(role):
                stats["requests"] += 1

    def hit(self, role: str) -> None:
        """A call answered from the cache: nothing sent, nothing spent."""
        with self._lock:
            for stats in self._both(role):
                stats["cache_hits"] += 1

    def success(
        self,
        role: str,
        prompt_tokens: int,
        completion_tokens: int,
        latency_s: float,
        cost_usd: float | None,
    ) -> None:
        """A network answer: its tokens, latency and cost (None = unpriced -> cost unknown)."""
        with self._lock:
            for stats in self._both(role):
                stats["responses"] += 1
                stats["prompt_tokens"] += prompt_tokens
                stats["completion_tokens"] += completion_tokens
                stats["latency_s_sum"] += latency_s
                stats["latency_s_max"] = max(stats["latency_s_max"], latency_s)
                if stats["cost_usd"] is not None:
                    stats["cost_usd"] = None if cost_usd is None else stats["cost_usd"] + cost_usd

    def error(self, role: str, kind: str) -> None:
        """One failed attempt, by kind (timeout, connection, server_error, rate_limited, ...)."""
        with self._lock:
            for stats in self._both(role):
                stats["errors"][kind] = stats["errors"].get(kind, 0) + 1
                if kind == "rate_limited":
                    stats["rate_limited"] += 1

    def retry(self, role: str) -> None:
        """A back-off retry after a transient error (429 re-sends are counted as rate_limited)."""
        with self._lock:
            for stats in self._both(role):
                stats["retries"] += 1

    def failure(self, role: str) -> None:
        """A call that raised: retries exhausted, rejected, or the endpoint is down."""
        with self._lock:
            for stats in self._both(role):
                stats["failures"] += 1

    def snapshot(self) -> dict[str, Any]:
        """`{"total": {...}, "roles": {role: {...}}}`, a deep copy that JSON can serialize."""
        with self._lock:
            return {
                "total": copy.deepcopy(self._total),
                "roles": {role: copy.deepcopy(s) for role, s in sorted(self._roles.items())},
            }

    def merge(self, other: dict[str, Any]) -> None:
        """Add another accounting's snapshot (e.g. each op's totals into an asset's)."""
        with self._lock:
            _add(self._total, other.get("total", {}))
            for role, stats in other.get("roles", {}).items():
                _add(self._both(role)[1], stats)

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> Accounting:
        """An Accounting holding a snapshot's totals (to merge more into)."""
        acc = cls()
        acc.merge(snapshot)
        return acc
