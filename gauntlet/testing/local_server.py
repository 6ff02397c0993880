"""An OpenAI-compatible chat server on 127.0.0.1 for tests and benchmarks.

It answers `POST /v1/chat/completions` from a pluggable Python "model", waits a configurable
latency, and injects faults (429, 500, slow, malformed JSON, bad tool arguments, empty choices)
deterministically from a seed and the request's arrival number, so the LLM layer's retry,
back-off and cache paths can be exercised without a real endpoint. Run it as a process:

    python -m gauntlet.testing.local_server --port 0 --latency-ms 100 --faults '{"rate_limit": 0.1}'

Faults map a kind to a probability, or to `{"p": probability, ...options}`: `rate_limit` takes
`retry_after` (seconds, default 0.2) and `slow` takes `seconds` (default 30).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import importlib
import importlib.util
import json
import random
import socket
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

FAULT_KINDS = (
    "rate_limit",
    "server_error",
    "slow",
    "malformed_json",
    "bad_tool_args",
    "empty_choices",
)
DEFAULT_RETRY_AFTER_S = 0.2
DEFAULT_SLOW_S = 30.0
Model = Callable[[dict[str, Any], str], dict[str, Any]]


def echo_model(body: dict[str, Any], role: str) -> dict[str, Any]:
    """The default model: a short reply, a JSON object when asked for one, or one call to the
    first tool when tools are offered and the user spoke last."""
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    tools = body.get("tools") or []
    if tools and last.get("role") == "user":
        name = tools[0].get("function", {}).get("name", "tool")
        call = {"type": "function", "function": {"name": name, "arguments": "{}"}}
        return {"role": "assistant", "content": None, "tool_calls": [call]}
    text = last.get("content") if isinstance(last.get("content"), str) else ""
    if _wants_json(body):
        return {"role": "assistant", "content": json.dumps({"echo": text[:80], "role": role})}
    return {"role": "assistant", "content": f"echo: {text[:80]}"}


def load_model(spec: str) -> Model:
    """Import `module:function` or `path/to/file.py:function`."""
    module_name, _, attr = spec.rpartition(":")
    if not module_name or not attr:
        raise ValueError(f"--model must look like module:function, got {spec!r}")
    if module_name.endswith(".py"):
        file_spec = importlib.util.spec_from_file_location(Path(module_name).stem, module_name)
        if file_spec is None or file_spec.loader is None:
            raise ValueError(f"cannot load model file {module_name}")
        module = importlib.util.module_from_spec(file_spec)
        file_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    return getattr(module, attr)


def estimate_tokens(obj: Any) -> int:
    """~4 characters of JSON per token: what the usage block reports."""
    return max(1, len(json.dumps(obj, ensure_ascii=False)) // 4)


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _wants_json(body: dict[str, Any]) -> bool:
    fmt = body.get("response_format") or {}
    return isinstance(fmt, dict) and fmt.get("type") in ("json_object", "json_schema")


def _parse_faults(faults: dict[str, Any] | None) -> dict[str, dict[str, float]]:
    """Normalize `{kind: p | {"p": p, ...}}`; unknown kinds are an error, not silently ignored."""
    parsed: dict[str, dict[str, float]] = {}
    for kind, value in (faults or {}).items():
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        spec = dict(value) if isinstance(value, dict) else {"p": value}
        spec["p"] = float(spec.get("p", 0.0))
        parsed[kind] = spec
    if sum(spec["p"] for spec in parsed.values()) > 1.0 + 1e-9:
        raise ValueError("fault probabilities add up to more than 1")
    return parsed


class FakeLLM:
    """The server's state: the model, latency, faults, and what it has seen."""

    def __init__(self, model: Model, latency_ms: float, faults: dict[str, Any] | None, seed: int):
        self.model = model
        self.latency_s = latency_ms / 1000
        self.faults = _parse_faults(faults)
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        """Count from now on: an answer to a request that arrived before is not counted."""
        self.epoch = getattr(self, "epoch", 0) + 1
        self.arrivals = 0
        self.by_status: Counter[str] = Counter()
        self.fault_counts: Counter[str] = Counter()
        self.completions = 0
        self.asked: Counter[str] = Counter()  # arrivals by their last message's text

    def draw_fault(self) -> tuple[str | None, random.Random]:
        """The fault for the next arrival: a function of the seed and the arrival number only,
        so a re-sent identical request draws afresh and can succeed."""
        rng = random.Random(f"{self.seed}:{self.arrivals}")
        self.arrivals += 1
        u = rng.random()
        edge = 0.0
        for kind in FAULT_KINDS:
            spec = self.faults.get(kind)
            if spec:
                edge += spec["p"]
                if u < edge:
                    self.fault_counts[kind] += 1
                    return kind, rng
        return None, rng

    def stats(self) -> dict[str, Any]:
        counts = dict(by_status=dict(self.by_status), faults=dict(self.fault_counts))
        counts["asked"] = dict(self.asked)
        return dict(requests=self.arrivals, **counts, completions=self.completions)

    async def complete(
        self, body: dict[str, Any], role: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(status, JSON body, headers) for one chat completion request."""
        messages = body.get("messages") or [{}]
        self.asked[str(messages[-1].get("content"))] += 1
        fault, rng = self.draw_fault()
        if self.latency_s:
            await asyncio.sleep(self.latency_s)
        if fault == "rate_limit":
            retry_after = self.faults["rate_limit"].get("retry_after", DEFAULT_RETRY_AFTER_S)
            error = _error("Rate limit reached (injected)", "rate_limit_error")
            return 429, error, {"Retry-After": f"{retry_after:g}"}
        if fault == "server_error":
            return 500, _error("Internal error (injected)", "server_error"), {}
        if fault == "slow":
            await asyncio.sleep(self.faults["slow"].get("seconds", DEFAULT_SLOW_S))
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:24]
        if fault == "empty_choices":
            return 200, self._completion(body, digest, [], 0), {}
        try:
            message = dict(self.model(body, role))
        except Exception as exc:  # a model bug shows up in the client's error, not as a hang
            return 500, _error(f"the model raised {type(exc).__name__}: {exc}", "model_error"), {}
        if fault == "malformed_json":
            garbage = (
                '{"answer": "unterminated' if _wants_json(body) else "\x7f~~ garbled ~~ \ufffd%%"
            )
            message = {"role": "assistant", "content": garbage}
        elif fault == "bad_tool_args":
            message = _bad_tool_call(body, rng)
        message.setdefault("role", "assistant")
        message.setdefault("content", None)
        for i, call in enumerate(message.get("tool_calls") or []):
            call.setdefault("id", f"call_{digest[:12]}_{i}")
            call.setdefault("type", "function")
        if not message.get("tool_calls"):
            message.pop("tool_calls", None)
        choice = {
            "index": 0,
            "message": message,
            "logprobs": None,
            "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
        }
        self.completions += 1
        return 200, self._completion(body, digest, [choice], estimate_tokens(message)), {}

    def _completion(
        self, body: dict[str, Any], digest: str, choices: list[Any], completion_tokens: int
    ) -> dict[str, Any]:
        prompt_tokens = estimate_tokens(body.get("messages") or [])
        if body.get("tools"):
            prompt_tokens += estimate_tokens(body["tools"])
        total = prompt_tokens + completion_tokens
        usage = dict(
            prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, total_tokens=total
        )
        head = {"id": f"chatcmpl-{digest}", "object": "chat.completion", "created": 0}
        return {**head, "model": body.get("model", "local"), "choices": choices, "usage": usage}


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": None}}


def _bad_tool_call(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A tool call a role must reject: arguments that are not JSON, or that miss required fields."""
    tools = body.get("tools") or [{"function": {"name": "unknown_tool"}}]
    function = tools[0].get("function", {})
    required = (function.get("parameters") or {}).get("required") or []
    arguments = "{}" if required and rng.random() < 0.5 else '{"broken": '
    call = {
        "type": "function",
        "function": {"name": function.get("name", "tool"), "arguments": arguments},
    }
    return {"role": "assistant", "content": None, "tool_calls": [call]}


def create_app(state: FakeLLM) -> Any:
    """The Starlette app over a FakeLLM."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def chat(request: Request) -> Response:
        epoch = state.epoch  # a straggler from before a stats reset is not counted after it
        try:
            body = json.loads(await request.body())
        except ValueError:
            state.by_status["400"] += 1
            return JSONResponse(_error("body is not JSON", "invalid_request_error"), 400)
        status, payload, headers = await state.complete(
            body, request.headers.get("x-gauntlet-role", "")
        )
        if epoch == state.epoch:
            state.by_status[str(status)] += 1
        return Response(json.dumps(payload), status, headers, media_type="application/json")

    async def stats(request: Request) -> Response:
        return JSONResponse(state.stats())

    async def control(request: Request) -> Response:
        change = await request.json()
        try:
            if "faults" in change:
                state.faults = _parse_faults(change["faults"])
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        if "latency_ms" in change:
            state.latency_s = float(change["latency_ms"]) / 1000
        if change.get("reset_stats"):
            state.reset()
        return JSONResponse(state.stats())

    routes = [
        Route("/v1/chat/completions", chat, methods=["POST"]),
        Route("/stats", stats, methods=["GET"]),
        Route("/control", control, methods=["POST"]),
    ]
    return Starlette(routes=routes)


async def serve(state: FakeLLM, port: int) -> None:
    """Bind 127.0.0.1:port (0 = any free port), print the ready line once accepting, serve."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    # Keep idle connections long (clients reuse them; a server-side close can race a request).
    options = dict(log_level="warning", access_log=False, timeout_keep_alive=300, backlog=2048)
    options.update(timeout_graceful_shutdown=1)  # slow-fault sleepers must not delay a stop
    config = uvicorn.Config(create_app(state), **options)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    await task


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--faults", default="{}", help="JSON map of fault kind -> probability")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default="gauntlet.testing.local_server:echo_model")
    args = parser.parse_args(argv)
    state = FakeLLM(load_model(args.model), args.latency_ms, json.loads(args.faults), args.seed)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(serve(state, args.port))


if __name__ == "__main__":
    main()
