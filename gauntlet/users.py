"""Simulated users. The scripted one knows the task's facts and reveals one only when asked."""

from __future__ import annotations

from typing import Any

from gauntlet import prompts
from gauntlet.dialogue import phrasing
from gauntlet.llm.types import ChatRequest
from gauntlet.llm.usage import Usage


class ScriptedUser:
    """Answers questions about facts it holds; says it doesn't know anything else."""

    identity = {"name": "scripted", "backend": "offline"}

    def __init__(self, task: dict[str, Any]) -> None:
        self.facts = task["facts"]
        self.revealed: set[str] = set()

    def reply(self, assistant_text: str) -> str | None:
        """The user's next message, or None when the agent's message needs no answer."""
        if "?" not in assistant_text:
            return None
        text = assistant_text.lower()
        asked = [f for f in self.facts if f["label"].lower() in text]
        self.revealed |= {f["key"] for f in asked}
        return phrasing.reveal([(f["label"], f["value"]) for f in asked])


STOP = "###STOP###"
MAX_ASKS = 3


class LLMUser:
    """A persona on a model, holding the same facts under the same reveal rule.

    The model's reply is checked, not trusted: a reply that ends the conversation while the
    agent is asking something, or that gives away a withheld fact nobody asked for, is re-asked;
    after `MAX_ASKS` the scripted user answers instead, so the rule holds whatever the model does.
    """

    def __init__(self, task: dict[str, Any], client: Any, settings: Any) -> None:
        self.client, self.settings = client, settings
        self.facts = task["facts"]
        self.identity = {"name": settings.model, "backend": "llm"}
        self.usage = Usage()
        self.fallback = ScriptedUser(task)
        persona = prompts.render(
            "user/persona.j2",
            goal=task["user_message"],
            facts=[
                {"label": f["label"], "value": phrasing.say(f["value"]), "withheld": f["withheld"]}
                for f in self.facts
            ],
        )
        self.history: list[dict[str, Any]] = [
            {"role": "system", "content": persona},
            {"role": "assistant", "content": task["user_message"]},
        ]

    def _acceptable(self, text: str, agent_text: str) -> bool:
        if not text:
            return False
        if STOP in text:
            return "?" not in agent_text  # never hang up on a question
        asked = agent_text.lower()
        for fact in self.facts:
            if (
                fact["withheld"]
                and fact["label"].lower() not in asked
                and str(fact["value"]) in text
            ):
                return False
        return True

    def reply(self, assistant_text: str) -> str | None:
        self.history.append({"role": "user", "content": assistant_text})
        for attempt in range(MAX_ASKS):
            request = ChatRequest(
                role="user",
                model=self.settings.model,
                messages=list(self.history),
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
                seed=self.settings.seed,
                template_hash=prompts.template_hash("user/persona.j2"),
                attempt=attempt,
            )
            response = self.client.chat_sync(request)
            self.usage.add(response)
            text = (response.message.get("content") or "").strip()
            if self._acceptable(text, assistant_text):
                break
        else:
            text = self.fallback.reply(assistant_text) or STOP
        if STOP in text:
            return None
        self.history.append({"role": "assistant", "content": text})
        return text
