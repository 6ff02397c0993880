"""The whole pipeline through Dagster, at a small size: every asset, every check, real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pytest
from dagster import DagsterInstance, materialize

from assets import ALL_ASSETS, CATALOG_ASSETS, PARTITIONED_ASSETS
from assets.hub import HubPublisher
from assets.partitions import partition_key
from assets.role_config import LLMConfig
from assets.settings import GauntletConfig
from gauntlet.export.adp_rules import validate_dataset
from gauntlet.store import Store
from gauntlet.testing.catalogs import make_catalogs
from gauntlet.verify.coherence import audit
from gauntlet.world.worlds import Worlds

ROOT = Path(__file__).resolve().parents[1]
DATE = "2026-11-21"
KEY = partition_key(DATE, 0)


def run_pipeline(
    root: Path, *, catalogs: Path = ROOT / "data" / "catalogs", seed: int = 1, tasks: int = 30
):
    """Materialize the catalog assets, then one partition of the rest; returns both results."""
    config = GauntletConfig(seed=seed, tasks=tasks, catalogs=str(catalogs), data_root=str(root))
    instance = DagsterInstance.ephemeral()
    results = []
    for selection, key in ((CATALOG_ASSETS, None), (PARTITIONED_ASSETS, KEY)):
        results.append(
            materialize(
                ALL_ASSETS,
                selection=selection,
                partition_key=key,
                instance=instance,
                # materialize() wants every asset's resources, hub_dataset's too
                resources={"gauntlet": config, "llm": LLMConfig(), "hub": HubPublisher()},
            )
        )
    return results


def dataset_folder(root: Path) -> Path:
    return root / "adp_dataset" / f"date={DATE}" / "shard=0"


def materialization(result, asset: str):
    return next(m for m in result.asset_materializations_for_node(asset))


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> tuple[Path, list]:
    root = tmp_path_factory.mktemp("lake")
    return root, run_pipeline(root)


def test_every_asset_materializes_and_every_check_passes(lake):
    root, results = lake
    assert all(r.success for r in results)
    checks = [e for r in results for e in r.get_asset_check_evaluations()]
    assert {(e.asset_key.to_user_string(), e.check_name) for e in checks} == {
        ("tasks", "records_valid"),
        ("rollouts", "records_valid"),
        ("judged", "records_valid"),
        ("adp_dataset", "adp_valid"),
    }
    assert all(e.passed for e in checks)


def test_the_adp_folder_is_valid_and_carries_difficulty_and_history(lake):
    root, _ = lake
    adp = dataset_folder(root) / "adp"
    assert validate_dataset(adp) == []
    records = [json.loads(line) for line in (adp / "trajectories.jsonl").read_text().splitlines()]
    assert len(records) >= 10
    for record in records:
        details = record["details"]
        assert isinstance(details["difficulty_level"], int)
        steps = details["escalation"]
        assert steps[-1] == {
            "level": details["difficulty_level"],
            "operator": steps[-1]["operator"],
            "baseline_passed": False,
        }
        assert all(s["baseline_passed"] for s in steps[:-1])


def test_the_hub_folder_loads_with_datasets(lake, monkeypatch):
    root, _ = lake
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    loaded = datasets.load_dataset(str(dataset_folder(root) / "hub"), "adp")
    rows = sum(len(split) for split in loaded.values())
    jsonl = (dataset_folder(root) / "adp" / "trajectories.jsonl").read_text().splitlines()
    assert rows == len(jsonl)
    assert json.loads(loaded["train"][0]["content"])[0]["class_"] == "text_observation"


def test_metadata_shows_counts_histogram_and_preview(lake):
    _, (_, partitioned) = lake
    tasks = materialization(partitioned, "tasks").metadata
    assert tasks["tasks"].value > 0
    assert "| level |" in tasks["difficulty"].value  # a markdown histogram table
    assert tasks["difficulty_histogram"].value.startswith("![difficulty histogram](data:image/png")
    assert 0 < tasks["baseline_pass_rate"].value < 1
    exported = materialization(partitioned, "adp_dataset").metadata
    assert exported["trajectories_exported"].value == exported["kept_by_judge"].value
    assert exported["preview"].value.count("\n") >= 3


def test_same_seed_gives_byte_identical_adp_files_and_another_seed_other_tasks(lake, tmp_path):
    root, _ = lake
    again = tmp_path / "again"
    other = tmp_path / "other"
    run_pipeline(again)
    run_pipeline(other, seed=2)
    for name in ("metadata.json", "trajectories.jsonl", "sample_std.json"):
        first = (dataset_folder(root) / "adp" / name).read_bytes()
        assert first == (dataset_folder(again) / "adp" / name).read_bytes(), name
    ours = (dataset_folder(root) / "adp" / "trajectories.jsonl").read_text()
    theirs = (dataset_folder(other) / "adp" / "trajectories.jsonl").read_text()
    assert ours != theirs


def test_a_catalog_we_did_not_write_works_as_well(tmp_path):
    catalogs = tmp_path / "catalogs"
    catalogs.mkdir()
    for catalog in make_catalogs(3, seed=5):  # observatory, vineyard, library: not in data/
        (catalogs / f"{catalog['domain']}.json").write_text(json.dumps(catalog))
    results = run_pipeline(tmp_path / "lake", catalogs=catalogs, tasks=30)
    assert all(r.success for r in results)
    adp = dataset_folder(tmp_path / "lake") / "adp"
    records = [json.loads(line) for line in (adp / "trajectories.jsonl").read_text().splitlines()]
    assert len(records) >= 10
    assert len({r["details"]["difficulty_level"] for r in records}) >= 2
    assert {d for r in records for d in r["details"]["domains"]} <= {
        "observatory",
        "vineyard",
        "library",
    }


def test_bad_catalogs_are_reported_and_the_good_ones_still_run(tmp_path):
    catalogs = tmp_path / "catalogs"
    shutil.copytree(ROOT / "data" / "catalogs", catalogs)
    (catalogs / "broken.json").write_text('{"domain": "broken", "tools": [')
    dup = json.loads((catalogs / "travel.json").read_text())
    # same domain: a duplicate is rejected (another domain's would be renamed with a warning)
    (catalogs / "travel_copy.json").write_text(json.dumps(dup))
    results = run_pipeline(tmp_path / "lake", catalogs=catalogs, tasks=10)
    assert all(r.success for r in results)
    meta = materialization(results[0], "tool_catalog").metadata
    issues = meta["issues"].value
    assert "broken.json" in issues and "invalid JSON" in issues
    assert "travel_copy.json" in issues and "duplicate tool name, first in travel.json" in issues
    assert meta["tools"].value == 90


def test_every_exported_trajectory_reads_as_one_coherent_world(lake):
    """Read as a researcher would: the user is who the session says, the episode changed only
    their own rows, money, time and lifecycles agree, and no value is filler."""
    root, _ = lake
    store = Store(root)
    worlds = Worlds(store.read("tool_catalog"), store.read("world_schema"))
    kept = [r for r in store.read("judged", {"date": DATE, "shard": "0"}) if r["verdict"]["keep"]]
    exported = (dataset_folder(root) / "adp" / "trajectories.jsonl").read_text().splitlines()
    assert kept and len(kept) == len(exported)
    defects = {r["trajectory"]["id"]: audit(r, worlds) for r in kept}
    assert {tid: found for tid, found in defects.items() if found} == {}
    for record in kept:
        session = record["task"]["world"]["session"]
        world = worlds.open(record["task"]["world"])
        assert world.state.sessions[session] == record["task"]["world"]["me"]
        sent = [
            json.loads(call["function"]["arguments"]).get("session_id")
            for message in record["trajectory"]["messages"]
            for call in message.get("tool_calls") or []
        ]
        assert {s for s in sent if s is not None} <= {session}
