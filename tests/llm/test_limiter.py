"""RateLimiter on a fake clock: rates are checked by counting seconds, not by racing the wall."""

from __future__ import annotations

import asyncio

import pytest

from gauntlet.llm.limiter import RateLimiter
from gauntlet.llm.types import Limits


class FakeClock:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def limiter_on(clock: FakeClock, **limits) -> RateLimiter:
    return RateLimiter(Limits(**limits), clock=clock, sleep=clock.sleep)


def send_times(limiter: RateLimiter, clock: FakeClock, n: int, tokens: int = 0) -> list[float]:
    """When each of `n` back-to-back requests would be sent."""

    async def main():
        times = []
        for _ in range(n):
            async with limiter.slot(tokens):
                times.append(clock.now)
        return times

    return asyncio.run(main())


def test_no_limits_means_no_waiting():
    clock = FakeClock()
    times = send_times(limiter_on(clock, concurrency=4), clock, 1000)
    assert times[-1] == 0 and clock.sleeps == []


def test_rpm_spaces_requests_a_minute_apart_per_limit():
    clock = FakeClock()
    times = send_times(limiter_on(clock, rpm=60), clock, 11)
    assert times[-1] == pytest.approx(10.0)  # 60 per minute: one per second after the first
    assert times == sorted(times)


def test_tpm_counts_the_estimate_and_settles_on_actual_usage():
    clock = FakeClock()
    limiter = limiter_on(clock, tpm=6000)  # 100 tokens per second

    async def main():
        async with limiter.slot(500) as slot:
            slot.settle(100)  # the answer used far fewer tokens than estimated
        async with limiter.slot(100):
            pass
        return clock.now

    # 100 tokens banked; the first request goes at once and only the 100 it used are charged,
    # so the second waits one second, not five.
    assert asyncio.run(main()) == pytest.approx(1.0)
    times = send_times(limiter, clock, 3, tokens=200)
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == pytest.approx([2.0, 2.0])


def test_penalize_pauses_the_next_send_until_retry_after():
    clock = FakeClock()
    limiter = limiter_on(clock, concurrency=8)
    limiter.penalize(2.5)
    assert send_times(limiter, clock, 1) == [2.5]
    limiter.penalize(None)  # no Retry-After header: one second
    assert send_times(limiter, clock, 1) == [3.5]


def test_penalize_halves_the_rate_once_per_episode_and_successes_restore_it():
    clock = FakeClock()
    limiter = limiter_on(clock, concurrency=16, rpm=60)
    limiter.penalize(1.0)
    limiter.penalize(1.0)  # a second 429 from the same burst: already paused, no second halving
    assert (limiter.scale, limiter.window) == (0.5, 8)
    times = send_times(limiter, clock, 4)
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == pytest.approx([2.0, 2.0, 2.0])
    for _ in range(16):
        limiter.succeeded()
    assert (limiter.scale, limiter.window) == (1.0, 16)


def test_concurrency_window_admits_at_most_its_size():
    limiter = RateLimiter(Limits(concurrency=3))
    peak = 0

    async def one():
        nonlocal peak
        async with limiter.slot():
            peak = max(peak, limiter.in_flight)
            await asyncio.sleep(0.001)

    async def main():
        await asyncio.gather(*(one() for _ in range(20)))

    asyncio.run(main())
    assert peak == 3 and limiter.in_flight == 0


def test_a_cancelled_waiter_gives_its_place_back():
    limiter = RateLimiter(Limits(concurrency=1))

    async def main():
        async with limiter.slot():
            waiter = asyncio.create_task(limiter.slot().__aenter__())
            await asyncio.sleep(0)
            waiter.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
        async with limiter.slot():
            return limiter.in_flight

    assert asyncio.run(main()) == 1
    assert limiter.in_flight == 0
