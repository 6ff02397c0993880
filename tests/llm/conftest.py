"""Fixtures for the LLM layer tests: a factory for clients on the session's local server
(`server`, in the root conftest) with short timeouts and back-offs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gauntlet.llm.accounting import Accounting
from gauntlet.llm.cache import ResponseCache
from gauntlet.llm.client import LLMClient
from gauntlet.llm.types import Endpoint, Limits, Secret
from gauntlet.testing.server_process import LocalServer

KEY = "sk-test-SECRET123"


@pytest.fixture
def make_client(server: LocalServer, tmp_path: Path) -> Iterator:
    """`make_client(**overrides)`: an LLMClient on the server with a cache under tmp_path."""
    clients: list[LLMClient] = []

    def make(
        *,
        url: str | None = None,
        limits: Limits | None = None,
        cache: bool = True,
        timeout_s: float = 2.0,
        prices: tuple[float, float] | None = None,
        **options,
    ) -> LLMClient:
        price_in, price_out = prices or (None, None)
        endpoint = Endpoint(url or server.url, Secret(KEY), timeout_s, price_in, price_out)
        options = {"retry_initial_s": 0.02, "retry_max_s": 0.2} | options
        client = LLMClient(
            endpoint,
            limits or Limits(concurrency=8, max_retries=5),
            ResponseCache(tmp_path / "cache") if cache else None,
            Accounting(),
            **options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
