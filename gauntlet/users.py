"""Simulated users. The scripted one knows the task's facts and reveals one only when asked."""

from __future__ import annotations

from typing import Any

from gauntlet import prompts
from gauntlet.tasks.writer import say


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
        return prompts.render(
            "user/reveal.j2",
            facts=[{"label": f["label"], "value": say(f["value"])} for f in asked],
        )
