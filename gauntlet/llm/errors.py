"""What the LLM layer raises: messages a person can act on, and never the API key."""

from __future__ import annotations

import email.utils
import time
from typing import Any

# Failure kinds: transient ones are retried; the rest are raised at once.
TIMEOUT = "timeout"
CONNECTION = "connection"
SERVER_ERROR = "server_error"
RATE_LIMITED = "rate_limited"
EMPTY_CHOICES = "empty_choices"
CLIENT_ERROR = "client_error"  # 4xx other than 429: the request or the key is wrong
BAD_RESPONSE = "bad_response"  # a 2xx body that is not a chat completion

_HINTS = {
    TIMEOUT: "the endpoint did not answer within the timeout",
    CONNECTION: "could not connect to the endpoint (is the server running and the URL right?)",
    SERVER_ERROR: "the endpoint kept answering with server errors (5xx)",
    RATE_LIMITED: "the endpoint kept answering 429 Too Many Requests; lower the limits or wait",
    EMPTY_CHOICES: "the endpoint kept answering with no choices",
    CLIENT_ERROR: "the endpoint rejected the request (check the model name, parameters and key)",
    BAD_RESPONSE: "the endpoint answered with something that is not a chat completion",
}


def redact(text: str, secret: str | None) -> str:
    """`text` with every occurrence of the secret replaced by `***`."""
    secret = str.__str__(secret) if secret else ""
    return text.replace(secret, "***") if len(secret) >= 4 else text


class LLMError(Exception):
    """Base of every LLM layer error."""


class EndpointDown(LLMError):
    """The circuit breaker is open: too many consecutive failures; every call fails fast."""

    def __init__(self, base_url: str, failures: int, last_error: str):
        self.base_url = base_url
        self.failures = failures
        self.last_error = last_error
        super().__init__(
            f"LLM endpoint {base_url} looks down: {failures} consecutive requests failed "
            f"(last error: {last_error}). Further calls fail fast; check the server and rerun "
            "(answers already received are cached)."
        )

    def __reduce__(self) -> tuple[Any, ...]:  # picklable across processes (Dagster, pools)
        return type(self), (self.base_url, self.failures, self.last_error)


class RequestFailed(LLMError):
    """One request failed for good: its retries (or its 429 deadline) are exhausted, or it was
    rejected outright. `kind` is one of timeout, connection, server_error, rate_limited,
    empty_choices, client_error, bad_response."""

    def __init__(self, kind: str, base_url: str, attempts: int, detail: str):
        self.kind = kind
        self.base_url = base_url
        self.attempts = attempts
        self.detail = detail
        hint = _HINTS.get(kind, kind)
        super().__init__(
            f"LLM request to {base_url} failed after {attempts} attempt(s): {hint} [{kind}]: {detail}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.kind, self.base_url, self.attempts, self.detail)


def parse_retry_after(headers: Any) -> float | None:
    """Seconds from `retry-after-ms` or `Retry-After` (seconds or an HTTP date); None if absent."""
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(0.0, float(ms) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def describe(exc: BaseException) -> str:
    """An exception and its causes in one line (the openai message alone says only
    'Connection error.')."""
    parts: list[str] = []
    seen: set[int] = set()
    texts: set[str] = set()
    while exc is not None and id(exc) not in seen and len(parts) < 4:
        seen.add(id(exc))
        text = str(exc).strip()
        if text not in texts:  # wrappers often repeat their cause's words
            texts.add(text)
            parts.append(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return " <- ".join(parts)
