"""Run a function over items on a thread pool and give results back in input order.

Order is what keeps outputs byte-identical whatever the timing; threads suit work that waits
on the network (llm roles). With one worker it is a plain loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def in_order(
    fn: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    items = list(items)
    if workers <= 1:
        out = []
        for i, item in enumerate(items):
            out.append(fn(item))
            if progress:
                progress(i + 1, len(items))
        return out
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(fn, item) for item in items]
        out = []
        for i, future in enumerate(futures):
            out.append(future.result())
            if progress:
                progress(i + 1, len(items))
        return out
