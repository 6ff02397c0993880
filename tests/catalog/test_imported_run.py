"""End to end: a folder holding only imported formats runs the whole pipeline (`make run`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from gauntlet.testing.specs import FILES, write_samples

REPO = Path(__file__).resolve().parents[2]
DATE = "2026-11-21"


def test_a_folder_of_imported_catalogs_runs_end_to_end(tmp_path):
    catalogs = write_samples(tmp_path / "catalogs")
    env = {
        **os.environ,
        "GAUNTLET_CATALOGS": str(catalogs),
        "GAUNTLET_TASKS": "20",
        "GAUNTLET_DATA_ROOT": str(tmp_path / "lake"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "HF_HUB_OFFLINE": "1",
    }

    run = subprocess.run(
        [sys.executable, "-m", "pipelines.run", "--date", DATE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    folders = list((tmp_path / "lake" / "adp_dataset").glob(f"date={DATE}/shard=*/adp"))
    assert folders
    lines = [
        json.loads(line)
        for folder in folders
        for line in (folder / "trajectories.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(lines) >= 1
    [importers] = [line for line in run.stdout.splitlines() if "importers:" in line]
    for fmt in set(FILES.values()):
        assert f"{fmt}:" in importers
    assert f"from {len(FILES)} file(s)" in importers
