"""The offline dialogue's phrases: how a value is said, and the templates every role speaks.

A user states a value the way people paste one (strings in quotes, anything else as JSON), so
`dialogue.reading` can read it back exactly. Every offline role speaks through here: the task
writer's openers and request verbs, the agents' questions, give-ups and final answers, the
scripted user's replies.
"""

from __future__ import annotations

import json
from typing import Any

from gauntlet import prompts

# The task writer's openers and request verbs; the reader strips and recognizes these.
OPENERS = ("", "Hi! ", "Hello, ", "Hi there. ", "Good morning. ")
REQUESTS = ("Please", "Could you", "I need you to", "I'd like you to", "Can you")
ALSO = "Also,"  # how the writer adds a second request (prompts/task/user_message.j2)
QUESTIONS = ("Could you", "Can you")  # request verbs that make the sentence a question


def say(value: Any) -> str:
    """How a user writes a value: as JSON, so strings are quoted and read back exactly."""
    return json.dumps(value, ensure_ascii=False)


def spoken(pairs: list[tuple[str, Any]]) -> list[dict[str, str]]:
    """(label, value) pairs as the templates take them: the value said."""
    return [{"label": label, "value": say(value)} for label, value in pairs]


def ask(labels: list[str]) -> str:
    """The agent asks the user for details only they have."""
    return prompts.render("agent/ask.j2", labels=labels)


def give_up(reason: str) -> str:
    """The agent stops, saying why."""
    return prompts.render("agent/give_up.j2", reason=reason)


def final(answers: list[tuple[str, Any]]) -> str:
    """The agent's closing message, stating each requested detail."""
    return prompts.render("agent/final.j2", answers=spoken(answers))


def reveal(facts: list[tuple[str, Any]]) -> str:
    """The user's reply to a question: the asked facts, or that they do not know."""
    return prompts.render("user/reveal.j2", facts=spoken(facts))
