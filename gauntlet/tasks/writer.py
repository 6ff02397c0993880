"""The offline task writer: a Jinja template states the goals and facts, never the plan."""

from __future__ import annotations

import re
from typing import Any

from gauntlet import prompts
from gauntlet.dialogue.phrasing import OPENERS, QUESTIONS, REQUESTS, say
from gauntlet.names import label, pointer_label
from gauntlet.seeds import rng

WRITER = "offline-template"


def goal_phrase(tool: dict[str, Any], tool_names: set[str]) -> str:
    """The first sentence of the description, as a request, with any tool names removed."""
    first = re.split(r"(?<=[.!?])\s", tool["description"].strip(), maxsplit=1)[0].rstrip(".!? ")
    first = re.sub(r"\s*\([^)]*\)", "", first)
    words = [w for w in first.split() if w.strip(",.;:") not in tool_names]
    text = " ".join(words)
    return text[:1].lower() + text[1:]


def write(
    *,
    seed: int,
    goals: list[str],
    facts: list[tuple[str, Any]],
    criteria: list[tuple[str, str, Any]],
    answers: list[str],
) -> str:
    """The user's opening message for the given goals, stated facts, criteria and answers."""
    r = rng(seed, "writer")
    request = r.choice(REQUESTS)
    return prompts.render(
        "task/user_message.j2",
        opener=r.choice(OPENERS),
        request=request,
        goals=goals,
        question=request in QUESTIONS,
        facts=[{"label": label(k), "value": say(v)} for k, v in facts],
        criteria=[{"entity": e, "label": label(f), "value": say(v)} for e, f, v in criteria],
        answers=[pointer_label(a) for a in answers],
    ).replace("\n", "")
