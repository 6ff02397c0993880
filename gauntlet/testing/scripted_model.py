"""The model the local test server runs: a deterministic stand-in for each role.

It reads only what a real model would get (the request body) and answers in the same
shapes: the agents replay the heuristic policy over the transcript (a wider step budget for
the teacher), the user reveals what it is asked, the writer paraphrases, the judge grades.
It lets the llm backends run end to end here, where no real endpoint exists.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gauntlet.agents.base import Observation, View
from gauntlet.agents.heuristic import HeuristicBaseline
from gauntlet.agents.llm import RETURNS_MARK
from gauntlet.dialogue import phrasing, reading
from gauntlet.users import STOP

BUDGETS = {"baseline": 6, "teacher": 12}
FACT_LINE = re.compile(r"^- (?P<label>[^:]+): (?P<value>.*?)(?P<hidden> \(only if asked\))?$", re.M)


def respond(body: dict[str, Any], role: str) -> dict[str, Any]:
    """The assistant message for one chat completion request."""
    if role in BUDGETS:
        return _agent(body, BUDGETS[role])
    if role == "user":
        return _text(_user(body["messages"]))
    if role == "writer":
        return _text(json.dumps({"message": _paraphrase(body["messages"][-1]["content"])}))
    if role == "judge":
        return _text(json.dumps(_grade(body["messages"][-1]["content"])))
    return _text("ok")


def _text(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


def _tools(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tool dicts back from OpenAI specs: returned fields come from the description's list."""
    tools = []
    for spec in specs or []:
        fn = spec["function"]
        description, _, returned = fn.get("description", "").partition(RETURNS_MARK)
        returns: dict[str, Any] = {"type": "object", "properties": {}}
        for path in filter(None, (p.strip() for p in returned.split(","))):
            node = returns
            parts = path.split(".")
            for i, part in enumerate(parts):
                if part == "*":
                    continue
                last = i == len(parts) - 1
                is_list = not last and parts[i + 1] == "*"
                child = (
                    {"type": "string"}
                    if last
                    else (
                        {"type": "array", "items": {"type": "object", "properties": {}}}
                        if is_list
                        else {"type": "object", "properties": {}}
                    )
                )
                node = node["properties"].setdefault(part, child)
                node = node["items"] if node.get("type") == "array" else node
        tools.append(
            {
                "name": fn["name"],
                "description": description,
                "parameters": fn.get("parameters", {}),
                "returns": returns,
            }
        )
    return tools


def _agent(body: dict[str, Any], budget: int) -> dict[str, Any]:
    """Replay the heuristic policy through the transcript, then take its next turn."""
    messages = body["messages"]
    view = View(messages[0]["content"], messages[1]["content"], _tools(body.get("tools")))
    episode = HeuristicBaseline(budget).episode(view)
    try:
        turn = next(episode)
        i = 2
        while i < len(messages):
            said = messages[i]
            i += 1
            if said.get("tool_calls"):
                n = len(said["tool_calls"])
                observations = [_observation(m) for m in messages[i : i + n]]
                i += n
            elif i < len(messages) and messages[i]["role"] == "user":
                observations = [Observation(user=messages[i]["content"])]
                i += 1
            else:
                observations = []
            turn = episode.send(observations)
    except StopIteration:
        return _text("Thanks, that is everything.")
    if not turn.calls:
        return _text(turn.content or "")
    return {
        "role": "assistant",
        "content": turn.content,
        "tool_calls": [
            {
                "id": f"call_{len(messages)}_{k}",
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                },
            }
            for k, (name, args) in enumerate(turn.calls)
        ],
    }


def _observation(message: dict[str, Any]) -> Observation:
    try:
        body = json.loads(message.get("content") or "{}")
    except json.JSONDecodeError:
        body = {
            "error": {"code": "unreadable", "message": message.get("content"), "retryable": False}
        }
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return Observation(error=body)
    return Observation(result=body if isinstance(body, dict) else {"value": body})


def _user(messages: list[dict[str, Any]]) -> str:
    """The persona's facts (`- label: value` lines of its prompt), revealed when asked."""
    facts = [
        (m["label"], reading.heard(m["value"])) for m in FACT_LINE.finditer(messages[0]["content"])
    ]
    asked = messages[-1]["content"]
    if "?" not in asked:
        return STOP
    return phrasing.reveal(
        [(label, value) for label, value in facts if label.lower() in asked.lower()]
    )


def _paraphrase(prompt: str) -> str:
    original = prompt.split("<<<", 1)[-1].rsplit(">>>", 1)[0].strip()
    for opener in phrasing.OPENERS:
        original = original.removeprefix(opener)
    return f"Hey, quick one. {original}"


def _grade(prompt: str) -> dict[str, Any]:
    agent_lines = [line for line in prompt.splitlines() if line.startswith("agent: ")]
    gave_up = any("sorry" in line.lower() for line in agent_lines)
    score = 2 if gave_up else 5
    return {
        "correctness": score,
        "faithfulness": 5,
        "interaction": 4 if gave_up else 5,
        "efficiency": 4,
        "rationale": "The agent gave up."
        if gave_up
        else "The request was carried out and reported faithfully.",
        "verdict": "fail" if gave_up else "pass",
    }
