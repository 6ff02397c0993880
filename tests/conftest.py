"""Fixtures shared by the engine tests: the shipped catalogs and a folder of generated ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gauntlet.catalog import load_folder
from gauntlet.catalog.synthetic import make_catalogs

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
