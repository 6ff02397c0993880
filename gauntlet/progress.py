"""Progress lines for long work: done of total, rate, time left, at most every few seconds."""

from __future__ import annotations

import time
from collections.abc import Callable


class Progress:
    def __init__(
        self, what: str, total: int, log: Callable[[str], None] | None, every_seconds: float = 5.0
    ) -> None:
        self.what, self.total, self.log = what, total, log
        self.every = every_seconds
        self.start = self.last = time.monotonic()

    def __call__(self, done: int, total: int | None = None) -> None:
        if self.log is None:
            return
        now = time.monotonic()
        if done < (total or self.total) and now - self.last < self.every:
            return
        self.last = now
        total = total or self.total
        rate = done / max(now - self.start, 1e-9)
        left = (total - done) / rate if rate > 0 else float("inf")
        self.log(
            f"{self.what}: {done}/{total} ({100 * done / max(total, 1):.0f}%), "
            f"{rate:.1f}/s, ~{left:.0f}s left"
        )
