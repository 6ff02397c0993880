"""The chat completion wire format: what the client and the cache keep of an answer."""

from __future__ import annotations

from typing import Any

from gauntlet import canonical


def payload(data: dict[str, Any]) -> dict[str, Any]:
    """What the cache keeps of an answer: the first choice's message as a plain dict, and usage."""
    choice = data["choices"][0] if isinstance(data["choices"][0], dict) else {}
    raw = choice.get("message") or {}
    message: dict[str, Any] = {"role": "assistant", "content": raw.get("content")}
    calls = raw.get("tool_calls") or []
    if calls:
        message["tool_calls"] = [tool_call(call) for call in calls if isinstance(call, dict)]
    usage = data.get("usage") or {}
    return {
        "message": message,
        "finish_reason": choice.get("finish_reason"),
        "prompt_tokens": int(usage.get("prompt_tokens") or 0),
        "completion_tokens": int(usage.get("completion_tokens") or 0),
        "model": data.get("model"),
        "id": data.get("id"),
    }


def tool_call(call: dict[str, Any]) -> dict[str, Any]:
    """The OpenAI tool call shape; arguments stay the server's string, bad JSON included (the
    role decides what is valid), and only a non-string is serialized."""
    function = call.get("function") or {}
    arguments = function.get("arguments")
    if not isinstance(arguments, str):
        arguments = canonical.dumps(arguments if arguments is not None else {})
    return {
        "id": call.get("id"),
        "type": "function",
        "function": {"name": function.get("name"), "arguments": arguments},
    }
