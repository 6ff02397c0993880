"""A task-building context over the shipped catalogs, shared by the task and agent tests."""

from pathlib import Path

import pytest

from gauntlet.catalog import load_folder
from gauntlet.graph import build_edges
from gauntlet.tasks.build import Context
from gauntlet.tasks.chain import Blueprint

CATALOGS = Path(__file__).resolve().parents[2] / "data" / "catalogs"


@pytest.fixture(scope="session")
def ctx() -> Context:
    tools = load_folder(CATALOGS).tools
    provenance = {"catalog_version": "test", "graph_version": "test", "partition": "2026-11-21|0"}
    return Context.create(tools, build_edges(tools), provenance)


@pytest.fixture
def blueprint():
    def make(*goals: str, domain: str, hops: int = 0, seed: int = 7) -> Blueprint:
        return Blueprint(task_id="t-1", seed=seed, domain=domain, goals=goals, hops=hops)

    return make
