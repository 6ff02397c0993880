"""Start the local OpenAI-compatible server as a process, for tests and benchmarks.

`LocalServer` runs `python -m gauntlet.testing.local_server` on a free port, waits for it to be
ready, talks to its control endpoints, and stops it by its PID.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

_OPENER = urllib.request.build_opener(
    urllib.request.ProxyHandler({})
)  # 127.0.0.1 only, never a proxy


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in dict(headers).items()}


class LocalServer:
    """The server as a subprocess on a free port: `with LocalServer(latency_ms=5) as s: s.url`."""

    def __init__(
        self,
        latency_ms: float = 0,
        faults: dict[str, Any] | None = None,
        seed: int = 0,
        model: str | None = None,
        startup_timeout_s: float = 20.0,
    ):
        self.args = f"--port 0 --latency-ms {latency_ms} --seed {seed}".split()
        self.args += ["--faults", json.dumps(faults or {})] + (["--model", model] if model else [])
        self.startup_timeout_s = startup_timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.root = ""

    @property
    def url(self) -> str:
        """The OpenAI base URL, ending in /v1."""
        return f"{self.root}/v1"

    def start(self) -> LocalServer:
        """Start the process and wait for its ready line (read from a file: no pipe to fill up)."""
        self._out = tempfile.NamedTemporaryFile(prefix="local-llm-", suffix=".out")  # noqa: SIM115
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 (both live as long as the process)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gauntlet.testing.local_server", *self.args],
            stdout=self._out,
            stderr=self._err,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            line = Path(self._out.name).read_text(errors="replace").strip()
            if line.startswith("listening on "):
                self.root = line.split()[-1]
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self._err.seek(0)
        tail = self._err.read().decode(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"local LLM server did not start: {tail}")

    def stop(self) -> None:
        """Terminate the process by its PID, then kill it if it lingers."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        for handle in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if handle is not None:
                handle.close()

    def post(
        self, path: str, payload: dict[str, Any] | None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        """(status, lower-cased headers, JSON body) of a request, proxies bypassed (GET when
        `payload` is None). HTTP errors are returned, not raised: tests look at them."""
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(
            self.root + path,
            data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with _OPENER.open(req, timeout=30) as resp:
                return resp.status, _lower(resp.headers), json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, _lower(err.headers), json.loads(err.read() or b"null")

    def chat(self, body: dict[str, Any], role: str = "") -> tuple[int, dict[str, str], Any]:
        """POST one chat completion body as `role`, with no client library in between."""
        return self.post("/v1/chat/completions", body, {"X-Gauntlet-Role": role})

    def stats(self) -> dict[str, Any]:
        """`{"requests", "by_status", "faults", "completions"}` since the last reset."""
        return self.post("/stats", None)[2]

    def configure(
        self,
        *,
        latency_ms: float | None = None,
        faults: dict[str, Any] | None = None,
        reset_stats: bool = False,
    ) -> dict[str, Any]:
        """Change latency and faults at run time; `reset_stats` also restarts the fault sequence."""
        change: dict[str, Any] = {"reset_stats": reset_stats}
        if latency_ms is not None:
            change["latency_ms"] = latency_ms
        if faults is not None:
            change["faults"] = faults
        status, _, answer = self.post("/control", change)
        if status != 200:
            raise ValueError(f"the local server refused {change}: {answer}")
        return answer

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
