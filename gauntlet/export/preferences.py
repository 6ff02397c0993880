"""The `preferences` Hub config: on the same task, the verified teacher trajectory (chosen)
against the baseline's failed attempt at the kept difficulty level (rejected).

The baseline's attempt is made again by the export stage (`stages.export`), exactly as the
ladder played it. A pair is kept only when `verify.rules` fails that trajectory: a task the
baseline now solves (an llm writer rewrote its message, say) gives no pair, and is counted
with its reason.

A row: `id`, `task_id`, `prompt` (the system and first user messages), `chosen` and
`rejected` (the rest of each conversation), `tools` (JSON text, as in `sft`) and
`difficulty_level`. Messages use `sft.MESSAGE`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from gauntlet.catalog.index import ToolIndex
from gauntlet.export import hub, sft
from gauntlet.verify import rules

CONFIG = "preferences"
PREFERENCE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("task_id", pa.string()),
        ("prompt", pa.list_(sft.MESSAGE)),
        ("chosen", pa.list_(sft.MESSAGE)),
        ("rejected", pa.list_(sft.MESSAGE)),
        ("tools", pa.string()),
        ("difficulty_level", pa.int64()),
    ]
)
# Why a kept task gave no pair.
BASELINE_PASSED = "baseline_passed"  # the baseline solved the task when re-run at export
PROMPT_MISMATCH = "prompt_mismatch"  # the two conversations do not open the same way
NO_PROMPT = "no_prompt"  # a conversation without an opening user message


@dataclass
class Pairs:
    """The pair rows, and every kept task that gave none: `{"id", "reason", "detail"}`."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)  # the baseline's first failed check

    def stats(self) -> dict[str, Any]:
        """What the card and the asset metadata report."""
        return {
            "tasks": len(self.rows) + len(self.skipped),
            "pairs": len(self.rows),
            "skipped": dict(sorted(Counter(s["reason"] for s in self.skipped).items())),
            "baseline_failures": dict(sorted(self.failures.items())),
        }


def split_prompt(messages: list[Mapping[str, Any]]) -> tuple[list, list]:
    """(leading system messages + the first user message, everything after it).

    Raises ValueError when no user message follows the system messages.
    """
    start = 0
    while start < len(messages) and messages[start]["role"] == "system":
        start += 1
    if start >= len(messages) or messages[start]["role"] != "user":
        raise ValueError(f"messages[{start}] is not the opening user message")
    return list(messages[: start + 1]), list(messages[start + 1 :])


def pair(
    record: Mapping[str, Any],
    attempt: Mapping[str, Any],
    index: ToolIndex,
    tools: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, Any], str | None] | tuple[str, str]:
    """(the pair row, the baseline's first failed check) for a kept record and the baseline's
    attempt, or (skip reason, detail) when they make no pair."""
    task, chosen = record["task"], record["trajectory"]
    checks = rules.verify(task, dict(attempt), index)
    if rules.passed(checks):
        return BASELINE_PASSED, "the baseline solved the kept level when re-run at export"
    try:
        prompt, chosen_rest = split_prompt(chosen["messages"])
        baseline_prompt, rejected_rest = split_prompt(attempt["messages"])
    except ValueError as exc:
        return NO_PROMPT, str(exc)
    if baseline_prompt != prompt:
        return PROMPT_MISMATCH, "the teacher and the baseline were not given the same opening"
    return {
        "id": f"{chosen['id']}-vs-{attempt['agent']['name']}",
        "task_id": task["id"],
        "prompt": sft.message_rows(prompt),
        "chosen": sft.message_rows(chosen_rest),
        "rejected": sft.message_rows(rejected_rest),
        "tools": sft.tools_json(list(task["tools"]), tools),
        "difficulty_level": int(task["difficulty"]["level"]),
    }, rules.first_failure(checks)


def pairs_from(
    records: list[Mapping[str, Any]],
    attempts: list[Mapping[str, Any] | tuple[str, str]],
    tools: list[Mapping[str, Any]],
) -> Pairs:
    """Pair every kept record with the baseline's attempt at its task, in input order.

    An attempt is the baseline's trajectory, or (skip reason, detail) when none could be had.
    """
    index = ToolIndex(list(tools))
    by_name = {tool["name"]: tool for tool in tools}
    out = Pairs()
    for record, outcome in zip(records, attempts, strict=True):
        made = outcome if isinstance(outcome, tuple) else pair(record, outcome, index, by_name)
        if isinstance(made[0], dict):
            out.rows.append(made[0])
            out.failures[made[1] or "unknown"] += 1
        else:
            out.skipped.append({"id": record["task"]["id"], "reason": made[0], "detail": made[1]})
    return out


def write_preferences(folder: Path, pairs: Pairs, splits: Mapping[str, str]) -> dict[str, int]:
    """Write `data/preferences/`; `splits` is task id -> split (the folder's one mapping)."""
    split_of = {row["id"]: splits[row["task_id"]] for row in pairs.rows}
    return hub.write_config(folder, CONFIG, pairs.rows, PREFERENCE_SCHEMA, split_of)
