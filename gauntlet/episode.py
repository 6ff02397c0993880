"""One episode: agent x simulated user x world, recorded as an OpenAI-style trajectory."""

from __future__ import annotations

import json
from typing import Any

from gauntlet import canonical, prompts
from gauntlet.agents.base import Agent, Observation, Turn, View
from gauntlet.catalog.index import ToolIndex
from gauntlet.dialogue.phrasing import say
from gauntlet.names import label
from gauntlet.users import ScriptedUser
from gauntlet.world.operations import ToolError
from gauntlet.world.worlds import TaskWorld, Worlds

MAX_TURNS = 40


def view_for(task: dict[str, Any], index: ToolIndex) -> View:
    """What the agent starts with; the conversation's context (the signed-in session) is
    in the system message, as a support desk's tooling would show it."""
    context = task.get("context") or {}
    return View(
        system=prompts.render(
            "agent/system.j2",
            domains=[label(d) for d in task["domains"]],
            context=[{"label": label(k), "value": say(v)} for k, v in context.items()],
        ),
        user_message=task["user_message"],
        tools=[index.tools[name] for name in task["tools"]],
        context=dict(context),
    )


def run_episode(
    task: dict[str, Any],
    agent: Agent,
    worlds: Worlds,
    suffix: str | None = None,
    user: Any = None,
) -> dict[str, Any]:
    """Play the episode to its end on a fresh copy of the task's world and return a
    trajectory record (schemas/trajectory).

    `user` is anything with `reply(text) -> str | None`; the scripted user by default.
    """
    world = worlds.open(task["world"], task["faults"])
    user = user or ScriptedUser(task)
    view = view_for(task, worlds.index)
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": view.system},
        {"role": "user", "content": view.user_message},
    ]
    final, error, turns = None, None, 0
    episode = agent.episode(view)
    try:
        turn: Turn = next(episode)
        while True:
            turns += 1
            if turns > MAX_TURNS:
                error = "turn_limit"
                break
            if turn.calls:
                observations = _call_tools(turn, world, messages)
            else:
                messages.append({"role": "assistant", "content": turn.content or ""})
                reply = user.reply(turn.content or "")
                if reply is None:
                    final = turn.content
                    break
                messages.append({"role": "user", "content": reply})
                observations = [Observation(user=reply)]
            turn = episode.send(observations)
    except StopIteration:
        error = error or "agent_stopped"
    name = agent.identity["name"]
    return {
        "id": f"{task['id']}/{suffix or name}",
        "task_id": task["id"],
        "agent": dict(agent.identity),
        "user": dict(user.identity),
        "messages": messages,
        "tools": list(task["tools"]),
        "final_answer": final,
        "world_diff": (change := world.diff()),
        "world_diff_hash": canonical.digest(change),
        "outcome": {
            "completed": final is not None and error is None,
            "steps": turns,
            "error": error,
        },
        "usage": _usage(agent, user),
    }


def _usage(agent: Agent, user: Any) -> dict[str, Any]:
    """What the episode's models spent; offline roles spend nothing we can count."""
    spent = [
        u.as_record() for u in (getattr(agent, "usage", None), getattr(user, "usage", None)) if u
    ]
    if not spent:
        return {"prompt_tokens": None, "completion_tokens": None, "calls": 0, "cost_usd": None}
    costs = [s["cost_usd"] for s in spent]
    return {
        "prompt_tokens": sum(s["prompt_tokens"] for s in spent),
        "completion_tokens": sum(s["completion_tokens"] for s in spent),
        "calls": sum(s["calls"] for s in spent),
        "cost_usd": None if any(c is None for c in costs) else round(sum(costs), 6),
    }


def _arguments_text(args: Any) -> str:
    """Arguments as sent: raw text when the model wrote something that is not an object."""
    return args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)


def _call_tools(turn: Turn, world: TaskWorld, messages: list[dict[str, Any]]) -> list[Observation]:
    start = sum(len(m.get("tool_calls", [])) for m in messages)
    ids = [f"call_{start + i + 1}" for i in range(len(turn.calls))]
    messages.append(
        {
            "role": "assistant",
            "content": turn.content,
            "tool_calls": [
                {
                    "id": cid,
                    "type": "function",
                    "function": {"name": name, "arguments": _arguments_text(args)},
                }
                for cid, (name, args) in zip(ids, turn.calls, strict=True)
            ],
        }
    )
    observations = []
    for cid, (name, args) in zip(ids, turn.calls, strict=True):
        try:
            if isinstance(args, str):
                raise ToolError("invalid_arguments", f"{name}: arguments are not a JSON object")
            result, err = world.call(name, args), None
        except ToolError as exc:
            result, err = None, exc.payload()
        body = result if err is None else err
        messages.append(
            {
                "role": "tool",
                "tool_call_id": cid,
                "name": name,
                "content": json.dumps(body, ensure_ascii=False),
            }
        )
        observations.append(Observation(tool=name, arguments=args, result=result, error=err))
    return observations
