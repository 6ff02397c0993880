"""What every agent speaks: it sees a `View`, yields `Turn`s, and is sent what happened.

An agent's episode is a generator: it yields an assistant turn (tool calls, or text for
the user) and receives the observations that turn produced: tool results for calls, the
user's reply for text. Offline and llm agents fit the same loop in `rollout.py`.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class View:
    """What the agent is given: instructions, the opening message, the tool menu, and what
    the conversation's context already says (the signed-in session), also in `system`."""

    system: str
    user_message: str
    tools: list[dict[str, Any]]
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Turn:
    """One assistant message: text, tool calls (name, arguments), or both."""

    content: str | None = None
    calls: list[tuple[str, dict[str, Any] | str]] = field(
        default_factory=list
    )  # str: raw, unparseable


@dataclass
class Observation:
    """A tool's answer (`result` or `error`) or the user's reply (`user`)."""

    tool: str | None = None
    arguments: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    user: str | None = None


Episode = Generator[Turn, list[Observation], None]


class Agent(Protocol):
    identity: dict[str, str]

    def episode(self, view: View) -> Episode: ...
