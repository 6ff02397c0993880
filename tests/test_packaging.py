"""Gauntlet installs as a plain wheel: the templates and schemas ride inside it, and the
installed package runs the pipeline from any folder, with no checkout on its path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).with_name("uv")
DATE = "2026-11-21"
NOT_SOURCES = (".git", ".venv", "lake", "build", "*.egg-info", "__pycache__", ".dagster_home")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the sources (setuptools reuses a `build/` folder, so a
    build in the checkout could ship modules that no longer exist)."""
    source, out = tmp_path_factory.mktemp("source") / "gauntlet", tmp_path_factory.mktemp("dist")
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    subprocess.run(
        [str(UV), "build", "--wheel", "--out-dir", str(out), str(source)],
        check=True,
        capture_output=True,
        env={**os.environ, "UV_NO_PROGRESS": "1"},
    )
    [built] = out.glob("gauntlet-*.whl")
    return built


def test_the_wheel_holds_every_template_schema_and_word_list(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = ROOT / "gauntlet" / "_data"  # links to prompts/, schemas/ and data/words/
    shipped = {
        f"gauntlet/_data/{link.name}/{p.relative_to(link).as_posix()}"
        for link in data.iterdir()
        for p in link.rglob("*")
        if p.is_file()
    }
    assert shipped and shipped <= names, sorted(shipped - names)
    assert {"gauntlet/stages/tasks.py", "assets/adp.py", "pipelines/run.py"} <= names


def test_an_installed_wheel_runs_the_pipeline_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([str(UV), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(UV), "pip", "install", "--quiet", "--python", str(python), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAUNTLET_", "PYTHON"))}
    env.update(
        GAUNTLET_CATALOGS=str(ROOT / "data" / "catalogs"),
        GAUNTLET_DATA_ROOT=str(work / "lake"),
        GAUNTLET_TASKS="12",
        DAGSTER_HOME=str(work / "dagster"),
        HF_HUB_OFFLINE="1",
    )
    run = subprocess.run(
        [str(python), "-m", "pipelines.run", "--date", DATE],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    found = subprocess.run(
        [str(python), "-c", "import gauntlet; print(gauntlet.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(venv) in found and str(ROOT) not in found  # the wheel, not the checkout
    adp = work / "lake" / "adp_dataset" / f"date={DATE}" / "shard=0" / "adp"
    assert (adp / "trajectories.jsonl").read_text().strip()
    assert json.loads((adp / "metadata.json").read_text())["custom_tools"]
