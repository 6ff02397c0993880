"""An agent on any OpenAI-compatible model: a function-calling loop on a step budget.

It serves as the baseline (a small model, sampled k times) or the teacher (a strong one).
Each tool's description ends with the fields it returns, so a model can plan a chain the
way the heuristic baseline does from schemas.
"""

from __future__ import annotations

import json
from typing import Any

from gauntlet import prompts
from gauntlet.agents.base import Episode, Turn, View
from gauntlet.dialogue import phrasing
from gauntlet.graph.fields import fields_of
from gauntlet.llm.settings import RoleSettings
from gauntlet.llm.types import ChatRequest
from gauntlet.llm.usage import Usage

RETURNS_MARK = " Returns: "


def tool_spec(tool: dict[str, Any]) -> dict[str, Any]:
    """The OpenAI `tools` entry: parameters as declared, returned fields listed in the text."""
    returned = ", ".join(
        f.pointer.lstrip("/").replace("/", ".") for f in fields_of(tool["returns"])
    )
    return {
        "type": "function",
        "function": {
            "name": tool["name"],
            "description": tool["description"] + (RETURNS_MARK + returned if returned else ""),
            "parameters": tool["parameters"],
        },
    }


class LLMAgent:
    """Runs the conversation it is given through the model until it answers in text."""

    def __init__(self, client: Any, settings: RoleSettings, role: str, sample: int = 0) -> None:
        self.client = client
        self.settings = settings
        self.role = role
        self.sample = sample
        self.usage = Usage()
        name = settings.model + (f"#{sample}" if sample else "")
        self.identity = {
            "role": "baseline" if role == "baseline" else "teacher",
            "name": name,
            "backend": "llm",
        }

    def _ask(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        seed = None if self.settings.seed is None else self.settings.seed + self.sample
        request = ChatRequest(
            role=self.role,
            model=self.settings.model,
            messages=list(messages),
            tools=tools or None,
            temperature=self.settings.temperature,
            max_tokens=self.settings.max_tokens,
            seed=seed,
            template_hash=prompts.template_hash("agent/system.j2"),
        )
        response = self.client.chat_sync(request)
        self.usage.add(response)
        return response.message

    def episode(self, view: View) -> Episode:
        tools = [tool_spec(t) for t in view.tools]
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": view.system},
            {"role": "user", "content": view.user_message},
        ]
        for _ in range(self.settings.max_steps):
            reply = self._ask(messages, tools)
            calls = reply.get("tool_calls") or []
            messages.append(
                {
                    "role": "assistant",
                    "content": reply.get("content"),
                    **({"tool_calls": calls} if calls else {}),
                }
            )
            if not calls:
                observations = yield Turn(reply.get("content") or "")
                if not observations or observations[0].user is None:
                    return
                messages.append({"role": "user", "content": observations[0].user})
                continue
            parsed = [
                (c["function"]["name"], _arguments(c["function"]["arguments"])) for c in calls
            ]
            observations = yield Turn(reply.get("content"), parsed)
            for call, obs in zip(calls, observations, strict=True):
                body = obs.result if obs.error is None else obs.error
                messages.append(
                    {
                        "role": "tool",
                        "tool_call_id": call["id"],
                        "content": json.dumps(body, ensure_ascii=False),
                    }
                )
        yield Turn(phrasing.give_up("I ran out of steps"))


def _arguments(text: str) -> dict[str, Any] | str:
    """Parsed arguments, or the raw text when the model wrote something that is not an object:
    the trajectory keeps it verbatim and the judge names it a malformed call."""
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return text
    return value if isinstance(value, dict) else text
