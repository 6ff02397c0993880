"""Answers that must be JSON: validated against a schema in `schemas/`, re-asked a bounded
number of times, and then failed closed with a reason (never a guessed default)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from gauntlet import prompts, records
from gauntlet.llm.types import ChatRequest

MAX_ATTEMPTS = 3


def prompt_request(role: str, settings: Any, template: str, **context: Any) -> ChatRequest:
    """A one-message request: the rendered template as the user turn, keyed by its hash."""
    return ChatRequest(
        role=role,
        model=settings.model,
        messages=[{"role": "user", "content": prompts.render(template, **context)}],
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        seed=settings.seed,
        template_hash=prompts.template_hash(template),
    )


def ask_json(
    client: Any,
    request: ChatRequest,
    schema: str,
    attempts: int = MAX_ATTEMPTS,
    check: Callable[[dict[str, Any]], str | None] | None = None,
) -> tuple[dict[str, Any] | None, str | None, list[Any]]:
    """(answer, None, responses) when valid; (None, reason, responses) after `attempts` tries.

    Each re-ask bumps `attempt`, so the cache keeps the bad answer's key apart and a rerun
    replays exactly the same sequence of answers.
    """
    responses = []
    reason = "empty"
    for attempt in range(attempts):
        response = client.chat_sync(
            replace(request, attempt=attempt, response_format={"type": "json_object"})
        )
        responses.append(response)
        content = response.message.get("content")
        if not content or not content.strip():
            reason = "empty"
            continue
        try:
            answer = json.loads(content)
        except json.JSONDecodeError:
            reason = "unparseable"
            continue
        problems = records.errors(schema, answer)
        if problems:
            reason = f"invalid: {problems[0]}"
            continue
        problem = check(answer) if check else None
        if problem:
            reason = problem
            continue
        return answer, None, responses
    return None, reason, responses
