"""LLMClient against the local server: answers, cache, faults survived, breaker, no key leaks."""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from gauntlet.llm.accounting import Accounting
from gauntlet.llm.cache import ResponseCache
from gauntlet.llm.client import LLMClient
from gauntlet.llm.errors import EndpointDown, LLMError, RequestFailed, parse_retry_after, redact
from gauntlet.llm.types import ChatRequest, Endpoint, Limits, Secret
from gauntlet.testing.server_process import LocalServer

KEY = "sk-test-SECRET123"  # the key conftest's clients use


def ask(n: int, tag: str = "q", **fields) -> list[ChatRequest]:
    """`n` distinct requests whose echo names them: 'tag question i'."""
    return [
        ChatRequest(
            role="tester",
            model="local",
            messages=[{"role": "user", "content": f"{tag} question {i}"}],
            **fields,
        )
        for i in range(n)
    ]


def run_all(client: LLMClient, requests: list[ChatRequest]) -> list:
    async def main():
        return await asyncio.gather(*(client.chat(r) for r in requests))

    return asyncio.run(main())


def test_an_answer_is_a_plain_message_with_usage(make_client):
    client = make_client()
    [response] = run_all(client, ask(1, "hello"))
    assert response.message == {"role": "assistant", "content": "echo: hello question 0"}
    assert response.finish_reason == "stop"
    assert response.prompt_tokens > 0 and response.completion_tokens > 0
    assert response.cached is False and response.latency_s > 0
    total = client.accounting.snapshot()["total"]
    assert (total["requests"], total["responses"], total["cache_hits"]) == (1, 1, 0)


def test_tool_calls_come_back_in_the_openai_shape(make_client):
    tools = [
        {"type": "function", "function": {"name": "find_flight", "parameters": {"type": "object"}}}
    ]
    [response] = run_all(make_client(), ask(1, tools=tools))
    assert response.finish_reason == "tool_calls"
    [call] = response.message["tool_calls"]
    assert set(call) == {"id", "type", "function"} and call["type"] == "function"
    assert call["function"] == {"name": "find_flight", "arguments": "{}"}


def test_unpriced_cost_is_unknown_and_priced_cost_is_computed(make_client):
    unpriced = make_client(cache=False)
    [free] = run_all(unpriced, ask(1))
    assert free.cost_usd is None
    assert unpriced.accounting.snapshot()["total"]["cost_usd"] is None  # unknown, never $0

    priced = make_client(cache=False, prices=(2.0, 8.0))  # USD per million tokens
    answers = run_all(priced, ask(3))
    expected = [(r.prompt_tokens * 2.0 + r.completion_tokens * 8.0) / 1e6 for r in answers]
    assert [r.cost_usd for r in answers] == pytest.approx(expected)
    assert priced.accounting.snapshot()["total"]["cost_usd"] == pytest.approx(sum(expected))

    merged = Accounting.from_snapshot(priced.accounting.snapshot())
    merged.merge(unpriced.accounting.snapshot())
    assert merged.snapshot()["total"]["cost_usd"] is None  # one unpriced call makes the sum unknown
    assert merged.snapshot()["total"]["responses"] == 4


def test_warm_rerun_sends_nothing_and_answers_the_same(make_client, server, tmp_path):
    requests = ask(20, "warm")
    with make_client() as cold:
        first = run_all(cold, requests)
    server.configure(reset_stats=True)

    warm = make_client()  # a fresh client and cache object on the same folder: a re-materialization
    second = run_all(warm, requests)
    assert server.stats()["requests"] == 0
    assert all(r.cached and r.latency_s == 0 for r in second)
    assert [r.message for r in second] == [r.message for r in first]
    total = warm.accounting.snapshot()["total"]
    assert (total["requests"], total["cache_hits"]) == (0, 20)


def test_transient_faults_are_survived_and_nothing_is_lost(make_client, server):
    faults = {
        "rate_limit": {"p": 0.1, "retry_after": 0.05},
        "server_error": 0.1,
        "slow": {"p": 0.05, "seconds": 3},
        "empty_choices": 0.1,
    }
    server.configure(faults=faults, reset_stats=True)
    client = make_client(timeout_s=0.3, limits=Limits(concurrency=8, max_retries=8))
    requests = ask(60, "faulty")
    answers = run_all(client, requests)

    assert len(answers) == 60  # N in, N out, each the answer to its own request
    assert [a.message["content"] for a in answers] == [
        f"echo: faulty question {i}" for i in range(60)
    ]
    stats = server.stats()
    assert set(stats["faults"]) == {"rate_limit", "server_error", "slow", "empty_choices"}
    errors = client.accounting.snapshot()["total"]["errors"]
    assert errors["rate_limited"] == stats["faults"]["rate_limit"]
    assert errors["server_error"] == stats["faults"]["server_error"]
    assert errors["empty_choices"] == stats["faults"]["empty_choices"]
    assert errors["timeout"] == stats["faults"]["slow"]
    assert client.accounting.snapshot()["total"]["requests"] == stats["requests"]


def test_content_faults_reach_the_caller_unchanged(make_client, server):
    server.configure(faults={"malformed_json": 0.5}, reset_stats=True)
    answers = run_all(make_client(), ask(30, "json", response_format={"type": "json_object"}))

    def parses(text: str) -> bool:
        try:
            json.loads(text)
            return True
        except ValueError:
            return False

    broken = [a for a in answers if not parses(a.message["content"])]
    assert len(answers) == 30 and len(broken) == server.stats()["faults"]["malformed_json"] > 0

    tool = {
        "name": "book",
        "parameters": {
            "type": "object",
            "required": ["date"],
            "properties": {"date": {"type": "string"}},
        },
    }
    server.configure(faults={"bad_tool_args": 1.0}, reset_stats=True)
    answers = run_all(
        make_client(), ask(10, "tools", tools=[{"type": "function", "function": tool}])
    )
    arguments = [a.message["tool_calls"][0]["function"]["arguments"] for a in answers]
    assert all(not parses(args) or "date" not in json.loads(args) for args in arguments)


def test_retry_after_is_honoured_before_resending(make_client, server):
    server.configure(faults={"rate_limit": {"p": 1.0, "retry_after": 0.4}}, reset_stats=True)
    client = make_client()
    (request,) = ask(1, "retry")

    def arrivals() -> int:  # of this request only: a straggler from another test may also 429
        return server.stats()["asked"].get("retry question 0", 0)

    async def main():
        task = asyncio.create_task(client.chat(request))
        while arrivals() < 1:  # wait for its first answer, a 429 ...
            await asyncio.sleep(0.01)
        server.configure(faults={})  # ... after which the server would accept
        return await task

    started = time.monotonic()
    answer = asyncio.run(main())
    assert answer.message["content"] == "echo: retry question 0"
    assert time.monotonic() - started >= 0.4
    assert arrivals() == 2  # one 429, then one accepted resend: no resend before Retry-After


def test_a_server_that_always_429s_ends_in_a_clear_error_without_a_storm(make_client, server):
    server.configure(faults={"rate_limit": {"p": 1.0, "retry_after": 0.1}}, reset_stats=True)
    client = make_client(rate_limit_deadline_s=0.6)

    async def main():
        return await asyncio.gather(*(client.chat(r) for r in ask(8)), return_exceptions=True)

    outcomes = asyncio.run(main())
    assert all(isinstance(o, RequestFailed) and o.kind == "rate_limited" for o in outcomes)
    assert "429" in str(outcomes[0]) and server.url in str(outcomes[0])
    # Every sender pauses together: about 0.6 / 0.1 rounds, not a blind retry loop.
    assert server.stats()["requests"] <= 8 * 8


def test_breaker_opens_with_a_clear_message_when_the_server_stops(tmp_path):
    with LocalServer() as own:
        url = own.url
        endpoint = Endpoint(url, Secret(KEY), timeout_s=1.0)
        client = LLMClient(
            endpoint,
            Limits(breaker_failures=3, max_retries=5),
            ResponseCache(tmp_path),
            retry_initial_s=0.01,
            retry_max_s=0.05,
        )
        assert client.chat_sync(ask(1)[0]).message["content"] == "echo: q question 0"
    with pytest.raises(EndpointDown) as down:
        client.chat_sync(ask(2)[1])
    message = str(down.value)
    assert url in message and "3 consecutive" in message and "connection" in message
    assert KEY not in message
    started = time.monotonic()
    with pytest.raises(EndpointDown):
        client.chat_sync(ask(3)[2])  # fails fast: no more waiting on a dead endpoint
    assert time.monotonic() - started < 0.1
    assert client.chat_sync(ask(1)[0]).cached  # what was answered is still served from the cache
    client.close()


def test_a_rejected_request_is_not_retried(make_client, server):
    client = make_client(url=server.root + "/no-such-api")
    with pytest.raises(RequestFailed) as failed:
        run_all(client, ask(1))
    assert failed.value.kind == "client_error" and "404" in str(failed.value)
    assert failed.value.__context__ is None  # no chained openai error holding the request
    assert server.stats()["requests"] == 0  # the 404 came from routing, once
    assert client.accounting.snapshot()["total"]["requests"] == 1


def test_the_key_never_leaks(make_client, server, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    server.configure(
        faults={"server_error": 0.3, "rate_limit": {"p": 0.2, "retry_after": 0.01}},
        reset_stats=True,
    )
    client = make_client()
    run_all(client, ask(10))
    with LocalServer() as own:
        dead = LLMClient(
            Endpoint(own.url, Secret(KEY), 0.5),
            Limits(max_retries=1, breaker_failures=2),
            retry_initial_s=0.01,
        )
    errors = []
    with dead:
        for request in ask(3):
            try:
                dead.chat_sync(request)
            except LLMError as exc:
                errors.append(exc)
    assert len(errors) == 3 and caplog.text  # there were failures and logs to look at
    shown = (
        [str(e) for e in errors]
        + [repr(e) for e in errors]
        + [caplog.text, repr(client), repr(dead)]
    )
    shown += [
        json.dumps(client.accounting.snapshot()),
        json.dumps(dead.accounting.snapshot()),
        repr(client.endpoint),
    ]
    assert not [text for text in shown if KEY in text]
    assert all(e.__context__ is None and e.__cause__ is None for e in errors)
    assert client._openai.api_key == KEY  # ...while the real key (not '***') is what is sent


def test_errors_survive_pickling_and_read_well():
    failed = RequestFailed("timeout", "http://127.0.0.1:1/v1", 6, "no answer within 2 s")
    down = EndpointDown("http://127.0.0.1:1/v1", 20, "connection: refused")
    for error in (failed, down):
        copy = pickle.loads(pickle.dumps(error))  # errors cross process boundaries in Dagster
        assert type(copy) is type(error) and str(copy) == str(error)
    assert str(failed).startswith("LLM request to http://127.0.0.1:1/v1 failed after 6 attempt(s)")
    assert "looks down" in str(down) and "connection: refused" in str(down)
    assert redact(f"Authorization: Bearer {KEY}", Secret(KEY)) == "Authorization: Bearer ***"


def test_retry_after_header_forms():
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 < parse_retry_after({"retry-after": in_a_minute}) <= 60
    assert parse_retry_after({}) is None and parse_retry_after({"retry-after": "soon"}) is None


def test_chat_sync_from_many_threads_shares_one_loop(make_client):
    client = make_client(limits=Limits(concurrency=4))
    requests = ask(24, "threaded")
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(client.chat_sync, requests))
    assert [a.message["content"] for a in answers] == [
        f"echo: threaded question {i}" for i in range(24)
    ]
    loops = [t for t in threading.enumerate() if t.name == "gauntlet-llm-loop"]
    assert len(loops) == 1
    client.close()
    assert not loops[0].is_alive()
    with pytest.raises(LLMError, match="closed"):
        client.chat_sync(requests[0])


def test_one_client_serves_successive_event_loops_and_threads(make_client):
    client = make_client()
    assert (
        run_all(client, ask(2, "first run"))[1].message["content"] == "echo: first run question 1"
    )
    assert (
        run_all(client, ask(2, "second run"))[1].message["content"] == "echo: second run question 1"
    )
    assert client.chat_sync(ask(1, "sync")[0]).message["content"] == "echo: sync question 0"
    # Now the client's own loop thread is home: async callers elsewhere are handed over to it.
    assert (
        run_all(client, ask(2, "third run"))[0].message["content"] == "echo: third run question 0"
    )
    assert client.accounting.snapshot()["total"]["responses"] == 7


def test_answers_not_yet_on_disk_count_against_the_concurrency_limit(make_client):
    client = make_client(limits=Limits(concurrency=4))
    worst = 0

    async def main():
        nonlocal worst

        async def watch():  # sent-but-not-stored answers are what a kill -9 would lose
            nonlocal worst
            while True:
                worst = max(worst, client.limiter.in_flight, len(client.cache._pending))
                await asyncio.sleep(0.001)

        watcher = asyncio.create_task(watch())
        answers = await asyncio.gather(*(client.chat(r) for r in ask(40, "stored")))
        client.cache.flush()
        await asyncio.sleep(0.01)  # the writer's "stored" wake-up
        watcher.cancel()
        return answers

    assert len(asyncio.run(main())) == 40
    assert 1 <= worst <= 4 and client.limiter.in_flight == 0  # no slot is ever lost


def test_concurrency_limit_bounds_requests_in_flight(make_client, server):
    server.configure(latency_ms=50, reset_stats=True)
    client = make_client(limits=Limits(concurrency=4))
    peak = 0

    async def main():
        nonlocal peak

        async def watch():
            nonlocal peak
            while True:
                peak = max(peak, client.limiter.in_flight)
                await asyncio.sleep(0.005)

        watcher = asyncio.create_task(watch())
        await asyncio.gather(*(client.chat(r) for r in ask(16)))
        watcher.cancel()

    asyncio.run(main())
    assert peak == 4
