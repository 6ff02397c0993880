"""The local OpenAI-compatible server: the answer shape, the pluggable model, faults, control."""

from __future__ import annotations

import json
import time

from gauntlet.testing.server_process import LocalServer

HELLO = {
    "model": "local",
    "messages": [{"role": "user", "content": "hello"}],
    "temperature": 0,
    "seed": 1,
}


def test_a_chat_completion_has_the_openai_shape(server):
    status, _, answer = server.chat(HELLO)
    assert status == 200
    assert (
        answer["object"] == "chat.completion"
        and answer["created"] == 0
        and answer["model"] == "local"
    )
    assert answer["id"].startswith("chatcmpl-")
    [choice] = answer["choices"]
    assert choice["message"] == {"role": "assistant", "content": "echo: hello"}
    assert choice["finish_reason"] == "stop"
    usage = answer["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    assert server.chat(HELLO)[2] == answer  # deterministic: same body, same answer


def test_the_echo_model_answers_json_and_calls_tools_when_asked(server):
    _, _, answer = server.chat({**HELLO, "response_format": {"type": "json_object"}}, role="judge")
    assert json.loads(answer["choices"][0]["message"]["content"]) == {
        "echo": "hello",
        "role": "judge",
    }

    tools = [
        {"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}},
        {"type": "function", "function": {"name": "other", "parameters": {"type": "object"}}},
    ]
    _, _, answer = server.chat({**HELLO, "tools": tools, "tool_choice": "auto"})
    [choice] = answer["choices"]
    assert choice["finish_reason"] == "tool_calls"
    [call] = choice["message"]["tool_calls"]
    assert call["type"] == "function" and call["id"].startswith("call_")
    assert call["function"] == {"name": "search", "arguments": "{}"}


def test_any_model_function_can_be_plugged_in_and_sees_the_role(tmp_path):
    model = tmp_path / "shouty.py"
    model.write_text(
        "def respond(body, role):\n"
        "    return {'role': 'assistant', 'content': role.upper() + ': ' + body['messages'][-1]['content']}\n"
    )
    with LocalServer(model=f"{model}:respond") as own:
        _, _, answer = own.chat(HELLO, role="teacher")
    assert answer["choices"][0]["message"]["content"] == "TEACHER: hello"


def test_faults_follow_the_seed_and_the_arrival_order(server):
    server.configure(
        faults={"server_error": 0.3, "rate_limit": {"p": 0.3, "retry_after": 0.5}}, reset_stats=True
    )
    first = [server.chat(HELLO)[0] for _ in range(30)]
    server.configure(reset_stats=True)
    second = [server.chat(HELLO)[0] for _ in range(30)]
    assert first == second  # the same seed and arrival numbers give the same faults
    assert {200, 429, 500} <= set(first)  # and an identical re-sent request can succeed
    stats = server.stats()
    assert stats["requests"] == 30 and stats["by_status"]["429"] == stats["faults"]["rate_limit"]
    assert stats["completions"] == stats["by_status"]["200"]


def test_each_fault_looks_like_the_real_thing(server):
    server.configure(faults={"rate_limit": {"p": 1.0, "retry_after": 0.5}})
    status, headers, answer = server.chat(HELLO)
    assert (status, headers["retry-after"], answer["error"]["type"]) == (
        429,
        "0.5",
        "rate_limit_error",
    )

    server.configure(faults={"empty_choices": 1.0})
    status, _, answer = server.chat(HELLO)
    assert status == 200 and answer["choices"] == []

    server.configure(faults={"malformed_json": 1.0})
    _, _, answer = server.chat({**HELLO, "response_format": {"type": "json_object"}})
    content = answer["choices"][0]["message"]["content"]
    assert content.startswith("{") and not _is_json(content)

    tool = {"name": "book", "parameters": {"type": "object", "required": ["date"]}}
    server.configure(faults={"bad_tool_args": 1.0})
    for _ in range(4):
        _, _, answer = server.chat({**HELLO, "tools": [{"type": "function", "function": tool}]})
        arguments = answer["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
        assert not _is_json(arguments) or "date" not in json.loads(arguments)

    server.configure(faults={"slow": {"p": 1.0, "seconds": 0.3}})
    started = time.monotonic()
    assert server.chat(HELLO)[0] == 200
    assert time.monotonic() - started >= 0.3


def test_control_changes_latency_and_refuses_unknown_faults(server):
    server.configure(latency_ms=200)
    started = time.monotonic()
    server.chat(HELLO)
    assert time.monotonic() - started >= 0.2
    status, _, answer = server.post("/control", {"faults": {"meteor_strike": 0.5}})
    assert status == 400 and "meteor_strike" in answer["error"]


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def test_a_model_that_raises_answers_500_with_the_reason(tmp_path):
    model = tmp_path / "broken.py"
    model.write_text("def respond(body, role):\n    raise KeyError('scenario')\n")
    with LocalServer(model=f"{model}:respond") as own:
        status, _, answer = own.chat(HELLO)
    assert status == 500 and "KeyError" in answer["error"]["message"]
