"""The one client every LLM role goes through: cache, limits, retries, breaker, accounting.

`await client.chat(request)` from async code, `client.chat_sync(request)` from the synchronous
agents (any thread). Network work always runs on one event loop, the client's "home": the loop
that first used it, or a background thread the client starts for `chat_sync`; calls from other
loops and threads are handed over to it. Failures are turned into `RequestFailed` or
`EndpointDown` whose messages name the endpoint and the cause but never the API key.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from gauntlet import canonical
from gauntlet.llm import errors, wire
from gauntlet.llm.accounting import Accounting
from gauntlet.llm.cache import ResponseCache
from gauntlet.llm.errors import EndpointDown, LLMError, RequestFailed, redact
from gauntlet.llm.limiter import RateLimiter
from gauntlet.llm.types import ChatRequest, ChatResponse, Endpoint, Limits

log = logging.getLogger("gauntlet.llm")
BREAKER_KINDS = frozenset({errors.TIMEOUT, errors.CONNECTION, errors.SERVER_ERROR})
# `client.post` (the openai client's documented way to send a custom request) rather than
# `chat.completions.create`: the same auth, timeouts and errors, minus a per-request typed
# transform of the body and a pydantic parse of the answer that cost ~10% of throughput.
PATH = "/chat/completions"
PLACEHOLDER_KEY = "unused"  # local servers take any key; the openai client insists on one


class _Transient(Exception):
    """A failed attempt worth retrying with back-off (never leaves this module)."""

    def __init__(self, kind: str, detail: str, final: bool = False):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.final = final  # not worth retrying (a 4xx): raised at once


class LLMClient:
    """An OpenAI-compatible endpoint behind a response cache, a rate limiter, tenacity retries,
    a circuit breaker and accounting. Use as a context manager, or call `close()`."""

    def __init__(
        self,
        endpoint: Endpoint,
        limits: Limits | None = None,
        cache: ResponseCache | None = None,
        accounting: Accounting | None = None,
        *,
        retry_initial_s: float = 0.5,
        retry_max_s: float = 8.0,
        rate_limit_deadline_s: float = 600.0,
        max_rate_limited: int = 200,
    ):
        self.endpoint = endpoint
        self.limits = limits or Limits()
        self.cache = cache
        self.accounting = accounting if accounting is not None else Accounting()
        self.limiter = RateLimiter(self.limits)
        self.base_url = endpoint.base_url.rstrip("/")
        self.retry_initial_s = retry_initial_s
        self.retry_max_s = retry_max_s
        self.rate_limit_deadline_s = rate_limit_deadline_s
        self.max_rate_limited = max_rate_limited
        self._key = str.__str__(endpoint.api_key) if endpoint.api_key else ""
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._openai: openai.AsyncOpenAI | None = None
        self._own_loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._stored_count = 0
        self._guard: AsyncIterator[None] | None = None
        self.consecutive_failures = 0
        self.last_error = ""
        self.breaker_open = False

    def __repr__(self) -> str:
        return f"LLMClient(base_url={self.base_url!r}, concurrency={self.limits.concurrency})"

    # ---- public API -------------------------------------------------------------------

    async def chat(self, request: ChatRequest) -> ChatResponse:
        """One chat completion: from the cache if this exact request was answered before."""
        loop = asyncio.get_running_loop()
        home = self._home(loop)
        if home is loop:
            if self._guard is None:  # first call on a caller's loop: close with that loop
                self._guard = _close_on_shutdown(self._openai)
                await self._guard.__anext__()
            return await self._chat(request)
        return await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(self._chat(request), home)
        )

    def chat_sync(self, request: ChatRequest) -> ChatResponse:
        """`chat` for synchronous code: runs on the client's home loop and blocks until done."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        home = self._home(None)
        if home is running:
            raise RuntimeError(
                "chat_sync() was called on the client's own event loop; use `await chat()`"
            )
        return asyncio.run_coroutine_threadsafe(self._chat(request), home).result()

    def reset_breaker(self) -> None:
        """Close the circuit breaker again (after fixing the endpoint)."""
        self.breaker_open = False
        self.consecutive_failures = 0

    def close(self) -> None:
        """Close the HTTP client, stop the background loop if one was started, and wait for the
        cache's background writes."""
        if self.cache is not None:
            self.cache.flush()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            home, client, own, thread = self._loop, self._openai, self._own_loop, self._thread
        if client is not None and home is not None and not home.is_closed():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if home is running:
                home.create_task(client.close())
            elif home.is_running() or home is own:
                try:
                    asyncio.run_coroutine_threadsafe(client.close(), home).result(timeout=5)
                except Exception as exc:  # closing is best effort; never mask the caller's error
                    log.debug("closing the HTTP client failed: %s", redact(str(exc), self._key))
        if own is not None and thread is not None:
            own.call_soon_threadsafe(own.stop)
            thread.join(timeout=5)
            own.close()

    async def aclose(self) -> None:
        """`close()` from async code (it may wait on the cache and on the home loop)."""
        await asyncio.to_thread(self.close)

    def __enter__(self) -> LLMClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---- event loop ownership ---------------------------------------------------------

    def _home(self, loop: asyncio.AbstractEventLoop | None) -> asyncio.AbstractEventLoop:
        """The loop the network work runs on; (re)bound when there is none or it has ended."""
        with self._lock:
            if self._closed:
                raise LLMError(f"{self!r} is closed")
            home = self._loop
            if (
                home is None
                or home.is_closed()
                or (home is not self._own_loop and not home.is_running())
            ):
                if loop is None:
                    loop = self._start_own_loop()
                self._loop = loop
                key, timeout = self._key or PLACEHOLDER_KEY, self.endpoint.timeout_s
                self._openai = openai.AsyncOpenAI(
                    base_url=self.base_url, api_key=key, max_retries=0, timeout=timeout
                )
                self.limiter.rebind()
                self._stored_count = 0
                self._guard = None
            return self._loop

    def _start_own_loop(self) -> asyncio.AbstractEventLoop:
        if self._own_loop is None:
            self._own_loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._own_loop.run_forever, name="gauntlet-llm-loop", daemon=True
            )
            self._thread.start()
        return self._own_loop

    # ---- one call ---------------------------------------------------------------------

    async def _chat(self, request: ChatRequest) -> ChatResponse:
        key = None
        if self.cache is not None:
            key = request.cache_key(self.base_url)
            payload = self.cache.get(key)
            if payload is not None:
                self.accounting.hit(request.role)
                return self._response(payload, latency_s=0.0, cached=True)
        try:
            self._check_breaker()
            data, latency = await self._with_retries(request, keep=key is not None)
        except LLMError:
            self.accounting.failure(request.role)
            raise
        try:
            payload = wire.payload(data)
            response = self._response(payload, latency_s=latency, cached=False)
        except Exception:
            if key is not None:
                self.limiter.release(1)
            raise
        if key is not None:
            # The disk write runs on the cache's thread (a file create can stall the loop for a
            # millisecond); the request's limiter slot is given back once the answer is stored.
            self.cache.put_nowait(key, payload, self._stored)  # type: ignore[union-attr]
        usage = (response.prompt_tokens, response.completion_tokens, latency, response.cost_usd)
        self.accounting.success(request.role, *usage)
        return response

    def _response(self, payload: dict[str, Any], *, latency_s: float, cached: bool) -> ChatResponse:
        """A ChatResponse; its cost is what the answer's tokens cost (the same on a cache hit,
        so a warm rerun records the same data), while accounting only adds network spend."""
        prompt, completion = payload["prompt_tokens"], payload["completion_tokens"]
        cost = self.endpoint.cost(prompt, completion)
        extra = {"model": payload.get("model"), "id": payload.get("id")}
        message, finish = payload["message"], payload["finish_reason"]
        return ChatResponse(message, finish, prompt, completion, latency_s, cached, cost, extra)

    async def _with_retries(self, request: ChatRequest, keep: bool) -> tuple[dict[str, Any], float]:
        attempts = self.limits.max_retries + 1
        retrying = AsyncRetrying(
            stop=stop_after_attempt(attempts),
            wait=wait_exponential_jitter(
                multiplier=self.retry_initial_s, max=self.retry_max_s, jitter=self.retry_initial_s
            ),
            retry=retry_if_exception(lambda exc: isinstance(exc, _Transient) and not exc.final),
            before_sleep=lambda state: self._before_retry(request.role, state, attempts),
            reraise=True,
        )
        body = request.body()
        tokens = (
            (len(canonical.dumps(body)) // 4 + (request.max_tokens or 0))
            if self.limiter.wants_tokens
            else 0
        )
        try:
            return await retrying(self._attempt, request.role, body, tokens, keep)
        except _Transient as exc:
            kind, detail = exc.kind, exc.detail
        # Raised outside the `except`: no chained openai error (whose request carries the key).
        raise RequestFailed(kind, self.base_url, retrying.statistics["attempt_number"], detail)

    def _before_retry(self, role: str, state: RetryCallState, attempts: int) -> None:
        self.accounting.retry(role)
        exc = state.outcome.exception() if state.outcome else None
        args = (self.base_url, role, exc, state.attempt_number, attempts - 1)
        log.warning("LLM request to %s (role %r) failed (%s); retry %d of %d", *args)

    async def _attempt(
        self, role: str, body: dict[str, Any], tokens: int, keep: bool
    ) -> tuple[dict[str, Any], float]:
        """One attempt; a 429 pauses the limiter and re-sends within this attempt, up to a
        deadline and a count, so a server that always says 429 ends in a clear error. With
        `keep`, a good answer keeps its limiter slot until `_chat` has it on disk."""
        client = self._openai
        assert client is not None
        started = time.monotonic()
        rate_limited = 0
        while True:
            self._check_breaker()
            limited, retry_after = False, None
            async with self.limiter.slot(tokens) as slot:
                self.accounting.sent(role)
                sent_at = time.perf_counter()
                try:
                    raw = await client.post(
                        PATH,
                        body=body,
                        cast_to=httpx2.Response,
                        options={"headers": {"X-Gauntlet-Role": role}},
                    )
                    data = json.loads(raw.content)
                except openai.RateLimitError as exc:
                    limited, rate_limited = True, rate_limited + 1
                    retry_after = errors.parse_retry_after(exc.response.headers)
                except openai.APITimeoutError:
                    self._failed(
                        role, errors.TIMEOUT, f"no answer in {self.endpoint.timeout_s:g} s"
                    )
                except openai.APIConnectionError as exc:
                    self._failed(role, errors.CONNECTION, errors.describe(exc))
                except openai.APIStatusError as exc:
                    kind = errors.SERVER_ERROR if exc.status_code >= 500 else errors.CLIENT_ERROR
                    self._failed(role, kind, f"HTTP {exc.status_code}: {exc.message}")
                except ValueError as exc:
                    self._failed(role, errors.BAD_RESPONSE, f"body is not JSON ({exc})")
                if not limited:
                    latency = time.perf_counter() - sent_at
                    self._check_answer(role, data)
                    slot.settle(int((data.get("usage") or {}).get("total_tokens") or 0))
                    if keep:
                        slot.keep()
                    return data, latency
            self._rate_limited(role, rate_limited, retry_after, started)

    def _check_answer(self, role: str, data: Any) -> None:
        """The endpoint is alive; raise (to retry) if the answer has no choice to give."""
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list):
            self._failed(role, errors.BAD_RESPONSE, "no `choices` list in the answer")
        self.consecutive_failures = 0
        self.limiter.succeeded()
        if not choices:
            self._failed(role, errors.EMPTY_CHOICES, "the answer had an empty `choices` list")

    def _rate_limited(
        self, role: str, count: int, retry_after: float | None, started: float
    ) -> None:
        self.accounting.error(role, errors.RATE_LIMITED)
        waited = time.monotonic() - started
        pause = 1.0 if retry_after is None else retry_after
        if count > self.max_rate_limited or waited + pause > self.rate_limit_deadline_s:
            detail = f"{count} answers of 429 over {waited:.1f} s (Retry-After {pause:g} s)"
            raise RequestFailed(errors.RATE_LIMITED, self.base_url, count, detail)
        log.info("LLM endpoint %s answered 429; pausing all requests %.2f s", self.base_url, pause)
        self.limiter.penalize(retry_after)

    def _failed(self, role: str, kind: str, detail: str) -> None:
        """Record a failed attempt and raise: transient kinds are retried, the rest are final."""
        detail = redact(detail, self._key)
        self.accounting.error(role, kind)
        if kind in BREAKER_KINDS:
            self.consecutive_failures += 1
            self.last_error = f"{kind}: {detail}"
            if self.consecutive_failures >= self.limits.breaker_failures and not self.breaker_open:
                self.breaker_open = True
                args = (self.base_url, self.consecutive_failures, self.last_error)
                log.error("LLM endpoint %s declared down after %d failures in a row (%s)", *args)
        raise _Transient(kind, detail, final=kind == errors.CLIENT_ERROR)

    def _stored(self) -> None:
        """From the cache's writer thread: one answer is on disk. Wakes the home loop at most
        once per batch of writes."""
        with self._lock:
            loop = self._loop
            if loop is None or loop.is_closed():  # its slots ended with it (see `rebind`)
                self._stored_count = 0
                return
            self._stored_count += 1
            if self._stored_count > 1:  # a wake-up is already on its way
                return
        try:
            loop.call_soon_threadsafe(self._release_stored)
        except RuntimeError:  # the loop closed in the meantime
            with self._lock:
                self._stored_count = 0

    def _release_stored(self) -> None:
        with self._lock:
            count, self._stored_count = self._stored_count, 0
        self.limiter.release(count)

    def _check_breaker(self) -> None:
        if self.breaker_open:
            raise EndpointDown(self.base_url, self.consecutive_failures, self.last_error)


async def _close_on_shutdown(client: openai.AsyncOpenAI | None) -> AsyncIterator[None]:
    """Suspended for the life of a caller's event loop; `asyncio.run` closes async generators
    before it closes the loop, so the HTTP connections are closed there and never leak."""
    try:
        yield
    finally:
        if client is not None:
            await client.close()
