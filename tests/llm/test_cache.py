"""ResponseCache: one atomic file per key, shared by processes, robust to damage and kill -9."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

from gauntlet import canonical
from gauntlet.llm.cache import ResponseCache

KEYS = [canonical.digest({"request": i}) for i in range(150)]


def payload(key: str, writer: int) -> dict:
    """A payload big enough that a torn write would show, and checkable on its own."""
    return {"key": key, "writer": writer, "blob": key * 200}


def hammer(folder: str, writer: int, go, results) -> None:
    """Once `go` is set, write and read every key for a while; report torn or foreign reads."""
    cache = ResponseCache(folder)
    go.wait(30)
    bad = rounds = 0
    deadline = time.monotonic() + 0.8
    while time.monotonic() < deadline:
        for key in KEYS:
            cache.put(key, payload(key, writer))
            got = cache.get(key)
            if got is None or got["key"] != key or got["blob"] != key * 200:
                bad += 1
        rounds += 1
    results.put((writer, bad, rounds))


def write_forever(folder: str) -> None:
    cache = ResponseCache(folder)
    i = 0
    while True:
        key = canonical.digest({"forever": i})
        cache.put(key, payload(key, 0))
        i += 1


def test_put_then_get_round_trips_under_a_two_level_fan_out(tmp_path):
    cache = ResponseCache(tmp_path)
    key = KEYS[0]
    assert cache.get(key) is None
    cache.put(key, {"message": {"role": "assistant", "content": "hi"}})
    assert cache.get(key) == {"message": {"role": "assistant", "content": "hi"}}
    assert cache.path(key) == tmp_path / key[:2] / key[2:4] / f"{key}.json"
    assert cache.path(key).is_file() and key in cache


def test_a_truncated_or_foreign_file_reads_as_a_miss_and_is_removed(tmp_path):
    cache = ResponseCache(tmp_path)
    truncated, foreign = KEYS[0], KEYS[1]
    cache.put(truncated, payload(truncated, 0))
    path = cache.path(truncated)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert cache.get(truncated) is None
    assert not path.exists()  # removed, so the next answer is stored cleanly

    cache.put(KEYS[2], payload(KEYS[2], 0))
    cache.path(foreign).parent.mkdir(parents=True, exist_ok=True)
    os.replace(cache.path(KEYS[2]), cache.path(foreign))  # a whole file, but for another key
    assert cache.get(foreign) is None


def test_keys_that_are_not_hex_digests_are_refused(tmp_path):
    cache = ResponseCache(tmp_path)
    for bad in ("../../etc/passwd", "ABCDEF0123", "short"):
        try:
            cache.put(bad, {})
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def test_two_processes_writing_and_reading_the_same_keys(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=hammer, args=(str(tmp_path), w, go, results)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    go.set()  # both start together, so their writes to the same keys overlap
    reports = sorted(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join()
    assert [(writer, bad) for writer, bad, _ in reports] == [(1, 0), (2, 0)]
    assert all(rounds >= 2 for _, _, rounds in reports)
    cache = ResponseCache(tmp_path)
    stored = [cache.get(key) for key in KEYS]
    assert all(p is not None and p["writer"] in (1, 2) for p in stored)
    assert not list(tmp_path.glob("*/*/.*.tmp"))  # no temp file left behind by a clean writer


def test_kill_9_mid_write_leaves_only_whole_files(tmp_path):
    process = multiprocessing.get_context("spawn").Process(
        target=write_forever, args=(str(tmp_path),)
    )
    process.start()
    deadline = time.monotonic() + 20
    while len(list(tmp_path.glob("*/*/*.json"))) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.join()

    cache = ResponseCache(tmp_path)
    files = list(tmp_path.glob("*/*/*.json"))
    assert len(files) >= 200
    for file in files:
        key = file.stem
        assert cache.get(key) == payload(key, 0)
    leftovers = len(list(tmp_path.glob("*/*/.*.tmp")))  # 0 or 1: the write that was cut short
    assert leftovers <= 1 and cache.sweep(older_than_s=0) == leftovers
    assert not list(tmp_path.glob("*/*/.*.tmp"))


def test_put_nowait_is_visible_at_once_and_on_disk_after_flush(tmp_path):
    cache = ResponseCache(tmp_path)
    for key in KEYS[:50]:
        cache.put_nowait(key, payload(key, 7))
    assert cache.get(KEYS[0]) == payload(KEYS[0], 7)  # from memory if the disk is not there yet
    assert cache.flush(timeout=10)
    other = ResponseCache(tmp_path)  # another process would see exactly this
    assert all(other.get(key) == payload(key, 7) for key in KEYS[:50])
    assert cache.write_errors == 0


def test_a_cache_that_cannot_write_logs_and_carries_on(tmp_path, caplog):
    folder = Path(tmp_path) / "cache"
    cache = ResponseCache(folder)
    key = KEYS[0]
    (folder / key[:2]).write_text("a file where a folder should be")
    cache.put_nowait(key, payload(key, 0))
    assert cache.flush(timeout=10)
    assert cache.write_errors == 1 and "could not store" in caplog.text
    assert cache.get(key) is None  # a miss: the request will simply be sent again
