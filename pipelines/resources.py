"""Resources built from the environment when the definitions load (`make run` and `dagster dev`).

Plain `os.environ` defaults rather than `EnvVar`, so the same values are visible to code that
runs outside Dagster (the `make run` summary reads the store the resource points at).
"""

from __future__ import annotations

import os
from typing import Any

from assets.backends import LLMConfig
from assets.hub import HubPublisher
from assets.lake import GauntletConfig

__all__ = ["GauntletConfig", "HubPublisher", "gauntlet_config", "resources"]


def gauntlet_config(environ: dict[str, str] | None = None) -> GauntletConfig:
    """GAUNTLET_SEED (0), GAUNTLET_TASKS (160), GAUNTLET_CATALOGS, GAUNTLET_DATA_ROOT."""
    env = os.environ if environ is None else environ
    return GauntletConfig(
        seed=int(env.get("GAUNTLET_SEED", "0")),
        tasks=int(env.get("GAUNTLET_TASKS", "160")),
        catalogs=env.get("GAUNTLET_CATALOGS", "data/catalogs"),
        data_root=env.get("GAUNTLET_DATA_ROOT", "data/lake"),
    )


def resources() -> dict[str, Any]:
    """`hub` pushes when HF_TOKEN and GAUNTLET_HUB_REPO are set, and skips (saying why) otherwise."""
    return {"gauntlet": gauntlet_config(), "llm": LLMConfig(), "hub": HubPublisher()}
