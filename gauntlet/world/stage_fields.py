"""Fields named for a stage of a row's lifecycle, which exist only once the row got there.

A `shipped_at` on an order still being prepared, a `rejection_reason` on an approved access
request, a `decided_at` and "Approved, enjoy your time off." on a leave request still pending:
each is a world contradicting itself. A field belongs to a stage when its name is the stage's
name plus a timestamp tail (`shipped_at`), or, for the stages that end a row
(`outcome_reasons`), a word that reads as that state plus a reason tail (`cancellation_reason`). `decided_at` and `decision_comment` belong to the first
decision state the lifecycle has (approved, rejected...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from gauntlet.names import words
from gauntlet.world.lifecycle import state_of
from gauntlet.world.row_spec import R
from gauntlet.world.state import Row
from gauntlet.world.timeline import STAMP_TAILS, now_as
from gauntlet.world.world_words import WORLD

REASON_TAILS = frozenset({"reason", "comment", "comments", "explanation"})
DECISION_STEMS = frozenset({"decided", "decision", "reviewed"})
DECISION_STATES = ("approved", "rejected", "accepted", "declined", "denied")


def stage_fields(row: Row, lifecycle: dict[str, Any]) -> dict[str, str]:
    """The row's fields named for a stage of its lifecycle, by field (`shipped_at` -> shipped,
    `rejection_reason` -> rejected, `decided_at` -> the first decision state)."""
    values = [str(v) for v in lifecycle.get("values", [])]
    by_state = {}
    for v in values:
        by_state.setdefault(state_of(v), v)
    decision = next((by_state[s] for s in DECISION_STATES if s in by_state), None)
    out = {}
    for f in row:
        ws = words(f)
        if len(ws) < 2:
            continue
        stem = "_".join(ws[:-1])
        if stem in DECISION_STEMS and (ws[-1] in STAMP_TAILS or ws[-1] in REASON_TAILS):
            stage = decision
        elif ws[-1] in STAMP_TAILS:  # by the value's own name: `delivery_date` may be a plan
            stage = stem if stem in values else None
        elif ws[-1] in REASON_TAILS and state_of(stem, whole=True) in WORLD["outcome_reasons"]:
            stage = by_state.get(state_of(stem, whole=True))
        else:
            stage = None
        if stage is not None:
            out[f] = stage
    return out


def unreached(row: Row, lifecycle: dict[str, Any]) -> None:
    """Clear the fields of the stages the row's status has not reached (no `delivered_at` on an
    order being prepared, no `decided_at` on a pending request), and make a decision's text
    agree with the decision the status records."""
    status = row.get(lifecycle.get("field", "status"))
    for f, stage in stage_fields(row, lifecycle).items():
        if stage != status and not passed(lifecycle, status, stage):
            row[f] = None
        elif isinstance(row[f], str) and words(f)[-1] in REASON_TAILS:
            row[f] = _agreeing(row[f], status)


def stamp(
    row: Row, lifecycle: dict[str, Any], now: dt.date, schema_of: Callable[[str], Any]
) -> None:
    """An action moved the row to a stage: its timestamp for that stage is now."""
    status = row.get(lifecycle.get("field", "status"))
    for f, stage in stage_fields(row, lifecycle).items():
        if stage == status and words(f)[-1] in STAMP_TAILS:
            as_date = (schema_of(f) or {}).get("format") == "date"
            row[f] = now_as(None, now, "date" if as_date else "at")


def stamp_decision(row: Row, now: dt.date) -> None:
    """A decision was just made: when it was decided is now (also where it was still unset)."""
    for f in row:
        ws = words(f)
        decided = ws[0] in DECISION_STEMS or state_of(ws[0]) in DECISION_STATES
        if len(ws) == 2 and decided and ws[1] in STAMP_TAILS and _stampable(row[f]):
            row[f] = now_as(row[f], now, ws[1])


def _stampable(value: Any) -> bool:
    return value is None or isinstance(value, str)


def passed(lifecycle: dict[str, Any], status: Any, stage: str) -> bool:
    """Has a row in `status` been through `stage`? (A delivered order was shipped; a
    cancelled one was not delivered.)"""
    order = lifecycle.get("order") or {}
    terminal = set(lifecycle.get("terminal", []))
    if status not in order or stage not in order or stage in terminal:
        return False
    return order[stage] < order[status]


def _agreeing(text: str, status: Any) -> str | None:
    """A text that opens with a decision ("Approved, ...") says the status's decision: another
    line of its word list that does, or none at all."""
    said = state_of(words(text)[0]) if words(text) else None
    now = state_of(str(status)) if status is not None else None
    if said not in DECISION_STATES or said == now:
        return text
    pool = _pool_of(text)
    return next((t for t in pool if words(t) and state_of(words(t)[0]) == now), None)


def _pool_of(text: str, node: Any = R) -> list[str]:
    """The word list of `data/words/realism.yaml` that holds `text`, or []."""
    if isinstance(node, list):
        return node if text in node else []
    if isinstance(node, dict):
        for value in node.values():
            if found := _pool_of(text, value):
                return found
    return []
