"""Time rules for one row: when each of its moments lies, so that they agree with each other
and with the world's clock.

A past moment lies before `now` and after the row's earlier past moments (created, then paid,
then updated); a future one lies days to months ahead; a span's end follows its start by a
gap that suits it (a flight's hours, a stay's nights) and a length field equals that gap; a
lead moment (boarding, arrive by) precedes the moment it serves. The rules' words live in
`data/words/realism.yaml` (section `time`); row_values.py hands this module that section.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gauntlet.names import words
from gauntlet.seeds import derive_int

Span = tuple[str, float, float]  # (unit, low, high)
PAST, FUTURE, DOB = "past_timestamp", "future_timestamp", "date_of_birth"
TEMPORAL = frozenset({PAST, FUTURE, "date", DOB})
DAY = 86400
SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
UNIT_WORDS = {"seconds": "seconds", "secs": "seconds", "minutes": "minutes", "mins": "minutes",
              "hours": "hours", "hrs": "hours", "days": "days", "nights": "days", "weeks": "weeks"}  # fmt: skip
_DATE_WORDS = frozenset({"date", "day", "dob", "birthday", "birthdate", "on"})
_MS_WORDS = frozenset({"ms", "millis", "milliseconds"})
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
M64 = (1 << 64) - 1


def mix(x: int) -> int:
    """splitmix64: a fast, stable scramble of a 64-bit hash (one blake2b per row, this after)."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def entry(section: dict[str, Any], keys: Iterable[str], *contexts: str) -> Any:
    """The first of `keys` that a keyed table holds: aliases (another key's name) followed, and
    a {resource-or-domain: ...} variant resolved by the first context it names, else `default`."""
    for key in keys:
        found = section.get(key)
        for _ in range(8):
            if isinstance(found, str) and found in section:
                found = section[found]
            elif isinstance(found, dict):
                found = next((found[c] for c in contexts if c in found), found.get("default"))
            else:
                break
        if found is not None and not isinstance(found, (str, dict)):
            return found
    return None


def grams(name: str) -> list[str]:
    """A field name's word pairs, then its words: `check_in_time` -> check_in, in_time, check..."""
    ws = words(name)
    return ["_".join(ws[i : i + 2]) for i in range(len(ws) - 1)] + list(ws)


def _has(snake: str, part: str) -> bool:
    return f"_{part}_" in f"_{snake}_"


@dataclass(slots=True)
class Moment:
    """One temporal field of a row's plan, and what it is tied to."""

    name: str
    kind: str  # past_timestamp | future_timestamp | date | date_of_birth
    fmt: str  # date | datetime | time | clock | unix | unix_ms
    past: bool  # lies before now (a `date` field unless its words point ahead)
    rank: int  # its place among the row's past moments
    span: Span  # how far back or ahead it lies when nothing ties it
    start: str | None = None  # this ends a span: the field its span starts at
    end: str | None = None  # this starts a span: the field it ends at
    gap: Span = ("days", 1, 14)  # the span's length
    later: str | None = None  # this leads that field...
    lead: Span = ("minutes", 0, 0)  # ...by this much
    length: tuple[str, str] | None = None  # (field, unit): a length field that equals the span
    h: int = 0  # the name's stable hash, and its span start's
    start_h: int = 0


class Clock:
    """The time rules, for one world clock (`now`, a day: past is before it, future after)."""

    def __init__(self, now: dt.date, table: dict[str, Any]) -> None:
        self.now = dt.datetime.combine(now, dt.time())
        self.t = table
        self.order = {w: i for i, w in enumerate(table["past_order"])}
        self.pairs = [tuple(p) for p in table["pairs"]]
        self._schedules: dict[int, tuple] = {}
        self._hours: dict[str, list] = {}

    # --- planning: once per field list --------------------------------------------------

    def fmt_of(self, schema: dict, typ: str, name: str, kind: str, thing: bool) -> str:
        """How a moment is written: the schema's format, else the name's and the row's hints."""
        fmt = schema.get("format") or ""
        if typ in ("integer", "number"):
            return "unix_ms" if _MS_WORDS.intersection(words(name)) else "unix"
        if fmt in ("date", "date-time", "time"):
            return {"date": "date", "date-time": "datetime", "time": "time"}[fmt]
        keyed = entry(self.t["clock"], grams(name)) is not None and "default" not in grams(name)
        if kind == "time_of_day" or (keyed and thing and not _DATE_WORDS & set(words(name))):
            return "clock"
        return "date" if _DATE_WORDS & set(words(name)) else "datetime"

    def plan(
        self, fields: list[tuple[str, str, str]], lengths: list[str], resource: str, domain: str
    ) -> list[Moment]:
        """Moments for (name, kind, fmt) fields, tied into spans, leads and length fields."""
        snakes = {"_".join(words(n)): n for n, _, _ in fields}
        ctx = (resource, resource.rsplit("_", 1)[-1], domain)
        out = [self._moment(n, k, f, ctx) for n, k, f in fields]
        by = {m.name: m for m in out}
        for m in out:
            snake = "_".join(words(m.name))
            for a, b in self.pairs:
                if _has(snake, a) and (end := _swap(snake, a, b)):
                    m.end = snakes.get(end, end)
                    m.gap = self._gap(a, ctx)
                elif _has(snake, b) and (start := _swap(snake, b, a)):
                    m.start = snakes.get(start, start)
                    m.gap, m.start_h = self._gap(a, ctx), derive_int("moment", m.start)
                if m.end or m.start:
                    break
            for early, late, unit, lo, hi in self.t["leads"]:
                later = [s for s, n in snakes.items() if _has(s, late) and n != m.name]
                if _has(snake, early) and later:
                    m.later, m.lead = snakes[min(later, key=len)], (unit, lo, hi)
        for name in lengths:  # a length field measures the row's span of its sort
            unit = next((UNIT_WORDS[w] for w in words(name) if w in UNIT_WORDS), None)
            starts = [m for m in out if m.end in by]
            starts.sort(
                key=lambda m: (m.gap[0] in ("days", "weeks")) != (unit in ("days", "weeks"))
            )
            start = starts[0] if starts else None
            if unit and start:
                start.length = by[start.end].length = (name, unit)
        return out

    def _moment(self, name: str, kind: str, fmt: str, ctx: tuple[str, ...]) -> Moment:
        ws = words(name)
        hints = set(self.t["future_hints"])
        past = kind == PAST or (kind == "date" and not hints.intersection(ws))
        rank = next((self.order[w] for w in ws if w in self.order), len(self.order) // 2)
        table = self.t["past_spans"] if past else self.t["future_spans"]
        span = entry(table, (*ws, "default"), *ctx)
        return Moment(name, kind, fmt, past, rank, tuple(span), h=derive_int("moment", name))

    def _gap(self, start_word: str, ctx: tuple[str, ...]) -> Span:
        return tuple(entry(self.t["gaps"], (ctx[0], ctx[1], start_word, "default"), *ctx))

    # --- solving: once per row ----------------------------------------------------------

    def solve(
        self, moments: list[Moment], given: dict[str, Any], h: int, age: int | None = None
    ) -> dict[str, dt.datetime]:
        """Every moment's time for the row hashed `h`, agreeing with what `given` fixed. It
        works in whole seconds from the start of `now`'s day: past is below 0, future from a
        day on."""
        if not moments:
            return {}
        names, tied, chain = self._schedule(moments)
        out: dict[str, int] = {}
        known: list[tuple[int, int]] = []
        if given:  # given moments, and what they tie: a parent's date, a start already set
            for m in moments:
                if m.name in given and (t := self._secs(given[m.name])) is not None:
                    out[m.name] = t
            tied = tied | {
                m.name
                for m in moments
                if m.start in given or m.later in given or (m.end in given and m.end not in names)
            }
            for k, v in given.items():
                r = self._rank(k) if k not in names else None
                if r is not None and (t := self._secs(v)) is not None:
                    known.append((r, t))
        prev = None
        for i, m in enumerate(chain):  # past moments in their order (created, paid, updated)
            if m.name in tied:
                continue
            if m.name in out:
                prev = out[m.name]
                continue
            hi = -1
            if out or known:
                later = [out[c.name] for c in chain[i + 1 :] if c.name in out]
                hi = min([*later, *(t for r, t in known if r > m.rank), hi])
                low = [] if prev is None else [prev]
                prev = max([*low, *(t for r, t in known if r < m.rank)], default=None)
            t = -1 - self._delta(m.span, mix(h ^ m.h ^ 1))
            if (prev is not None and t <= prev) or t >= hi:
                base = prev if prev is not None and prev < hi else hi - self._delta(m.span, 0)
                t = base + max(1, int((hi - base) * (0.1 + 0.8 * (mix(h ^ m.h ^ 2) % 1000) / 1000)))
            out[m.name] = prev = t
        for m in moments:  # the rest that nothing ties: ahead, or a birth date
            if m.name in out or m.name in tied or m.past:
                continue
            n = mix(h ^ m.h ^ 1)
            if m.kind == DOB:
                years = age if age is not None else 18 + n % 67
                out[m.name] = -DAY * (int(years * 365.25) + 1 + n % 363)
            else:
                out[m.name] = self._ahead(self._delta(m.span, n))
        for m in moments:  # spans: an end after its start, or a start before a given end
            if m.name in out:
                continue
            start = (
                (out[m.start] if m.start in out else self._secs(given.get(m.start)))
                if m.start
                else None
            )
            if start is not None:
                out[m.name] = self._fit(m, start + self._span_gap(m, given, h), after=start)
            elif m.end and (end := out.get(m.end, self._secs(given.get(m.end)))) is not None:
                out[m.name] = self._fit(m, end - self._span_gap(m, given, h), before=end)
        for m in moments:  # leads, and anything left
            if m.name not in out:
                later = out.get(m.later, self._secs(given.get(m.later))) if m.later else None
                if later is None:
                    later = DAY + self._delta(m.span, mix(h ^ m.h ^ 1)) + self._delta(m.lead, 0)
                lead = self._delta(m.lead, mix(h ^ m.h ^ 3)) // 300 * 300
                out[m.name] = self._fit(m, later - lead, later)
        now = self.now
        return {k: now + dt.timedelta(seconds=v) for k, v in out.items()}

    def _schedule(self, moments: list[Moment]) -> tuple[frozenset, frozenset, list[Moment]]:
        """(names, the moments tied to another field, the past moments in order): once per plan."""
        hit = self._schedules.get(id(moments))
        if hit is None or hit[0] is not moments:
            names = frozenset(m.name for m in moments)
            tied = frozenset(m.name for m in moments if m.start in names or m.later in names)
            chain = [m for m in moments if m.past and m.name not in tied]
            if len(self._schedules) > 4096:
                self._schedules.clear()
            chain.sort(key=lambda m: m.rank)
            hit = self._schedules[id(moments)] = (moments, (names, tied, chain))
        return hit[1]

    def _rank(self, name: str) -> int | None:
        return next((self.order[w] for w in words(name) if w in self.order), None)

    def _secs(self, value: Any) -> int | None:
        t = parse(value) if value is not None else None
        return None if t is None else int((t - self.now).total_seconds())

    def _delta(self, span: Span, n: int) -> int:
        unit, lo, hi = span
        return int((lo + (n % 10_007) / 10_007 * (hi - lo)) * SECONDS.get(unit, DAY))

    def _span_gap(self, m: Moment, given: dict[str, Any], h: int) -> int:
        """The span's length: a given length field's, else one drawn for the span's kind, in
        whole days when the span is written as dates, else on the five minutes."""
        if m.length and isinstance(given.get(m.length[0]), (int, float)):
            return int(SECONDS[m.length[1]] * given[m.length[0]])
        unit, lo, hi = m.gap
        if m.fmt == "date" and unit != "days":
            unit, lo, hi = "days", 1, max(1, hi * SECONDS[unit] // DAY)
        gap = self._delta((unit, lo, hi), mix(h ^ (m.h if m.end else m.start_h) ^ 4))
        if unit == "days":
            return DAY * max(1, round(gap / DAY))
        return gap if unit == "seconds" else max(300, gap // 300 * 300)

    def _ahead(self, t: int) -> int:
        """A future moment (a day ahead at least) at a plausible hour, on the five minutes."""
        minutes = 7 * 60 + t // 60 % (14 * 60) // 5 * 5
        t = t // DAY * DAY + minutes * 60
        return t if t >= DAY else t + DAY

    def _fit(self, m: Moment, t: int, before: int | None = None, after: int | None = None) -> int:
        """Keep a moment on its side of now, and a span's end after its start."""
        if m.kind == DOB:
            return t
        if m.past and t >= 0:
            t = -3600 if after is None or after < -3600 else after + max(1, -after // 2)
        elif not m.past and t < DAY:
            t = DAY + (before - DAY) // 2 if before is not None and before > DAY else DAY + 9 * 3600
        return t

    # --- writing ------------------------------------------------------------------------

    def render(self, t: dt.datetime, fmt: str) -> str | int:
        """A moment as its field writes it."""
        if fmt == "date":
            return t.date().isoformat()
        if fmt == "time":
            return f"{t.hour:02d}:{t.minute:02d}:00"  # what the format checker takes
        if fmt == "clock":
            return f"{t.hour:02d}:{t.minute:02d}"
        if fmt in ("unix", "unix_ms"):
            seconds = int(t.replace(tzinfo=dt.UTC).timestamp())
            return seconds * 1000 if fmt == "unix_ms" else seconds
        return t.isoformat() + "Z"

    def clock_time(self, name: str, n: int) -> dt.datetime:
        """A time of day for opening hours and the like (opens 07-11, closes 17-23)."""
        if (hours := self._hours.get(name)) is None:
            hours = self._hours[name] = entry(self.t["clock"], (*grams(name), "default"))
        lo, hi = hours
        minutes = lo * 60 + (n % ((hi - lo) * 4 + 1)) * 15
        return self.now.replace(hour=min(minutes // 60, 23), minute=minutes % 60)

    def length(self, start: dt.datetime, end: dt.datetime, unit: str, working: bool) -> float:
        """A span's length in a unit: calendar days (nights), working days, or clock units."""
        if unit == "days" and working:
            days = (end.date() - start.date()).days + 1
            return sum((start.date() + dt.timedelta(d)).weekday() < 5 for d in range(days)) or 1
        if unit == "days":
            return (end.date() - start.date()).days
        return round((end - start).total_seconds() / SECONDS[unit], 2)


def _swap(snake: str, a: str, b: str) -> str:
    return f"_{snake}_".replace(f"_{a}_", f"_{b}_", 1).strip("_")


def parse(value: Any) -> dt.datetime | None:
    """A given moment, naive UTC: an ISO date or date-time, or unix seconds."""
    if isinstance(value, str) and _ISO.match(value):
        try:
            t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if t.tzinfo is not None:
            t = t.astimezone(dt.UTC).replace(tzinfo=None)
        return t
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 10**8:
        return dt.datetime.fromtimestamp(value / (1000 if value > 10**11 else 1), dt.UTC).replace(
            tzinfo=None
        )
    return None


def age_on(birth: dt.datetime, now: dt.datetime) -> int:
    """Whole years from a birth date to now."""
    b, n = birth.date(), now.date()
    return n.year - b.year - ((n.month, n.day) < (b.month, b.day))
