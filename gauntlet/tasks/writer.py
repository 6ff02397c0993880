"""The offline task writer: a Jinja template states the goals and facts, never the plan."""

from __future__ import annotations

import json
import re
from typing import Any

from gauntlet import prompts
from gauntlet.seeds import rng

OPENERS = ("", "Hi! ", "Hello, ", "Hi there. ", "Good morning. ")
REQUESTS = ("Please", "Could you", "I need you to", "I'd like you to", "Can you")
WRITER = "offline-template"


def label(name: str) -> str:
    """`passenger_name` -> `passenger name`, `booking_id` -> `booking ID`."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("_", " ").lower()
    return re.sub(r"\bid\b", "ID", text)


def pointer_label(pointer: str) -> str:
    """`/subtotal/amount` -> `subtotal amount`: enough of the path to name the value."""
    parts = [p for p in pointer.split("/") if p and p != "*" and not p.isdigit()][-2:]
    if len(parts) == 2 and parts[0].endswith(parts[1]):
        parts = parts[:1]  # `refund_amount/amount` is the refund amount
    return label("_".join(parts))


def say(value: Any) -> str:
    """How a user writes a value: strings quoted (so they can be read back exactly), JSON else."""
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value, ensure_ascii=False)


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
        question=request in ("Could you", "Can you"),
        facts=[{"label": label(k), "value": say(v)} for k, v in facts],
        criteria=[{"entity": e, "label": label(f), "value": say(v)} for e, f, v in criteria],
        answers=[pointer_label(a) for a in answers],
    ).replace("\n", "")
