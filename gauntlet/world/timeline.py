"""One clock: when a row's moments fall, relative to now and to each other.

An event that has happened lies in the past, one under way has begun, a row passing through a
brief state (in transit) was made this week and expects its next step within days, a new or
changed row was made or updated now, `arrive_by` comes a little before the start, and a pay
period ends by its pay date. Moments are read and written in the shape the row has them (a
date, or a date-time with its tail).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gauntlet.names import words
from gauntlet.world.lifecycle import brief, happened, under_way
from gauntlet.world.state import Row
from gauntlet.world.world_words import WORLD

STAMP_TAILS = frozenset({"at", "on", "date", "time", "timestamp"})  # `shipped_at`, `paid_on`


def created_now(row: Row, now: dt.date) -> None:
    """A row a call just made was made now: its `created_at`, `placed_at`, `submitted_at`, and
    its `updated_at` with them."""
    stamps = set(WORLD["creation_stamps"]) | set(WORLD["touch_stamps"])
    for f in row:
        ws = words(f)
        made = len(ws) == 2 and ws[0] in stamps and ws[1] in STAMP_TAILS
        if made and isinstance(row[f], str):
            row[f] = now_as(row[f], now)


def touched_now(row: Row, before: Row, now: dt.date, answered: list[str] = ()) -> None:
    """A row a call changed was last updated now (`updated_at`, `last_modified_at`); a stamp
    the answer shows but the row did not keep (`answered`) is kept from now on."""
    if row == before:
        return
    for f in [*row, *answered]:
        ws = words(f)
        touched = ws and ws[-1] in STAMP_TAILS and set(ws[:-1]) & set(WORLD["touch_stamps"])
        if touched and (f not in row or isinstance(row[f], str)):
            row[f] = now_as(row.get(f), now)


def now_as(old: str | None, now: dt.date, tail: str = "") -> str:
    """Now, written as `old` was (a date or a date-time); an unset field by its name's tail."""
    as_date = len(old) == 10 if old else tail in ("date", "on")
    return now.isoformat() if as_date else f"{now.isoformat()}T12:00:00Z"


def settle_in_past(row: Row, lifecycle: dict[str, Any], now: dt.date) -> None:
    """A row whose event has happened (a completed appointment, a delivered order) has its
    moments in the past: every future one moves back by the same span, so their order holds."""
    if not happened(row.get(lifecycle.get("field", "status"))):
        return
    moments = {f: when for f, v in row.items() if (when := moment(v)) is not None}
    ahead = [when for when in moments.values() if when.date() > now]
    if not ahead:
        return
    latest = max(ahead)
    back = latest - dt.datetime.combine(now, latest.time()) + dt.timedelta(days=1 + latest.day)
    for f, when in moments.items():
        if when.date() > now - dt.timedelta(days=1):
            row[f] = _shaped(row[f], when - back)


def settle_under_way(row: Row, lifecycle: dict[str, Any], now: dt.date) -> None:
    """A row whose event is under way (a checked-in appointment) began by today: when a start
    moment is still ahead, every future moment moves back by the same span, so the start is
    today and the end keeps its distance."""
    if not under_way(row.get(lifecycle.get("field", "status"))):
        return
    moments = {f: when for f, v in row.items() if (when := moment(v)) is not None}
    starts = [
        when
        for f, when in moments.items()
        if set(words(f)) & set(WORLD["start_moments"]) and when.date() > now
    ]
    if not starts:
        return
    back = dt.timedelta(days=(max(starts).date() - now).days)
    for f, when in moments.items():
        if when.date() > now:
            row[f] = _shaped(row[f], when - back)


def moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-" or value[7:8] != "-":
        return None
    try:
        return dt.datetime.fromisoformat(value[:19].replace("Z", ""))
    except ValueError:
        return None


def _shaped(old: str, when: dt.datetime) -> str:
    """`when` written the way `old` was (a date, or a date-time with its tail)."""
    if len(old) == 10:
        return when.date().isoformat()
    return when.strftime("%Y-%m-%dT%H:%M:%S")[: min(len(old), 19)] + old[19:]


def expect_soon(row: Row, now: dt.date) -> None:
    """What a new or moving row expects (a delivery, a decision) comes within the week, at the
    time of day it had."""
    for f in row:
        when = moment(row[f])
        if when is None or not set(words(f)) & set(WORLD["expected_moments"]):
            continue
        if not now <= when.date() <= now + dt.timedelta(days=7):
            days = 1 + (when.hour + when.minute) % 5
            row[f] = _shaped(row[f], dt.datetime.combine(now, when.time()) + dt.timedelta(days))


def expected_after_creation(row: Row) -> None:
    """What a row expects (an SLA, a decision) falls within the week after it was made: a
    ticket opened in August was due in August, not next March."""
    made = next((moment(row[f]) for f in row if _made_stamp(f) and moment(row[f])), None)
    if made is None:
        return
    for f in row:
        when = moment(row[f])
        if when is None or not set(words(f)) & set(WORLD["expected_moments"]):
            continue
        if not made <= when <= made + dt.timedelta(days=7):
            hours = 4 + (when.hour * 60 + when.minute) % 140
            row[f] = _shaped(row[f], made + dt.timedelta(hours=hours))


def _made_stamp(field: str) -> bool:
    ws = words(field)
    return len(ws) == 2 and ws[0] in WORLD["creation_stamps"] and ws[1] in STAMP_TAILS


def settle_brief(row: Row, lifecycle: dict[str, Any], now: dt.date) -> None:
    """A row in a state it passes through in days (an order being prepared or in transit) was
    made this week, and expects its next step within days."""
    if not brief(row.get(lifecycle.get("field", "status"))):
        return
    for f in row:
        ws = words(f)
        when = moment(row[f])
        made = len(ws) == 2 and ws[0] in WORLD["creation_stamps"] and ws[1] in STAMP_TAILS
        if made and when is not None and when.date() < now - dt.timedelta(days=7):
            days = 1 + (when.day % 6)
            row[f] = _shaped(row[f], dt.datetime.combine(now, when.time()) - dt.timedelta(days))
    expect_soon(row, now)


def lead_up(row: Row) -> None:
    """`arrive_by`, `boarding_time`: 15 to 45 minutes before the row's start, on its day."""
    starts = set(WORLD["start_moments"])
    past = {"previous", "original", "old", "prior"}
    start = next(
        (
            f
            for f in row
            if set(words(f)) & starts
            and not set(words(f)) & past
            and _timed(row[f])
            and not _leads_up(f)
        ),
        None,
    )
    if start is None:
        return
    when = moment(row[start])
    for f in row:
        if f != start and _leads_up(f) and _timed(row[f]):
            before = dt.timedelta(minutes=15 * (1 + len(f) % 3))
            row[f] = _shaped(row[f], when - before)


def _leads_up(field: str) -> bool:
    ws = words(field)
    joined = "_".join(ws)
    return any(w in ws or w in joined for w in WORLD["lead_moments"])


def _timed(value: Any) -> bool:
    """A date-time (not a bare date): a lead-up is minutes, not days."""
    return isinstance(value, str) and len(value) > 10 and moment(value) is not None


def period_before_closing(row: Row) -> None:
    """A pay or billing period ends by the date it is paid or billed on: a payslip dated 5
    November is not for January. The period moves back whole, keeping its length."""
    closing = next((f for f in row if _closes(f) and moment(row[f])), None)
    start = next(
        (f for f in row if _period_end(f, WORLD["period_starts"]) and moment(row[f])), None
    )
    end = next((f for f in row if _period_end(f, WORLD["period_ends"]) and moment(row[f])), None)
    if not (closing and start and end):
        return
    paid, a, b = moment(row[closing]), moment(row[start]), moment(row[end])
    if b <= paid and a <= b:
        return
    b2 = paid - dt.timedelta(days=round(paid.timestamp()) % 3)
    a2 = b2 - (b - a if a <= b else dt.timedelta(days=27))
    row[start], row[end] = _shaped(row[start], a2), _shaped(row[end], b2)


def _closes(field: str) -> bool:
    ws = words(field)
    return len(ws) >= 2 and ws[-1] in STAMP_TAILS and ws[0] in WORLD["period_closers"]


def _period_end(field: str, ends: list[str]) -> bool:
    ws = set(words(field))
    return "period" in ws and bool(ws & set(ends))
