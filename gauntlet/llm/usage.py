"""What one role's model spent in one episode, as the record carries it."""

from __future__ import annotations

from typing import Any


class Usage:
    """Tokens and cost of the answers an agent used; cost stays None once any was unpriced.

    Counted the same whether an answer came from the endpoint or the cache, so a resumed or
    warm run writes the same records; what was actually sent is in the accounting."""

    def __init__(self) -> None:
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.calls = 0
        self.cost_usd: float | None = 0.0

    def add(self, response: Any) -> None:
        self.prompt_tokens += response.prompt_tokens
        self.completion_tokens += response.completion_tokens
        self.calls += 1  # answers, cached or not: a record must not depend on the cache
        if response.cost_usd is None or self.cost_usd is None:
            self.cost_usd = None
        else:
            self.cost_usd += response.cost_usd

    def as_record(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "calls": self.calls,
            "cost_usd": self.cost_usd,
        }
