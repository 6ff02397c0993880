"""The layering holds: pipelines -> assets -> gauntlet, no Dagster in the engine, and inside
the engine stages above the parts and the vocabulary at the bottom, with no import cycle.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter reads every import,
including the ones inside functions, so a lazy import cannot hide an arrow that runs back up.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_import_contract_is_kept():
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("lint-imports")),
            "--config",
            "pyproject.toml",
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_the_engine_layers_name_every_module_of_the_engine():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c for c in config["contracts"] if c.get("containers") == ["gauntlet"]]
    named = {m.strip() for layer in layers["layers"] for m in layer.split("|")}
    engine = {
        p.stem if p.is_file() else p.name
        for p in (ROOT / "gauntlet").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert named == engine
    assert layers["exhaustive"] is True
