"""Which backend plays each role, as a Dagster resource; the LLM spend as asset metadata.

Defaults come from the environment (`GAUNTLET_BACKEND`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`,
`GAUNTLET_MODEL`); each role's fields can be overridden in the resource config (launchpad,
or `pipelines/resources.py`). The API key is read from the environment only, never config.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster import Config, ConfigurableResource

from assets.lake import GauntletConfig, resolve
from gauntlet.backends import Backends, cache_dir
from gauntlet.llm.settings import ROLES, from_env


class RoleOverride(Config):
    """Fields left empty keep the environment's default."""

    backend: str | None = None
    model: str | None = None
    base_url: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    price_in_per_m: float | None = None
    price_out_per_m: float | None = None
    timeout_s: float | None = None
    concurrency: int | None = None
    rpm: int | None = None
    tpm: int | None = None
    samples: int | None = None
    max_steps: int | None = None


class LLMConfig(ConfigurableResource):
    """Per-role backend settings: writer, user, baseline, teacher, judge."""

    writer: RoleOverride = RoleOverride()
    user: RoleOverride = RoleOverride()
    baseline: RoleOverride = RoleOverride()
    teacher: RoleOverride = RoleOverride()
    judge: RoleOverride = RoleOverride()

    def overrides(self) -> dict[str, dict[str, Any]]:
        return {
            role: {k: v for k, v in getattr(self, role).model_dump().items() if v is not None}
            for role in ROLES
        }


@contextmanager
def open_backends(llm: LLMConfig, gauntlet: GauntletConfig) -> Iterator[Backends]:
    """Backends for one materialization; clients are closed when the asset is done."""
    settings = from_env(overrides=llm.overrides())
    backends = Backends.build(settings, cache_dir(resolve(gauntlet.data_root)))
    try:
        yield backends
    finally:
        backends.close()


def usage_metadata(stats: dict[str, Any]) -> dict[str, Any]:
    """What the models cost this asset: requests, cache hits, tokens, cost (null = unpriced)."""
    out: dict[str, Any] = {"backends": ", ".join(f"{r}={b}" for r, b in stats["backends"].items())}
    usage = stats.get("llm")
    if usage:
        for key in ("requests", "cache_hits", "prompt_tokens", "completion_tokens"):
            if key in usage:
                out[f"llm_{key}"] = usage[key]
        out["llm_cost_usd"] = (
            "unknown (unpriced model)"
            if usage.get("cost_usd") is None
            else round(usage["cost_usd"], 4)
        )
    return out
