"""What crosses the LLM layer: requests keyed by everything that shapes the answer, responses
with their accounting, and endpoint settings whose secret never prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gauntlet import canonical


class Secret(str):
    """An API key: usable as a string, but never shown by repr() or str() formatting in logs."""

    def __repr__(self) -> str:
        return "Secret('***')" if self else "Secret('')"

    def __format__(self, spec: str) -> str:
        return "***" if self else ""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to send a role's requests."""

    base_url: str
    api_key: Secret = Secret("")
    timeout_s: float = 60.0
    price_in_per_m: float | None = None  # USD per million prompt tokens; None = unpriced
    price_out_per_m: float | None = None

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        """USD, or None when the model has no price: unpriced is unknown, never $0."""
        if self.price_in_per_m is None or self.price_out_per_m is None:
            return None
        return (
            prompt_tokens * self.price_in_per_m + completion_tokens * self.price_out_per_m
        ) / 1e6


@dataclass(frozen=True)
class Limits:
    """Client-side limits: concurrency, requests and tokens per minute, retries, breaker."""

    concurrency: int = 16
    rpm: int | None = None
    tpm: int | None = None
    max_retries: int = 5
    breaker_failures: int = 20  # consecutive failed requests before the endpoint is declared down


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion request. `template_hash` names the prompt templates that built it."""

    role: str
    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None = None
    temperature: float = 0.0
    max_tokens: int | None = None
    seed: int | None = None
    response_format: dict[str, Any] | None = None
    template_hash: str = ""
    attempt: int = 0  # bumped when a role re-asks after an invalid answer (a new cache entry)

    def body(self) -> dict[str, Any]:
        """The JSON body sent to /v1/chat/completions."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": self.messages,
            "temperature": self.temperature,
        }
        for key in ("tools", "max_tokens", "seed", "response_format"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        return body

    def cache_key(self, base_url: str) -> str:
        """Everything that shapes the answer: endpoint, body, prompt templates, re-ask number."""
        return canonical.digest(
            {
                "base_url": base_url.rstrip("/"),
                "body": self.body(),
                "template": self.template_hash,
                "attempt": self.attempt,
            }
        )


@dataclass
class ChatResponse:
    """The assistant message and what it cost."""

    message: dict[str, Any]  # {"role": "assistant", "content": str|None, "tool_calls": [...]?}
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cached: bool
    cost_usd: float | None
    extra: dict[str, Any] = field(default_factory=dict)
