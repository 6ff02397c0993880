"""A persistent response cache that several processes can share and that survives `kill -9`.

One JSON file per key under a two-level hex fan-out (`ab/cd/<key>.json`), each written to a
temp file in its own folder and `os.replace`d into place: a reader sees either no file or a
whole one, whatever the writers do and whenever they die. Two processes racing on one key both
write a complete answer and the last rename wins. A file that still fails to parse (a damaged
disk, a hand edit) reads as a miss and is removed, so the request is simply sent again.

`put` writes before it returns. `put_nowait` hands the write to one background thread so the
client's event loop never waits on the disk (creating files and folders can stall for a
millisecond or more on a busy disk); until the write lands, `get` answers from memory, and
`flush` (called by `LLMClient.close` and at exit) waits for it. `LLMClient` keeps a request's
concurrency slot until its answer is stored, so a `kill -9` loses at most `concurrency`
answers (which are simply asked again), exactly as if they had still been in flight.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import logging
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("gauntlet.llm")
_HEX = frozenset("0123456789abcdef")
_FORMAT = 1
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_TEMP_IDS = itertools.count()
_LIVE: weakref.WeakSet[ResponseCache] = weakref.WeakSet()


class ResponseCache:
    """Key -> response payload on disk. Keys are hex digests (`ChatRequest.cache_key`)."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.write_errors = 0
        self._root = str(self.folder)
        self._pending: dict[str, dict[str, Any]] = {}
        self._callbacks: dict[str, list[Callable[[], None]]] = {}
        self._idle = threading.Condition()
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._writer_pid = 0

    def __repr__(self) -> str:
        return f"ResponseCache({self._root!r})"

    def path(self, key: str) -> Path:
        """Where `key` lives; rejects anything but a hex digest so a key cannot escape the folder."""
        if len(key) < 8 or not _HEX.issuperset(key):
            raise ValueError(f"cache keys are lowercase hex digests, got {key[:80]!r}")
        return self.folder / key[:2] / key[2:4] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored payload, or None on a miss (including a corrupt or foreign file)."""
        pending = self._pending.get(key)
        if pending is not None:
            return pending
        path = self.path(key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
                inode = os.fstat(handle.fileno()).st_ino
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            record = json.loads(data)
            if (
                record["key"] == key
                and record["format"] == _FORMAT
                and isinstance(record["payload"], dict)
            ):
                return record["payload"]
        except (ValueError, KeyError, TypeError):
            pass
        self._discard(path, inode)
        return None

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def put(self, key: str, payload: dict[str, Any]) -> None:
        """Store atomically, now: a temp file in the key's folder renamed over the final name."""
        self.path(key)
        folder = f"{self._root}/{key[:2]}/{key[2:4]}"
        data = json.dumps(
            {"format": _FORMAT, "key": key, "payload": payload}, ensure_ascii=False
        ).encode()
        tmp, fd = self._create_temp(folder, key)
        try:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            os.replace(tmp, f"{folder}/{key}.json")
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def put_nowait(
        self, key: str, payload: dict[str, Any], on_stored: Callable[[], None] | None = None
    ) -> None:
        """Store in the background; `get` sees the payload at once, the disk a moment later.
        `on_stored` is called from the writer thread once the write is done (or has failed)."""
        self.path(key)
        with self._idle:
            self._pending[key] = payload
            if on_stored is not None:
                self._callbacks.setdefault(key, []).append(on_stored)
            if self._writer is None or self._writer_pid != os.getpid():
                self._start_writer()
        self._queue.put(key)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every `put_nowait` is on disk; False if `timeout` ran out first."""
        with self._idle:
            if self._writer is None or self._writer_pid != os.getpid():
                return not self._pending
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def sweep(self, older_than_s: float = 3600.0) -> int:
        """Remove temp files left by writers that died mid-write; returns how many."""
        cutoff = time.time() - older_than_s
        removed = 0
        for tmp in self.folder.glob("*/*/.*.tmp"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def _start_writer(self) -> None:
        # A forked child inherits the pending dict but not the thread: start its own.
        self._queue = queue.SimpleQueue()
        for key in self._pending:
            self._queue.put(key)
        self._writer_pid = os.getpid()
        self._writer = threading.Thread(
            target=self._write_loop, name="gauntlet-llm-cache-writer", daemon=True
        )
        self._writer.start()
        _LIVE.add(self)

    def _write_loop(self) -> None:
        while (key := self._queue.get()) is not None:
            payload = self._pending.get(key)
            if payload is not None:
                try:
                    self.put(key, payload)
                except Exception as exc:  # a cache that cannot write only costs a re-ask later
                    self.write_errors += 1
                    log.warning(
                        "response cache %s could not store %s: %s", self._root, key[:12], exc
                    )
            with self._idle:
                callbacks: Any = ()
                if payload is not None and self._pending.get(key) is payload:
                    del self._pending[key]
                    callbacks = self._callbacks.pop(key, ())
                if not self._pending:
                    self._idle.notify_all()
            for callback in callbacks:
                try:
                    callback()
                except Exception:  # the writer must outlive a caller's broken callback
                    log.exception("response cache callback failed")

    @staticmethod
    def _create_temp(folder: str, key: str) -> tuple[str, int]:
        """A new temp file unique to this process and call (O_EXCL: never someone else's)."""
        while True:
            tmp = f"{folder}/.{key[:16]}.{os.getpid()}.{next(_TEMP_IDS)}.tmp"
            try:
                return tmp, os.open(tmp, _CREATE, 0o644)
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            except FileExistsError:  # left by a dead process that had our pid
                continue

    @staticmethod
    def _discard(path: Path, inode: int) -> None:
        """Remove a corrupt file, unless another writer has already replaced it with a good one."""
        try:
            if os.stat(path).st_ino == inode:
                path.unlink()
        except FileNotFoundError:
            pass


@atexit.register
def _flush_all() -> None:
    """Background writes still queued at interpreter exit are written, not dropped."""
    for cache in list(_LIVE):
        cache.flush(timeout=30)
