"""Fixtures for the browser test: a throwaway Dagster instance and lake, `dagster dev` on a free
local port, and a headless Chromium driven by Playwright.

Nothing here touches the network beyond 127.0.0.1: the server binds to it, the GraphQL client
ignores proxy settings, and the browser aborts any request to another host.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SERVER_START_TIMEOUT_S = 90  # the webserver, the daemon and the code location, on 2 cores
SERVER_STOP_TIMEOUT_S = 20
ACTION_TIMEOUT_MS = 30_000  # one click, one navigation, one `expect`
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
]
# The "Join the Dagster community" pop-up stays away when this key holds a truthy JSON value:
# the UI (CommunityNux.tsx, via useStateWithStorage) writes JSON.stringify("1") on "Skip".
DISMISS_COMMUNITY_NUX = "window.localStorage.setItem('communityNux', JSON.stringify('1'))"
# The generated stages, small and hermetic: every GAUNTLET_* variable of the caller is dropped.
RUN_ENV = {
    "GAUNTLET_TASKS": "8",
    "GAUNTLET_SEED": "1",
    "GAUNTLET_SHARDS": "1",
    "GAUNTLET_BACKEND": "offline",
    "HF_HUB_OFFLINE": "1",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "ui: drives the Dagster UI (`dagster dev`) in a headless Chromium (~1 min)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Remember each phase's report on the item, so the page fixture can tell a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class Instance:
    """A DAGSTER_HOME and a lake under tmp_path, and the environment the server runs with."""

    home: Path
    lake: Path
    shots: Path
    env: dict[str, str] = field(repr=False)


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Instance:
    """A fresh instance whose tool_catalog and tool_graph are already materialized in-process,
    so the UI only has to run the partitioned stages, which read them from the store."""
    from dagster import DagsterInstance, materialize

    from assets import ALL_ASSETS, CATALOG_ASSETS
    from pipelines.resources import resources
    from pipelines.run import QUIET_LOGS, dagster_home

    for name in [n for n in os.environ if n.startswith("GAUNTLET_") or n == "HF_TOKEN"]:
        monkeypatch.delenv(name)  # the caller's settings, and no Hub push whatever happens
    lake, shots = tmp_path / "lake", tmp_path / "screenshots"
    shots.mkdir()
    # A copy of the catalogs: the catalog-watching sensor then sees no edit made meanwhile.
    catalogs = shutil.copytree(REPO / "data" / "catalogs", tmp_path / "catalogs")
    paths = {"GAUNTLET_DATA_ROOT": str(lake), "GAUNTLET_CATALOGS": str(catalogs)}
    for name, value in {**RUN_ENV, **paths}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    home = dagster_home()  # creates it with the project's dagster.yaml (telemetry off)
    with DagsterInstance.get() as dagster_instance:
        result = materialize(
            ALL_ASSETS,
            selection=CATALOG_ASSETS,
            instance=dagster_instance,
            resources=resources(),  # built now, from the environment set above
            run_config=QUIET_LOGS,
            raise_on_error=False,
        )
    assert result.success, "materializing tool_catalog and tool_graph in-process failed"
    return Instance(home=home, lake=lake, shots=shots, env=dict(os.environ))


@dataclass
class Server:
    """A running `dagster dev`: its base URL, its process and the file it logs to."""

    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return text[-chars:]

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST a query to /graphql and return its `data`; raise on GraphQL errors."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with _LOCAL.open(request, timeout=15) as response:
            payload = json.load(response)
        if payload.get("errors"):
            raise AssertionError(f"GraphQL errors: {payload['errors']}")
        return payload["data"]


_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy

WORKSPACE_QUERY = """
{
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}
"""


@pytest.fixture
def dagster_ui(instance: Instance) -> Iterator[Server]:
    """`dagster dev -w workspace.yaml` on a free port of 127.0.0.1, stopped (with every process
    of its group) at teardown. Yields once the webserver answers and the code location loaded."""
    dagster = Path(sys.executable).parent / "dagster"
    if not dagster.exists():
        dagster = Path(shutil.which("dagster") or "dagster")
    port = _free_port()
    log = instance.home / "dagster_dev.log"
    with log.open("wb") as out:
        # `env --default-signal` undoes the SIG_IGN a background job inherits for INT/TERM,
        # without which `dagster dev` ignores the SIGTERM that stops it.
        process = subprocess.Popen(
            ["env", "--default-signal=INT,TERM", str(dagster), "dev"]
            + ["-w", "workspace.yaml", "-p", str(port), "-h", HOST],
            cwd=REPO,
            env=instance.env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown can stop all of it
        )
    server = Server(url=f"http://{HOST}:{port}", process=process, log=log)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        _stop(process)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_ready(server: Server) -> None:
    """Until /server_info answers and the code location is LOADED; fail fast on a load error."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    last = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"dagster dev exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            with _LOCAL.open(f"{server.url}/server_info", timeout=5):
                pass
            entries = server.graphql(WORKSPACE_QUERY)["workspaceOrError"]["locationEntries"]
        except (OSError, ValueError, AssertionError, KeyError, TypeError) as exc:
            last = repr(exc)
            time.sleep(0.5)
            continue
        loaded = [e for e in entries if e["loadStatus"] == "LOADED"]
        for entry in loaded:
            error = entry["locationOrLoadError"]
            if error and error["__typename"] == "PythonError":
                pytest.fail(f"code location {entry['name']} failed to load:\n{error['message']}")
        if entries and len(loaded) == len(entries):
            return
        last = f"locations: {[(e['name'], e['loadStatus']) for e in entries]}"
        time.sleep(0.5)
    pytest.fail(
        f"dagster dev not ready after {SERVER_START_TIMEOUT_S}s ({last}):\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group, wait, then SIGKILL whatever is left of it."""
    group = process.pid  # start_new_session: the group id is the leader's pid
    _signal_group(group, signal.SIGTERM)
    try:
        process.wait(timeout=SERVER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        process.wait(timeout=SERVER_STOP_TIMEOUT_S)
    deadline = time.monotonic() + SERVER_STOP_TIMEOUT_S
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.2)  # the webserver, daemon and code server shut down after the leader
    _signal_group(group, signal.SIGKILL)


def _signal_group(group: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, sig)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def page(dagster_ui: Server, instance: Instance, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A Playwright page in headless Chromium on the server; screenshots itself on failure."""
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("playwright is missing: it is a dev dependency, `make install` installs it")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("no chromium on PATH: `make test` installs it (apt-get install chromium)")
    local = re.compile(rf"^{re.escape(dagster_ui.url)}(/|$)")
    blocked: list[str] = []

    def abort_remote(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.set_default_timeout(ACTION_TIMEOUT_MS)
            context.add_init_script(DISMISS_COMMUNITY_NUX)
            context.route(lambda url: not local.match(url), abort_remote)
            page = context.new_page()
            # Should the pop-up show anyway (another key in a later version), skip it whenever
            # it is in the way of an action.
            page.add_locator_handler(
                page.get_by_text("Join the Dagster community"),
                lambda: page.get_by_role("button", name="Skip").click(),
            )
            yield page
            report = getattr(request.node, "report_call", None)
            if report is not None and report.failed:
                shot = instance.shots / "failure.png"
                page.screenshot(path=shot, full_page=True)
                print(f"failure screenshot: {shot}\ndagster dev log:\n{dagster_ui.log_tail()}")
        finally:
            browser.close()
    if blocked:
        print(f"blocked {len(blocked)} request(s) to other hosts: {sorted(set(blocked))[:5]}")
