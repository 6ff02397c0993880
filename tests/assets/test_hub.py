"""`hub_dataset`: a day's shards gathered into one Hub folder, then pushed (or not, and why).

No test talks to the Hub: the publisher's client is replaced by a recorder, and the folders
are read back with `datasets.load_dataset` offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets
import huggingface_hub.constants
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dagster import DagsterInstance, materialize

from assets import ALL_ASSETS, CATALOG_ASSETS, HUB_ASSETS, PARTITIONED_ASSETS
from assets.hub import BY_DATE, DELETE_PATTERNS, HubPublisher
from assets.partitions import partition_key
from assets.role_config import LLMConfig
from assets.settings import GauntletConfig
from gauntlet.export import card, hub
from gauntlet.export.merge import merge_hub_folders
from gauntlet.stages.export import export_dataset
from gauntlet.store import Store
from gauntlet.testing.runs import judged_records
from gauntlet.world.schema import infer

DATE = "2026-11-21"
TOKEN = "hf_test_TOKEN_0123456789"
CARD_CONTEXT = {
    "seed": 1,
    "stages": ["test"],
    "backends": {"all": "offline"},
    "catalog_version": "cat",
    "code_version": "test",
}
CALLS: list[tuple[str, dict[str, Any]]] = []  # what the fake Hub client was asked to do


class RecordingApi:
    """Stands in for `huggingface_hub.HfApi`: records every call, pushes nothing."""

    def __init__(self, token: str, fail: bool = False) -> None:
        self.token, self.fail = token, fail

    def create_repo(self, repo_id: str, **kwargs: Any) -> str:
        CALLS.append(("create_repo", {"repo_id": repo_id, **kwargs}))
        return f"https://huggingface.co/datasets/{repo_id}"

    def upload_folder(self, **kwargs: Any) -> Any:
        if self.fail:
            raise ConnectionError(f"401 for token {self.token}")
        CALLS.append(("upload_folder", kwargs))
        url = f"https://huggingface.co/datasets/{kwargs['repo_id']}/commit/abc123"
        return type("CommitInfo", (), {"commit_url": url})()


class RecordingHub(HubPublisher):
    """The real publisher (token and repo checks, the call it makes) with a recording client."""

    fail: bool = False

    def api(self, token: str) -> RecordingApi:
        return RecordingApi(token, self.fail)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("GAUNTLET_HUB_REPO", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    CALLS.clear()


def load(folder: Path, config: str, cache: Path) -> datasets.DatasetDict:
    return datasets.load_dataset(str(folder), config, cache_dir=str(cache))


# --- merging shard folders ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shard_folders(tmp_path_factory, default_tools) -> list[Path]:
    """Two shards' Hub folders, exported from two halves of a small offline run."""
    root = tmp_path_factory.mktemp("shards")
    folders = []
    for shard in (0, 1):
        judged = judged_records(default_tools, n_tasks=8, seed=11, partition=f"{DATE}|{shard}")
        export_dataset(
            default_tools,
            infer(default_tools),
            judged,
            root / str(shard),
            card_context=CARD_CONTEXT,
        )
        folders.append(root / str(shard) / "hub")
    return folders


def column(folder: Path, config: str, split: str, name: str) -> list:
    return pq.read_table(folder / "data" / config / hub.shard_name(split)).column(name).to_pylist()


def test_merging_concatenates_each_config_and_split_in_shard_order(shard_folders, tmp_path):
    rows = merge_hub_folders(shard_folders, tmp_path)
    card.write_card(tmp_path, {}, CARD_CONTEXT)
    first, second = shard_folders
    for config in hub.hub_configs(tmp_path):
        for split in config["splits"]:
            name, where = config["name"], split["name"]
            parts = [column(f, name, where, "id") for f in shard_folders]
            assert column(tmp_path, name, where, "id") == parts[0] + parts[1]
            assert rows[name][where] == split["rows"] == len(parts[0]) + len(parts[1])
    assert set(rows) == {"adp", "sft", "preferences"}
    declared = [
        json.loads((f / "data/adp/metadata.json").read_text())["custom_tools"]
        for f in shard_folders
    ]
    merged = json.loads((tmp_path / "data/adp/metadata.json").read_text())["custom_tools"]
    names = [t["function"]["name"] for t in merged]
    assert names == sorted({t["function"]["name"] for tools in declared for t in tools})


def test_the_merged_folder_loads_with_every_config(shard_folders, tmp_path):
    rows = merge_hub_folders(shard_folders, tmp_path / "hub")
    card.write_card(tmp_path / "hub", {}, CARD_CONTEXT)
    for config in ("adp", "sft", "preferences"):
        ds = load(tmp_path / "hub", config, tmp_path / "cache")
        assert {split: ds[split].num_rows for split in ds} == rows[config]
        if config != "adp":
            assert ds["train"].features["tools"] == datasets.Value("string")
            tasks = {split: set(ds[split]["task_id"]) for split in ds}
            assert not tasks["train"] & tasks.get("validation", set())


def test_large_splits_are_sharded_the_hub_way(shard_folders, tmp_path):
    rows = merge_hub_folders(shard_folders, tmp_path, max_rows_per_file=3)
    train = next(c for c in hub.hub_configs(tmp_path) if c["name"] == "sft")["splits"][0]
    total = -(-rows["sft"]["train"] // 3)
    assert train["paths"] == [f"data/sft/{hub.shard_name('train', i, total)}" for i in range(total)]
    assert train["rows"] == rows["sft"]["train"]


def test_the_same_shard_twice_is_an_error(shard_folders, tmp_path):
    with pytest.raises(ValueError, match="also in"):
        merge_hub_folders([shard_folders[0], shard_folders[0]], tmp_path)


def test_a_config_whose_columns_differ_between_shards_is_an_error(shard_folders, tmp_path):
    odd = tmp_path / "odd"
    (odd / "data" / "sft").mkdir(parents=True)
    pq.write_table(pa.table({"id": ["x"]}), odd / "data" / "sft" / hub.shard_name("train"))
    with pytest.raises(ValueError, match="'sft' has columns"):
        merge_hub_folders([shard_folders[0], odd], tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="not a Hub folder"):
        merge_hub_folders([tmp_path / "empty"], tmp_path / "out")


# --- the publisher ----------------------------------------------------------------------------


def test_no_token_means_no_push(tmp_path):
    assert RecordingHub(repo_id="org/name").publish(tmp_path, "m") == {
        "status": "skipped: no token"
    }
    assert CALLS == []


def test_no_repo_means_no_push(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert RecordingHub().publish(tmp_path, "m") == {"status": "skipped: no repo"}
    assert CALLS == []


def test_the_push_creates_the_repo_and_replaces_the_data_in_one_commit(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setenv("GAUNTLET_HUB_REPO", "org/name")
    outcome = RecordingHub(private=True).publish(tmp_path, "Gauntlet dataset")
    assert outcome["status"] == "pushed" and outcome["repo"] == "org/name"
    assert outcome["commit_url"].endswith("/commit/abc123")
    (_, create), (_, upload) = CALLS
    assert create == {
        "repo_id": "org/name",
        "repo_type": "dataset",
        "exist_ok": True,
        "private": True,
    }
    assert upload["folder_path"] == str(tmp_path)
    assert upload["repo_id"] == "org/name" and upload["repo_type"] == "dataset"
    assert upload["delete_patterns"] == ["data/**"]
    assert upload["commit_message"] == "Gauntlet dataset"
    assert "records.parquet" in upload["ignore_patterns"]  # the lake's files stay local
    assert TOKEN not in repr(outcome) and TOKEN not in repr(CALLS)


def test_a_failed_push_names_the_repo_and_never_the_token(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    with pytest.raises(RuntimeError, match="org/name") as error:
        RecordingHub(repo_id="org/name", fail=True).publish(tmp_path, "m")
    assert TOKEN not in str(error.value) and "401 for token ***" in str(error.value)


# --- the asset ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> tuple[Path, DagsterInstance, GauntletConfig]:
    """The catalog, then shard 0 of DATE (the only shard with GAUNTLET_SHARDS unset)."""
    root = tmp_path_factory.mktemp("lake")
    config = GauntletConfig(seed=2, tasks=12, data_root=str(root))
    instance = DagsterInstance.ephemeral()
    resources = {"gauntlet": config, "llm": LLMConfig(), "hub": HubPublisher()}
    for selection, key in ((CATALOG_ASSETS, None), (PARTITIONED_ASSETS, partition_key(DATE, 0))):
        result = materialize(
            ALL_ASSETS,
            selection=selection,
            partition_key=key,
            instance=instance,
            resources=resources,
        )
        assert result.success
    return root, instance, config


def materialize_hub(lake, publisher: HubPublisher, date: str = DATE, **kwargs: Any):
    root, instance, config = lake
    return materialize(
        ALL_ASSETS,
        selection=HUB_ASSETS,
        partition_key=date,
        instance=instance,
        resources={"gauntlet": config, "llm": LLMConfig(), "hub": publisher},
        **kwargs,
    )


def test_a_day_gathers_its_shards_and_pushes_through_the_publisher(lake, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    result = materialize_hub(lake, RecordingHub(repo_id="org/gauntlet"))
    assert result.success
    root = lake[0]
    folder = root / "hub_dataset" / f"date={DATE}"
    shard = root / "adp_dataset" / f"date={DATE}" / "shard=0" / "hub"
    assert [c["name"] for c in hub.hub_configs(folder)] == ["adp", "sft", "preferences"]
    for ours, theirs in zip(hub.hub_configs(folder), hub.hub_configs(shard), strict=True):
        assert [(s["name"], s["rows"]) for s in ours["splits"]] == [
            (s["name"], s["rows"]) for s in theirs["splits"]
        ]
    (_, upload) = CALLS[-1]
    assert (upload["folder_path"], upload["repo_id"]) == (str(folder), "org/gauntlet")
    assert upload["delete_patterns"] == list(DELETE_PATTERNS) == ["data/**"]
    meta = result.asset_materializations_for_node("hub_dataset")[0].metadata
    assert meta["published"].value == "pushed"
    assert meta["commit_url"].value.endswith("/commit/abc123")
    assert meta["path"].value == str(folder)
    adp_rows = Store(root).manifest("adp_dataset", {"date": DATE, "shard": "0"}).row_count
    assert meta["rows_adp_train"].value + meta["rows_adp_validation"].value == adp_rows
    assert "| sft | train |" in meta["hub_rows"].value
    assert "## Statistics" in meta["card_preview"].value
    assert TOKEN not in repr(meta)
    card = (folder / "README.md").read_text()
    assert f"- trajectories: {adp_rows}" in card and "preference pairs:" in card
    assert "adp_dataset:" in card and "(1 shard)" in card
    manifest = Store(root).manifest("hub_dataset", {"date": DATE})
    assert "README.md" in manifest.files and set(manifest.upstream) == {"adp_dataset/shard=0"}
    for config in ("adp", "sft", "preferences"):
        ds = load(folder, config, tmp_path / "cache")
        assert sum(ds[split].num_rows for split in ds) == sum(
            s["rows"] for c in hub.hub_configs(folder) if c["name"] == config for s in c["splits"]
        )


def test_without_a_token_the_metadata_says_so(lake):
    result = materialize_hub(lake, HubPublisher(repo_id="org/gauntlet"))
    assert result.success
    meta = result.asset_materializations_for_node("hub_dataset")[0].metadata
    assert meta["published"].value == "skipped: no token"
    assert "commit_url" not in meta


def test_a_day_whose_shards_are_missing_is_not_published(lake):
    result = materialize_hub(lake, RecordingHub(), date="2026-11-20", raise_on_error=False)
    assert not result.success
    assert CALLS == []
    failure = next(e for e in result.all_events if e.is_step_failure)
    message = str(failure.step_failure_data.error)
    assert "materialize adp_dataset for 2026-11-20|0 first" in message


def test_the_day_maps_onto_every_shard_of_that_day():
    assert BY_DATE.partition_dimension_name == "date"
    spec = next(s for s in HUB_ASSETS[0].specs)
    (dep,) = spec.deps
    assert dep.asset_key.to_user_string() == "adp_dataset" and dep.partition_mapping == BY_DATE
