"""A backfill of several shards in parallel gives the same files as running them one by one.

The parallel side launches one `dagster asset materialize` per shard at the same time; each
run uses Dagster's multiprocess executor (every step in its own process) on one persistent
instance. The sequential side is `make run`'s own entry point, shard after shard.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATE = "2026-11-21"
DAGSTER = str(Path(sys.executable).parent / "dagster")
GENERATED = ("tasks", "rollouts", "judged", "adp_dataset")


def env_for(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAUNTLET_", "OPENAI_"))}
    (root / "home").mkdir(parents=True, exist_ok=True)
    env.update(
        GAUNTLET_SHARDS="2",
        GAUNTLET_TASKS="16",
        GAUNTLET_SEED="5",
        GAUNTLET_DATA_ROOT=str(root / "lake"),
        DAGSTER_HOME=str(root / "home"),
        HF_HUB_OFFLINE="1",
    )
    return env


def materialize(root: Path, select: str, partition: str | None = None) -> subprocess.Popen:
    cmd = [DAGSTER, "asset", "materialize", "-m", "pipelines.definitions", "--select", select]
    if partition:
        cmd += ["--partition", partition]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env_for(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-3000:]
    return out


def files(root: Path) -> dict[str, bytes]:
    lake = root / "lake"
    return {
        str(p.relative_to(lake)): p.read_bytes()
        for asset in GENERATED
        for p in sorted((lake / asset).rglob("*"))
        if p.is_file()
    }


def test_parallel_shards_match_sequential_shards(tmp_path):
    sequential = tmp_path / "sequential"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.run", "--date", DATE],
        cwd=ROOT,
        env=env_for(sequential),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    parallel = tmp_path / "parallel"
    finish(materialize(parallel, "tool_catalog,tool_graph,world_schema"))
    shards = [materialize(parallel, ",".join(GENERATED), f"{DATE}|{shard}") for shard in (0, 1)]
    outputs = [finish(p) for p in shards]
    assert all("multiprocess executor" in out for out in outputs)

    ours, theirs = files(parallel), files(sequential)
    assert {Path(k).parts[1] for k in ours if k.startswith("tasks")} == {"date=2026-11-21"}
    assert any("shard=1" in k for k in ours)
    assert ours.keys() == theirs.keys()
    differing = [k for k in ours if ours[k] != theirs[k]]
    assert differing == []
