"""Resources built from the settings when the definitions load (`make run` and `dagster dev`).

Plain settings rather than `EnvVar`, so the same values are visible to code that runs outside
Dagster (the `make run` summary reads the store the resource points at).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assets.hub import HubPublisher
from assets.role_config import LLMConfig
from assets.settings import GauntletConfig, Settings

__all__ = ["GauntletConfig", "HubPublisher", "gauntlet_config", "resources"]


def gauntlet_config(environ: Mapping[str, str] | None = None) -> GauntletConfig:
    """The `gauntlet` resource, from the environment as it is now (or `environ`)."""
    return GauntletConfig.from_settings(Settings.from_env(environ))


def resources() -> dict[str, Any]:
    """`hub` pushes when HF_TOKEN and GAUNTLET_HUB_REPO are set, and skips (saying why) otherwise."""
    return {"gauntlet": gauntlet_config(), "llm": LLMConfig(), "hub": HubPublisher()}
