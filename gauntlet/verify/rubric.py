"""The llm rubric judge, on top of the rule checks: scores, a rationale, and a verdict.

It fails closed: an unparseable, empty, refused or invalid verdict rejects the record.
"""

from __future__ import annotations

import json
from typing import Any

from gauntlet.dialogue.phrasing import say
from gauntlet.llm.structured import ask_json, prompt_request
from gauntlet.names import pointer_label

TEMPLATE = "judge/rubric.j2"
SNIPPET = 400
SCORES = ("correctness", "faithfulness", "interaction", "efficiency")


def transcript(trajectory: dict[str, Any]) -> list[str]:
    """The conversation as short lines a reviewer can read (the system prompt left out)."""
    lines = []
    for m in trajectory["messages"][1:]:
        if m["role"] == "user":
            lines.append(f"customer: {m['content']}")
        elif m["role"] == "tool":
            lines.append(f"tool {m['name']} -> {m['content'][:SNIPPET]}")
        else:
            if m.get("content"):
                lines.append(f"agent: {m['content']}")
            for call in m.get("tool_calls") or []:
                lines.append(
                    f"agent calls {call['function']['name']}({call['function']['arguments'][:SNIPPET]})"
                )
    return lines


def judge(
    task: dict[str, Any], trajectory: dict[str, Any], client: Any, settings: Any
) -> tuple[dict[str, Any], dict[str, float], str | None]:
    """(check, scores, rationale) for one trajectory; what it cost is in the accounting."""
    request = prompt_request(
        "judge",
        settings,
        TEMPLATE,
        request=task["user_message"],
        transcript=transcript(trajectory),
        expected=[
            f"{pointer_label(a['pointer'])} = {say(a['value'])}"
            for a in task["expected"]["answer_facts"]
        ],
    )
    answer, reason, _ = ask_json(client, request, "judge_rubric")
    if answer is None:
        return (
            {"name": "rubric", "passed": False, "reason": "rubric_unparseable", "detail": reason},
            {},
            None,
        )
    scores = {f"rubric_{k}": float(answer[k]) for k in SCORES}
    passed = answer["verdict"] == "pass"
    check = {
        "name": "rubric",
        "passed": passed,
        "reason": None if passed else "rubric_fail",
        "detail": None if passed else json.dumps(answer["rationale"])[:SNIPPET],
    }
    return check, scores, answer["rationale"]
