"""An exported trajectory read the way a researcher reads it: is the world in it coherent?

Six kinds of defect, each found from the trajectory, its task and the task's initial world:
- identity: an answer shows another person as the user (their id where the user's should be);
- ownership: the episode changed a row that is not the user's own (or a shared one);
- money: two currencies in one answer, a line total that is not price x quantity, a fee not
  smaller than the amount it is charged on, a refund above what was paid;
- time: an end before its start, a birthday that makes the person a minor or unborn;
- lifecycle: a row in a finished state with its appointment still to come, a checked-in or
  in-progress one whose start is still ahead, a stage's timestamp (`delivered_at`) on a row
  that has not reached that stage, or the reason for an ending (`rejection_reason`) on a row
  that did not end that way;
- realism: marketing catch-phrases or lorem ipsum where a real value should be.

Used by the tests on every exported trajectory of a default run, and to measure defect rates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from faker.providers.company.en_US import Provider as Company

from gauntlet.names import words
from gauntlet.world.lifecycle import happened, state_of, under_way
from gauntlet.world.operations import DECISION_WORDS
from gauntlet.world.render import owner_of
from gauntlet.world.stage_fields import DECISION_STEMS, REASON_TAILS
from gauntlet.world.world_words import WORLD
from gauntlet.world.worlds import Worlds

KINDS = ("identity", "ownership", "money", "time", "lifecycle", "realism")
PAIRS = (("start", "end"), ("check_in", "check_out"), ("departure", "arrival"), ("from", "to"))
ADULT_YEARS = 18


def audit(record: dict[str, Any], worlds: Worlds) -> list[tuple[str, str]]:
    """Every defect found in one judged record `{task, trajectory, ...}`, as (kind, detail)."""
    task, trajectory = record["task"], record["trajectory"]
    world = worlds.open(task["world"])
    me, now = task["world"]["me"], dt.date.fromisoformat(task["world"]["now"])
    schema = worlds.schemas[task["world"]["domain"]]
    found: list[tuple[str, str]] = []
    for tool, args, answer in _answers(trajectory):
        found += answer_defects(tool, answer, schema, now, me, args)
    found += _ownership(trajectory["world_diff"], world, me)
    return found


def answer_defects(
    tool: str, answer: Any, schema: dict[str, Any], now: dt.date, me: Any, args: Any = None
) -> list[tuple[str, str]]:
    """What is wrong with one tool answer of a world of this schema, for the user `me` (who
    may look a colleague up by their id in `args`, but is never answered as someone else)."""
    key_field = _principal_key(schema)
    stages = _lifecycles(schema)
    found: list[tuple[str, str]] = []
    for obj in _objects(answer):
        found += _money(tool, obj) + _time(tool, obj, now) + _lifecycle(tool, obj, now, stages)
    asked = (args or {}).get(key_field) if isinstance(args, dict) else None
    if isinstance(answer, dict) and key_field and answer.get(key_field) not in (None, me, asked):
        found.append(("identity", f"{tool}: {key_field} {answer[key_field]} is not {me}"))
    return found + _realism(tool, answer)


def _answers(trajectory: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(tool, arguments, answer) of every call that answered."""
    sent = {}
    for message in trajectory["messages"]:
        for call in message.get("tool_calls") or []:
            try:
                sent[call["id"]] = json.loads(call["function"]["arguments"])
            except json.JSONDecodeError:
                sent[call["id"]] = None
        if message["role"] == "tool":
            try:
                body = json.loads(message["content"])
            except json.JSONDecodeError:
                continue
            if not (isinstance(body, dict) and set(body) == {"error"}):
                yield message.get("name", "?"), sent.get(message.get("tool_call_id")), body


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def _principal_key(schema: dict[str, Any]) -> str | None:
    res = next((r for r in schema["resources"] if r["name"] == schema["principal"]), None)
    return res["key"]["field"] if res else None


def _amount(value: Any) -> float | None:
    if isinstance(value, dict):
        value = value.get("amount")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _money(tool: str, obj: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    codes = {
        c for o in _objects(obj) for k, c in o.items() if k == "currency" and isinstance(c, str)
    }
    if len(codes) > 1 and any(isinstance(v, (dict, list)) for v in obj.values()):
        out.append(("money", f"{tool}: one answer in {sorted(codes)}"))
    price, qty, line = (_amount(obj.get(k)) for k in ("unit_price", "quantity", "line_total"))
    if None not in (price, qty, line) and abs(price * qty - line) > 0.011:
        out.append(("money", f"{tool}: line total {line} is not {price} x {qty:g}"))
    gross = next((_amount(v) for k, v in obj.items() if "gross" in words(k)), None)
    net = next((_amount(v) for k, v in obj.items() if "net" in words(k)), None)
    if gross is not None and net is not None and net > gross:
        out.append(("money", f"{tool}: net {net} is more than gross {gross}"))
    amount = _amount(obj.get("amount"))
    for name, value in obj.items():
        fee = _amount(value) if "fee" in words(name) else None
        if fee is not None and amount is not None and amount > 0 and fee >= amount:
            out.append(("money", f"{tool}: {name} {fee} is not smaller than amount {amount}"))
    return out


def _time(tool: str, obj: dict[str, Any], now: dt.date) -> list[tuple[str, str]]:
    out = []
    for start, end in PAIRS:
        a, b = _field_with(obj, start), _field_with(obj, end)
        if a and b and _when(obj[a]) and _when(obj[b]) and _when(obj[b]) < _when(obj[a]):
            out.append(("time", f"{tool}: {b} {obj[b]} is before {a} {obj[a]}"))
    for name, value in obj.items():
        born = _when(value) if "birth" in words(name) or name == "dob" else None
        if born is not None and (now - born.date()).days < ADULT_YEARS * 365:
            out.append(("time", f"{tool}: {name} {value} is not an adult's"))
    return out


def _lifecycles(schema: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Each keyed resource's lifecycle order, by the key field that marks its rows."""
    return {
        r["key"]["field"]: r["lifecycle"]["order"]
        for r in schema["resources"]
        if r["key"]["field"] and r.get("lifecycle") and r["lifecycle"].get("order")
    }


def _lifecycle(
    tool: str, obj: dict[str, Any], now: dt.date, stages: dict[str, dict[str, int]]
) -> list[tuple[str, str]]:
    status = obj.get("status")
    if not isinstance(status, str):
        return []
    order = next((o for k, o in stages.items() if k in obj), {})
    out = []
    for name, value in obj.items():
        when = _when(value)
        split = words(name)
        outcome = _outcome_of(split)
        if value is not None and outcome and outcome != state_of(status):
            out.append(("lifecycle", f"{tool}: {name} on a row that is {status}"))
        if when is None or not split or split[-1] not in ("at", "date", "time"):
            continue
        if (
            happened(status)
            and set(split) & {"scheduled", "start", "departure"}
            and when.date() > now
        ):
            out.append(("lifecycle", f"{tool}: {status} but {name} {value} is still to come"))
        if under_way(status) and set(split) & set(WORLD["start_moments"]) and when.date() > now:
            out.append(("lifecycle", f"{tool}: {status} but {name} {value} has not begun"))
        stage = next((v for v in order if v == split[0] or v == f"{split[0]}_{split[1:2]}"), None)
        if stage and status in order and order[status] < order[stage]:
            out.append(("lifecycle", f"{tool}: {name} set while the status is {status}"))
    return out


def _outcome_of(split: list[str]) -> str | None:
    """The ending a `<state>_reason` field explains (`rejection_reason` -> rejected)."""
    if len(split) < 2 or split[-1] not in REASON_TAILS:
        return None
    state = state_of("_".join(split[:-1]), whole=True)
    return state if state in WORLD["outcome_reasons"] else None


def _realism(tool: str, answer: Any) -> list[tuple[str, str]]:
    texts = [v for o in _objects(answer) for v in o.values() if isinstance(v, str)]
    for text in texts:
        split = set(words(text))
        for parts in _jargon():  # a catch-phrase takes a word from each of its three lists
            hits = [split & part for part in parts]
            if all(hits) and len(set().union(*hits)) >= 3:
                return [("realism", f"{tool}: {text!r} reads as filler")]
        if len(split & LOREM) >= 2:
            return [("realism", f"{tool}: {text!r} is lorem ipsum")]
    return []


LOREM = frozenset({"lorem", "ipsum", "dolor", "consectetur", "adipiscing", "sed", "eiusmod"})


@cache
def _jargon() -> tuple[tuple[frozenset[str], ...], ...]:
    """Faker's catch-phrase and business-speak word lists (adjective, descriptor, noun)."""
    return tuple(
        tuple(
            frozenset(w for phrase in part for w in words(phrase) if len(w) > 3) for part in lists
        )
        for lists in (Company.catch_phrase_words, Company.bsWords)
    )


def _ownership(change: dict[str, Any], world: Any, me: Any) -> list[tuple[str, str]]:
    """Writes to another person's rows, except a decision on their request (a reviewer's
    change of its status and decision fields)."""
    out = []
    for table, rows in change["updated"].items():
        for row in rows:
            before = world.initial.row(table, row["key"]) if ":" not in table else None
            if _decided(row["changes"]):
                continue
            if before is not None and owner_of(before) not in (None, me):
                out.append(("ownership", f"changed {table} {row['key']} of {owner_of(before)}"))
    for table, keys in change["deleted"].items():
        for key in keys:
            before = world.initial.row(table, key) if ":" not in table else None
            if before is not None and owner_of(before) not in (None, me):
                out.append(("ownership", f"deleted {table} {key} of {owner_of(before)}"))
    for table, rows in change["inserted"].items():
        for row in rows:
            if owner_of(row) not in (None, me):
                out.append(("ownership", f"inserted {table} for {owner_of(row)}"))
    return out


def _decided(changes: dict[str, Any]) -> bool:
    """Only a status and what a decision writes (`decided_at`, `decision`, a comment)."""
    allowed = {"status", "updated_at", "comment", "comments"}
    return "status" in changes and all(
        f in allowed or set(words(f)) & (DECISION_WORDS | DECISION_STEMS) for f in changes
    )


def _field_with(obj: dict[str, Any], word: str) -> str | None:
    """The field whose name starts with `word` (`check_in_date` for `check_in`)."""
    lead = tuple(words(word))
    return next((k for k in obj if tuple(words(k))[: len(lead)] == lead), None)


def _when(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-":
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")[:19])
    except ValueError:
        return None
