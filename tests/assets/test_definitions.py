"""The Dagster code location: it loads, every asset is described, jobs and schedules do what they say."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import (
    AssetKey,
    DagsterInstance,
    DefaultScheduleStatus,
    Definitions,
    MultiPartitionKey,
    build_schedule_context,
)

from assets import partitions
from pipelines.definitions import defs
from pipelines.resources import gauntlet_config

ROOT = Path(__file__).resolve().parents[2]
GROUPS = {
    "tool_catalog": "catalog",
    "tool_graph": "catalog",
    "world_schema": "catalog",
    "tasks": "synthesis",
    "rollouts": "synthesis",
    "judged": "curation",
    "adp_dataset": "curation",
    "hub_dataset": "publishing",
}
PARTITIONED = {"tasks", "rollouts", "judged", "adp_dataset"}
CHECKS = {
    ("tasks", "records_valid"),
    ("rollouts", "records_valid"),
    ("judged", "records_valid"),
    ("adp_dataset", "adp_valid"),
}


def test_definitions_load() -> None:
    Definitions.validate_loadable(defs)
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert keys == set(GROUPS)


@pytest.mark.parametrize("spec", defs.resolve_all_asset_specs(), ids=lambda s: s.key.path[-1])
def test_every_asset_is_described(spec) -> None:
    name = spec.key.to_user_string()
    assert spec.code_version, f"{name} has no code_version"
    assert spec.group_name == GROUPS[name]
    assert spec.description and len(spec.description) > 60, f"{name} needs a real description"
    assert {"python", "huggingface" if name == "hub_dataset" else "parquet"} <= set(spec.kinds)
    assert spec.owners, f"{name} has no owner"
    if name in PARTITIONED:
        assert spec.partitions_def == partitions.daily_shards
    elif name == "hub_dataset":  # one per day, gathering all of the day's shards
        assert spec.partitions_def == partitions.date_partitions()
    else:
        assert spec.partitions_def is None


def test_lineage() -> None:
    graph = defs.resolve_asset_graph()

    def parents(name: str) -> set[str]:
        return {k.to_user_string() for k in graph.get(AssetKey(name)).parent_keys}

    assert parents("tool_catalog") == set()
    assert parents("tool_graph") == {"tool_catalog"}
    assert parents("world_schema") == {"tool_catalog"}
    assert parents("tasks") == {"tool_catalog", "tool_graph", "world_schema"}
    assert parents("rollouts") == {"tool_catalog", "world_schema", "tasks"}
    assert parents("judged") == {"tool_catalog", "world_schema", "tasks", "rollouts"}
    assert parents("adp_dataset") == {"tool_catalog", "world_schema", "judged"}
    assert parents("hub_dataset") == {"adp_dataset"}


def test_quality_gates_are_blocking() -> None:
    graph = defs.resolve_asset_graph()
    found = set()
    for check_key in graph.asset_check_keys:
        spec = graph.get_check_spec(check_key)
        found.add((check_key.asset_key.to_user_string(), check_key.name))
        assert spec.blocking, f"{check_key} must block downstream assets"
        assert spec.description
    assert found == CHECKS


def test_jobs_select_the_right_assets() -> None:
    def selected(job: str) -> set[str]:
        layer = defs.resolve_job_def(job).asset_layer
        return {k.to_user_string() for k in layer.executable_asset_keys}

    assert selected("gauntlet_catalog") == {"tool_catalog", "tool_graph", "world_schema"}
    assert selected("gauntlet_daily") == PARTITIONED
    assert selected("gauntlet_hub") == {"hub_dataset"}
    assert defs.resolve_job_def("gauntlet_daily").partitions_def == partitions.daily_shards


def test_nightly_schedule_requests_each_shard_of_the_day() -> None:
    schedule = defs.resolve_schedule_def("gauntlet_nightly")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.default_status == DefaultScheduleStatus.RUNNING
    assert schedule.job_name == "gauntlet_daily"
    tick = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    with DagsterInstance.ephemeral() as instance:
        context = build_schedule_context(
            instance=instance,
            scheduled_execution_time=tick,
            repository_def=defs.get_repository_def(),
        )
        data = schedule.evaluate_tick(context)
    shards = partitions.shard_keys()
    assert [r.partition_key for r in data.run_requests] == [
        MultiPartitionKey({"date": "2026-11-21", "shard": s}) for s in shards
    ]
    assert str(data.run_requests[0].partition_key) == "2026-11-21|0"
    assert [r.run_key for r in data.run_requests] == [f"2026-11-21|{s}" for s in shards]
    assert data.run_requests[0].tags["gauntlet/date"] == "2026-11-21"


def test_catalog_is_rebuilt_before_the_nightly_run() -> None:
    schedule = defs.resolve_schedule_def("gauntlet_catalog_nightly")
    assert schedule.job_name == "gauntlet_catalog"
    assert schedule.cron_schedule == "30 1 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.default_status == DefaultScheduleStatus.RUNNING


def test_the_hub_is_pushed_an_hour_after_the_shards_for_that_date() -> None:
    schedule = defs.resolve_schedule_def("gauntlet_hub_nightly")
    assert (schedule.job_name, schedule.cron_schedule) == ("gauntlet_hub", "0 3 * * *")
    with DagsterInstance.ephemeral() as instance:
        context = build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
            repository_def=defs.get_repository_def(),
        )
        (request,) = schedule.evaluate_tick(context).run_requests
    assert (request.partition_key, request.run_key) == ("2026-11-21", "hub|2026-11-21")


def test_today_is_a_valid_date_partition() -> None:
    today = datetime.now(UTC).date().isoformat()
    assert partitions.date_partitions().has_partition_key(today)
    assert partitions.date_partitions().has_partition_key(partitions.START_DATE)


def test_resource_reads_the_environment() -> None:
    config = gauntlet_config(
        {
            "GAUNTLET_SEED": "7",
            "GAUNTLET_TASKS": "10",
            "GAUNTLET_CATALOGS": "/cats",
            "GAUNTLET_DATA_ROOT": "lake",
        }
    )
    assert (config.seed, config.tasks, config.catalogs) == (7, 10, "/cats")
    assert config.store().root == ROOT / "lake"  # relative paths resolve against the project
    defaults = gauntlet_config({})
    assert (defaults.seed, defaults.tasks) == (0, 160)
    assert defaults.catalogs_path() == ROOT / "data" / "catalogs"


def test_tasks_are_split_across_shards() -> None:
    config = gauntlet_config({"GAUNTLET_TASKS": "10"})
    assert [config.tasks_for_shard(i, 3) for i in range(3)] == [4, 3, 3]
    assert config.tasks_for_shard(0, 1) == 10


def test_shards_come_from_the_environment() -> None:
    """GAUNTLET_SHARDS is read when the definitions load, so check it in a fresh interpreter."""
    code = (
        "import json; from datetime import datetime, UTC\n"
        "from dagster import DagsterInstance, build_schedule_context\n"
        "from pipelines.definitions import defs\n"
        "s = defs.resolve_schedule_def('gauntlet_nightly')\n"
        "with DagsterInstance.ephemeral() as i:\n"
        "    c = build_schedule_context(instance=i, repository_def=defs.get_repository_def(),\n"
        "        scheduled_execution_time=datetime(2026, 11, 22, 2, tzinfo=UTC))\n"
        "    print(json.dumps([str(r.partition_key) for r in s.evaluate_tick(c).run_requests]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"GAUNTLET_SHARDS": "3", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    keys = json.loads(out.stdout.strip().splitlines()[-1])
    assert keys == ["2026-11-22|0", "2026-11-22|1", "2026-11-22|2"]
