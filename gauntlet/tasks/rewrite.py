"""The llm task writer: rewrites the templated message in natural language, and is checked.

A rewrite is rejected when a stated fact is missing (the user must still say everything the
agent needs) or when the hidden plan leaks into it (a tool name, or a withheld value).
"""

from __future__ import annotations

from typing import Any

from gauntlet.dialogue.phrasing import say
from gauntlet.llm.structured import ask_json, prompt_request
from gauntlet.tasks.build import TaskRejected

TEMPLATE = "task/rewrite.j2"


def _shown(value: Any) -> str:
    """A fact as the rewrite must carry it: strings verbatim, other values as JSON."""
    return value if isinstance(value, str) else say(value)


def problems(message: str, task: dict[str, Any], tool_names: set[str]) -> str | None:
    """Why a rewritten message cannot stand in for the templated one, or None."""
    for fact in task["facts"]:
        shown = _shown(fact["value"])
        if fact["withheld"]:
            if str(fact["value"]) in message:
                return f"leaks withheld fact {fact['label']}"
        elif shown not in message:
            return f"drops fact {fact['label']}"
    leaked = sorted(n for n in tool_names if n in message)
    if leaked:
        return f"names tool {leaked[0]}"
    return None


def rewrite(task: dict[str, Any], client: Any, settings: Any, tool_names: set[str]) -> str:
    """The rewritten opening message; raises TaskRejected (`rewrite_rejected`) otherwise."""
    request = prompt_request(
        "writer",
        settings,
        TEMPLATE,
        message=task["user_message"],
        facts=[
            {"label": f["label"], "value": _shown(f["value"])}
            for f in task["facts"]
            if not f["withheld"]
        ],
    )
    answer, reason, _ = ask_json(
        client, request, "task_rewrite", check=lambda a: problems(a["message"], task, tool_names)
    )
    if answer is None:
        raise TaskRejected("rewrite_rejected", reason or "no answer")
    return answer["message"]
