"""Per-role LLM settings: one default from the environment, overrides per role.

`GAUNTLET_BACKEND=llm` puts every role on the llm backend; `OPENAI_BASE_URL`,
`OPENAI_API_KEY` and `GAUNTLET_MODEL` give the default endpoint and model; each role can
override any field (Dagster resource config, or `GAUNTLET_<ROLE>_<FIELD>` variables), so
mixed setups work: an llm teacher with the heuristic baseline, say.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from gauntlet.llm.types import Endpoint, Limits, Secret

ROLES = ("writer", "user", "baseline", "teacher", "judge")
DEFAULT_BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class RoleSettings:
    """How one role runs. `backend` is `offline` or `llm`; the rest matter for `llm`."""

    backend: str = "offline"
    model: str = ""
    base_url: str = DEFAULT_BASE_URL
    api_key: Secret = Secret("")
    temperature: float = 0.0
    max_tokens: int | None = 1024
    seed: int | None = 0
    price_in_per_m: float | None = None
    price_out_per_m: float | None = None
    timeout_s: float = 60.0
    concurrency: int = 16
    rpm: int | None = None
    tpm: int | None = None
    samples: int = 1  # baseline attempts per level (pass^k)
    max_steps: int = 12  # agent turns before it gives up

    @property
    def is_llm(self) -> bool:
        return self.backend == "llm"

    def endpoint(self) -> Endpoint:
        return Endpoint(
            self.base_url, self.api_key, self.timeout_s, self.price_in_per_m, self.price_out_per_m
        )

    def limits(self) -> Limits:
        return Limits(concurrency=self.concurrency, rpm=self.rpm, tpm=self.tpm)

    def label(self) -> str:
        """What provenance records: `oracle`-style names offline, the model name online."""
        return self.model if self.is_llm else "offline"


_TYPES = {f.name: f.type for f in fields(RoleSettings)}


def _coerce(name: str, value: Any) -> Any:
    if value is None or value == "":
        return None if name not in ("backend", "model", "base_url", "api_key") else value
    kind = _TYPES[name]
    if name == "api_key":
        return Secret(str(value))
    if "int" in kind and "float" not in kind:
        return int(value)
    if "float" in kind:
        return float(value)
    return str(value)


def from_env(
    env: Mapping[str, str] | None = None, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, RoleSettings]:
    """Settings for every role: environment defaults, then per-role env vars, then overrides."""
    env = os.environ if env is None else env
    base = RoleSettings(
        backend=env.get("GAUNTLET_BACKEND", "offline"),
        model=env.get("GAUNTLET_MODEL", ""),
        base_url=env.get("OPENAI_BASE_URL", DEFAULT_BASE_URL),
        api_key=Secret(env.get("OPENAI_API_KEY", "")),
    )
    if base.backend not in ("offline", "llm"):
        raise ValueError(f"GAUNTLET_BACKEND must be 'offline' or 'llm', got {base.backend!r}")
    out = {}
    for role in ROLES:
        changes: dict[str, Any] = {}
        for name in _TYPES:
            key = f"GAUNTLET_{role.upper()}_{name.upper()}"
            if key in env:
                changes[name] = _coerce(name, env[key])
        for name, value in (overrides or {}).get(role, {}).items():
            if name not in _TYPES:
                raise ValueError(
                    f"unknown setting {name!r} for role {role!r}; "
                    f"known: {', '.join(sorted(_TYPES))}"
                )
            changes[name] = _coerce(name, value)
        settings = replace(base, **changes)
        if settings.is_llm and not settings.model:
            raise ValueError(
                f"role {role!r} is on the llm backend but has no model: "
                f"set GAUNTLET_MODEL or GAUNTLET_{role.upper()}_MODEL"
            )
        out[role] = settings
    return out
