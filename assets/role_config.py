"""Which program plays each role, as a Dagster resource; the LLM spend as asset metadata.

Defaults come from the environment (`GAUNTLET_BACKEND`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`,
`GAUNTLET_MODEL`); each role's fields can be overridden in the resource config (launchpad,
or `pipelines/resources.py`). The API key is read from the environment only, never config.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster import Config, ConfigurableResource, MetadataValue

from assets.settings import GauntletConfig, resolve
from gauntlet.llm.settings import ROLES, from_env
from gauntlet.stages.roles import Roles, cache_dir


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
def open_roles(llm: LLMConfig, gauntlet: GauntletConfig) -> Iterator[Roles]:
    """The roles for one materialization; clients are closed when the asset is done."""
    settings = from_env(overrides=llm.overrides())
    roles = Roles.build(settings, cache_dir(resolve(gauntlet.data_root)))
    try:
        yield roles
    finally:
        roles.close()


def usage_metadata(stats: dict[str, Any]) -> dict[str, Any]:
    """What the models cost this asset: requests sent, cache hits, tokens, cost per role.

    Cost is `unknown` when any request went to an unpriced model: unpriced is not $0.
    """
    out: dict[str, Any] = {"backends": ", ".join(f"{r}={b}" for r, b in stats["backends"].items())}
    usage = stats.get("llm")
    if not usage:
        return out
    total = usage["total"]
    for key in (
        "requests",
        "cache_hits",
        "retries",
        "rate_limited",
        "prompt_tokens",
        "completion_tokens",
    ):
        out[f"llm_{key}"] = total.get(key, 0)
    out["llm_cost_usd"] = _cost(total.get("cost_usd"))
    rows = [
        {
            "role": role,
            "requests": r.get("requests", 0),
            "cache hits": r.get("cache_hits", 0),
            "prompt tokens": r.get("prompt_tokens", 0),
            "completion tokens": r.get("completion_tokens", 0),
            "cost (USD)": _cost(r.get("cost_usd")),
        }
        for role, r in sorted(usage.get("roles", {}).items())
    ]
    out["llm_by_role"] = MetadataValue.md(
        "| role | requests | cache hits | prompt tokens | completion tokens | cost (USD) |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        + "".join(
            f"| {r['role']} | {r['requests']} | {r['cache hits']} | {r['prompt tokens']} | "
            f"{r['completion tokens']} | {r['cost (USD)']} |\n"
            for r in rows
        )
    )
    return out


def _cost(value: float | None) -> str | float:
    return "unknown (unpriced)" if value is None else round(value, 6)
