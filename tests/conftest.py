"""Fixtures shared by the engine tests: the shipped catalogs and a folder of generated ones."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gauntlet.catalog import load_folder
from gauntlet.testing.catalogs import make_catalogs
from gauntlet.testing.server_process import LocalServer

# `datasets` caches what it loads by folder path; pytest reuses its temporary paths across
# sessions, so a shared cache can hand a test the rows of an older run. One cache per session.
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="gauntlet-hf-cache-")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGS = REPO / "data" / "catalogs"


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    """A folder holding three generated catalogs (observatory, vineyard, library): domains the
    shipped catalogs do not have, so nothing in the engine can lean on their conventions."""
    folder = tmp_path / "catalogs"
    folder.mkdir()
    for catalog in make_catalogs(3):
        (folder / f"{catalog['domain']}.json").write_text(json.dumps(catalog), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def default_tools() -> list[dict[str, Any]]:
    """The normalized tools of `data/catalogs/`, loaded once per session."""
    return load_folder(DEFAULT_CATALOGS).tools


@pytest.fixture(scope="session")
def ctx(default_tools):
    """A task-building context over the shipped catalogs (planner, tool index, retrieval)."""
    from gauntlet.graph.edges import build_edges
    from gauntlet.tasks.build import Context
    from gauntlet.world.schema import infer

    provenance = {"catalog_version": "test", "graph_version": "test", "partition": "2026-11-21|0"}
    return Context.create(
        default_tools,
        build_edges(default_tools),
        infer(default_tools),
        provenance,
        now=dt.date(2026, 11, 21),
        world_seed=11,
    )


@pytest.fixture
def blueprint():
    """Make a blueprint for given goal tools: `blueprint("cancel_booking", domain="travel")`."""
    from gauntlet.tasks.planner import Blueprint

    def make(*goals: str, domain: str, hops: int = 0, seed: int = 7) -> Blueprint:
        return Blueprint(task_id="t-1", seed=seed, domain=domain, goals=goals, hops=hops)

    return make


@pytest.fixture(scope="session")
def llm_server() -> Iterator[LocalServer]:
    """The local server process, started once."""
    with LocalServer(latency_ms=5) as server:
        yield server


@pytest.fixture
def server(llm_server: LocalServer) -> LocalServer:
    """The session server with no faults, 5 ms latency, and fresh statistics."""
    llm_server.configure(latency_ms=5, faults={}, reset_stats=True)
    return llm_server
