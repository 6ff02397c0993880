"""The run's settings, read from the environment here and nowhere else.

`Settings.from_env` is the one reader of the `GAUNTLET_*` variables. The resources read it
when they are built; the partitioning and the schedules, which Dagster needs when the
definitions are declared, read it once through `current()`. Relative
paths resolve against the project in a checkout, and against the working directory when
Gauntlet runs from an installed wheel.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from gauntlet.store import Store

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Every environment setting Gauntlet reads, with its default."""

    seed: int = 0
    tasks: int = 160
    catalogs: str = "data/catalogs"
    data_root: str = "data/lake"
    shards: int = 1
    nightly_hour: int = 2
    hub_repo: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """GAUNTLET_SEED, _TASKS, _CATALOGS, _DATA_ROOT, _SHARDS, _NIGHTLY_HOUR, _HUB_REPO."""
        env = os.environ if environ is None else environ
        settings = cls(
            seed=int(env.get("GAUNTLET_SEED", cls.seed)),
            tasks=int(env.get("GAUNTLET_TASKS", cls.tasks)),
            catalogs=env.get("GAUNTLET_CATALOGS", cls.catalogs),
            data_root=env.get("GAUNTLET_DATA_ROOT", cls.data_root),
            shards=int(env.get("GAUNTLET_SHARDS", cls.shards)),
            nightly_hour=int(env.get("GAUNTLET_NIGHTLY_HOUR", cls.nightly_hour)),
            hub_repo=env.get("GAUNTLET_HUB_REPO", cls.hub_repo),
        )
        if settings.shards < 1:
            raise ValueError(f"GAUNTLET_SHARDS must be >= 1, got {settings.shards}")
        if not 0 <= settings.nightly_hour <= 23:
            raise ValueError(f"GAUNTLET_NIGHTLY_HOUR must be 0-23, got {settings.nightly_hour}")
        return settings


@cache
def current() -> Settings:
    """This process's settings, read from the environment on first use."""
    return Settings.from_env()


def base_dir() -> Path:
    """What relative paths resolve against: the checkout, or the working directory."""
    return PROJECT_ROOT if (PROJECT_ROOT / "workspace.yaml").is_file() else Path.cwd()


def resolve(path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else base_dir() / p


class GauntletConfig(ConfigurableResource):
    """Run settings; relative paths resolve against the project root, wherever you start from."""

    seed: int = Field(default=0, description="Run seed; each shard derives its own from it.")
    tasks: int = Field(default=160, description="Tasks per date, split evenly across shards.")
    catalogs: str = Field(default="data/catalogs", description="Folder of tool catalogs.")
    data_root: str = Field(default="data/lake", description="Root of the partition store.")

    @classmethod
    def from_settings(cls, settings: Settings) -> GauntletConfig:
        return cls(
            seed=settings.seed,
            tasks=settings.tasks,
            catalogs=settings.catalogs,
            data_root=settings.data_root,
        )

    def store(self) -> Store:
        return Store(resolve(self.data_root))

    def catalogs_path(self) -> Path:
        return resolve(self.catalogs)

    def tasks_for_shard(self, shard: int, shards: int) -> int:
        """This shard's share of the date's tasks (the first shards take the remainder)."""
        return self.tasks // shards + (1 if shard < self.tasks % shards else 0)
