"""Fixtures for the Hub views: real kept records from a small offline run, and an offline
`load_dataset` that never reaches the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import datasets
import huggingface_hub.constants
import pytest

from gauntlet.testing.runs import judged_records

CARD_CONTEXT = {
    "seed": 3,
    "stages": ["tasks", "rollouts", "judged", "adp_dataset"],
    "backends": {"teacher": "offline", "baseline": "offline"},
    "catalog_version": "cat-test",
    "code_version": "test",
    "repo_id": "someone/gauntlet-views",
}


@pytest.fixture
def card_context() -> dict[str, Any]:
    """What the dataset card needs to know about the run."""
    return dict(CARD_CONTEXT)


@pytest.fixture(scope="session")
def kept(default_tools) -> list[dict[str, Any]]:
    """The judged records the judge kept, from 16 tasks on the shipped catalogs (offline)."""
    judged = judged_records(default_tools, n_tasks=16, seed=3, partition="2026-11-21|0")
    records = [r for r in judged if r["verdict"]["keep"]]
    assert len(records) >= 10
    return records


@pytest.fixture
def load_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`load_dataset(folder, config)` as a user would call it, with the Hub switched off."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # both libraries read the variable at import time, so set what they already read too
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)

    def load(folder: Path, config: str) -> datasets.DatasetDict:
        return datasets.load_dataset(str(folder), config, cache_dir=str(tmp_path / "hf-cache"))

    return load


@pytest.fixture
def message_features() -> dict[str, Any]:
    """The `datasets` features of one chat message in the sft and preference configs: every
    field present, null where the chat leaves it out."""
    return {
        "role": datasets.Value("string"),
        "content": datasets.Value("string"),
        "tool_calls": datasets.List(
            {
                "id": datasets.Value("string"),
                "type": datasets.Value("string"),
                "function": {
                    "name": datasets.Value("string"),
                    "arguments": datasets.Value("string"),
                },
            }
        ),
        "tool_call_id": datasets.Value("string"),
        "name": datasets.Value("string"),
    }
