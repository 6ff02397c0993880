"""Client-side rate limiting: bounded concurrency, requests and tokens per minute, and AIMD
back-off on 429, so a pipeline stays under a provider's limits instead of bouncing off them.

A request takes a `slot`: a place in the concurrency window, then (after any pause imposed by
a 429) its share of the request and token buckets. Buckets hand out reservations (they may go
into debt), so waiting is first come, first served and big requests cannot starve. On a 429
`penalize` pauses every sender until the server's `Retry-After` and halves the effective rate
and window; each success adds a little back (additive increase, multiplicative decrease).
With no rpm/tpm set and no 429 seen, a slot costs one counter check.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from gauntlet.llm.types import Limits

MIN_SCALE = 1 / 64  # the rate never drops below 1/64 of the configured one
RECOVERY_STEP = 1 / 32  # each success gives back this much of the configured rate
DEFAULT_RETRY_AFTER_S = 1.0
BURST_S = 1.0  # buckets hold one second's worth: a minute's budget is not spent in one burst


class TokenBucket:
    """`rate` units per second, at most `capacity` banked; `reserve` may go into debt."""

    def __init__(self, per_minute: float, clock: Callable[[], float]):
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * BURST_S)
        self.level = self.capacity
        self.clock = clock
        self.stamp = clock()

    def reserve(self, amount: float, scale: float = 1.0) -> float:
        """Take `amount` now; return how long to wait before using it. A request bigger than
        the bucket waits only for a full bucket and leaves the rest as debt for the next ones."""
        now = self.clock()
        rate = self.rate * scale
        self.level = min(self.capacity, self.level + (now - self.stamp) * rate)
        self.stamp = now
        need = min(amount, self.capacity)
        wait = 0.0 if self.level >= need else (need - self.level) / rate
        self.level -= amount
        return wait

    def refund(self, amount: float) -> None:
        """Give back (or, negative, take more of) what an estimate got wrong."""
        self.level = min(self.capacity, self.level + amount)


class Slot:
    """One admitted request: `async with limiter.slot(tokens) as slot: ...; slot.settle(used)`."""

    __slots__ = ("limiter", "tokens", "kept")

    def __init__(self, limiter: RateLimiter, tokens: int):
        self.limiter = limiter
        self.tokens = tokens
        self.kept = False

    async def __aenter__(self) -> Slot:
        await self.limiter._enter(self.tokens)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if not self.kept or exc[0] is not None:
            self.kept = False
            self.limiter._leave()

    def keep(self) -> None:
        """Stay admitted after the block (until `limiter.release(1)`): the client keeps a
        request's place until its answer is on disk, so a kill -9 can only lose answers to
        at most `concurrency` requests."""
        self.kept = True

    def settle(self, actual_tokens: int) -> None:
        """Correct the tokens-per-minute bucket with the usage the server reported."""
        if self.limiter.tpm is not None and actual_tokens:
            self.limiter.tpm.refund(self.tokens - actual_tokens)
            self.tokens = actual_tokens


class RateLimiter:
    """Async gate in front of an endpoint. Bound to one event loop at a time (see `rebind`)."""

    def __init__(
        self,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ):
        if limits.concurrency < 1:
            raise ValueError("Limits.concurrency must be at least 1")
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        self.rpm = TokenBucket(limits.rpm, clock) if limits.rpm else None
        self.tpm = TokenBucket(limits.tpm, clock) if limits.tpm else None
        self.scale = 1.0
        self.window = limits.concurrency
        self.paused_until = 0.0
        self.in_flight = 0
        self.penalties = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def wants_tokens(self) -> bool:
        """Whether callers should estimate request tokens (only when a tpm limit is set)."""
        return self.tpm is not None

    def slot(self, tokens: int = 0) -> Slot:
        """An async context manager admitting one request of about `tokens` tokens."""
        return Slot(self, tokens)

    def penalize(self, retry_after_s: float | None = None) -> None:
        """A 429: pause every sender until `retry_after_s` from now, and halve the rate, once
        per congestion episode (429s that arrive while already paused do not halve again)."""
        delay = (
            DEFAULT_RETRY_AFTER_S if retry_after_s is None or retry_after_s < 0 else retry_after_s
        )
        now = self.clock()
        self.penalties += 1
        if now >= self.paused_until:
            self.scale = max(MIN_SCALE, self.scale / 2)
            self.window = max(1, int(self.limits.concurrency * self.scale))
        self.paused_until = max(self.paused_until, now + delay)

    def succeeded(self) -> None:
        """A success: give back a step of rate and window (additive increase)."""
        if self.scale < 1.0:
            self.scale = min(1.0, self.scale + RECOVERY_STEP)
            self.window = max(1, int(self.limits.concurrency * self.scale))
            self._wake()

    def release(self, n: int = 1) -> None:
        """Give back `n` kept slots."""
        for _ in range(n):
            self._leave()

    def rebind(self) -> None:
        """Forget waiters and in-flight counts of a finished event loop before using a new one."""
        self._waiters.clear()
        self.in_flight = 0

    def snapshot(self) -> dict[str, Any]:
        return {
            "in_flight": self.in_flight,
            "window": self.window,
            "scale": self.scale,
            "penalties": self.penalties,
            "paused_for_s": max(0.0, self.paused_until - self.clock()),
        }

    async def _enter(self, tokens: int) -> None:
        if self.in_flight < self.window and not self._waiters:
            self.in_flight += 1
        else:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter  # on wake-up the slot has been handed to us
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._leave()
                else:
                    self._waiters.remove(waiter)
                raise
        if self.rpm is None and self.tpm is None and not self.paused_until:
            return
        try:
            await self._pace(tokens)
        except BaseException:
            self._leave()
            raise

    async def _pace(self, tokens: int) -> None:
        """Wait out any 429 pause, then reserve this request's share of the buckets."""
        while (pause := self.paused_until - self.clock()) > 0:
            await self.sleep(pause)
        wait = 0.0
        if self.rpm is not None:
            wait = self.rpm.reserve(1, self.scale)
        if self.tpm is not None and tokens:
            wait = max(wait, self.tpm.reserve(tokens, self.scale))
        if wait > 0:
            await self.sleep(wait)
        while (pause := self.paused_until - self.clock()) > 0:
            await self.sleep(pause)

    def _leave(self) -> None:
        self.in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.in_flight < self.window:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.in_flight += 1
                waiter.set_result(None)
