"""One row being made: its person, its place, its moments and each field's value, agreeing."""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
import uuid
from typing import Any

from gauntlet.names import words
from gauntlet.world.clock import DOB, M64, TEMPORAL, UNIT_WORDS, age_on, entry, parse
from gauntlet.world.clock import mix as _mix
from gauntlet.world.fit import (
    DIGITS,
    as_text,
    as_tuple,
    bounded,
    is_number,
    mimic,
    pattern_template,
)
from gauntlet.world.patterns import from_pattern
from gauntlet.world.row_spec import (
    LANGUAGES,
    LISTS,
    LOCALES,
    MONEY,
    NUMERIC,
    PEOPLE,
    PERSONAL,
    PLACES,
    SEMANTIC,
    Plan,
    R,
    Spec,
    ascii_word,
    given_kind,
    name_parts,
    pick_one,
    row_hash,
    template_parts,
)


class _Row:
    """One row being filled: its values so far, and the person, place and moments they share."""

    def __init__(self, rv: Any, plan: Plan, given: dict, h: int, parent: _Row | None = None):
        self.rv, self.plan, self.given, self.h = rv, plan, given, h
        self.memo: dict[str, Any] = {}
        self.shared: dict[Any, Any] = parent.shared if parent else {}  # people, place, airline
        self._times: dict[str, dt.datetime] | None = None

    def value(self, spec: Spec) -> Any:
        if spec.name in self.given:
            return self.given[spec.name]
        if spec.name not in self.memo:
            x = (self.h ^ spec.h) * 0x9E3779B97F4A7C15 & M64  # a cheap mix: one draw a field
            self.memo[spec.name] = self.make(spec, x ^ (x >> 29))
        return self.memo[spec.name]

    def make(self, spec: Spec, n: int) -> Any:
        if spec.simple:  # the fast paths: a value of the type that needs no fitting
            v, t = spec.gen(self, spec, n), spec.typ
            c = v.__class__
            if t == "string" and (spec.plain or spec.loose):
                for x in v if c is tuple else (v,):
                    if x.__class__ is str and (spec.plain or spec.rx.search(x)):
                        return x
            elif (t == "integer" and c is int) or (t == "number" and c in (int, float)):
                return v if spec.plain else bounded(spec.bounds, v, t == "integer", n)
            elif t == "boolean" and c is bool:
                return v
            return self._fit(spec, v, n)
        if spec.options is not None:  # an enum: the value the row implies, when it is one
            hint = spec.gen(self, spec, n) if spec.kind in SEMANTIC else None
            return next((h for h in as_tuple(hint) if h in spec.options), pick_one(spec.options, n))
        if spec.items is not None:
            s, out = spec.schema, []
            lo, hi = int(s.get("minItems", 1 if s.get("maxItems", 1) else 0)), s.get("maxItems", 3)
            count = max(lo, min(hi, 1 + n % 3))
            for i in range(count * 6):  # distinct items: a list never says one thing twice
                v = self.make(spec.items, _mix(n + i) if i else n)
                if v not in out:
                    out.append(v)
                if len(out) >= count:
                    break
            while out and len(out) < lo and not s.get("uniqueItems"):  # too few exist
                out.append(out[0])
            return out
        child = _Row(self.rv, spec.props, {}, n, self)
        return {p.name: child.value(p) for p in spec.props.specs}

    def _fit(self, spec: Spec, v: Any, n: int) -> Any:
        """The value in the field's type and schema: its candidates in order (`Germany`, `DE`),
        compacted, then a value of the pattern's own, then trimmed or padded."""
        t, s = spec.typ, spec.schema
        if t in ("integer", "number"):
            x = as_tuple(v)[0]
            if not is_number(x):
                m = re.search(r"-?\d+(?:\.\d+)?", str(x))
                x = float(m.group()) if m else n % 100
            return bounded(spec.bounds, x, t == "integer", n)
        if t != "string":
            return bool(n & 1) if t == "boolean" else None if t == "null" else v
        cands = [c if isinstance(c, str) else as_text(c) for c in as_tuple(v)]
        first, lo, hi = cands[0], s.get("minLength", 0), s.get("maxLength", 1 << 30)
        alts = (
            []
            if "@" in first
            else [first.replace(" ", ""), re.sub(r"\W", "", first), first.upper()]
        )
        for c in [*cands, *alts]:
            if (spec.rx is None or spec.rx.search(c)) and lo <= len(c) <= hi:
                return c
        if spec.rx is not None:
            own = pattern_template(s["pattern"])
            c = self.expand(own, n) if own else ""
            ok = spec.rx.search(c) and lo <= len(c) <= hi
            return c if ok else from_pattern(s["pattern"], (self.rv.seed, spec.name, n))
        if len(first) > hi and "@" in first:  # a short mailbox at the shortest domain
            local, domain = first.split("@", 1)
            domain = min([domain, *PEOPLE["mailbox_domains"]], key=len)
            first = f"{local[: max(1, hi - len(domain) - 1)]}@{domain}"
        if len(first) > hi:  # at a word's end when one is near
            cut = first[:hi]
            first = cut[: cut.rfind(" ")].rstrip(" ,;:-") if cut.rfind(" ") >= max(lo, 1) else cut
        while len(first) < lo:
            more = spec.data if spec.kind in ("free_text", "title") and spec.data else ["{x8}"]
            first = f"{first} {self.expand(pick_one(more, n + len(first)), n + len(first))}".strip()
        return first[:hi]

    # --- what a row's values share ------------------------------------------------------

    def locale(self) -> tuple[str, dict]:
        """The row's country: one a given city or country names, else one of the world's
        currency."""
        if "locale" not in self.shared:
            named = [PLACES[v] for v in self.given.values() if v.__class__ is str and v in PLACES]
            code = named[0] if named else pick_one(self.rv.locales, _mix(self.h ^ 11))
            self.shared["locale"] = (code, LOCALES[code])
        return self.shared["locale"]

    def city(self) -> tuple[str, list]:
        if "city" not in self.shared:
            cities = self.locale()[1]["cities"]
            named = [v for v in self.given.values() if v.__class__ is str and v in cities]
            name = named[0] if named else pick_one(list(cities), _mix(self.h ^ 12))
            self.shared["city"] = (name, cities[name])
        return self.shared["city"]

    def person(self, role: str) -> tuple[str, str, int]:
        """(first name, last name, gender) of the row's person in a role ("": its own),
        as far as `given` names them (a full name, a first or last name, an email)."""
        if ("person", role) not in self.shared:
            first = last = None
            for k, v in self.given.items():
                kind, who = given_kind(k, self.plan.resource)
                parts = v.split() if v.__class__ is str and who == role else None
                if not parts:
                    continue
                if kind == "person_name":
                    first, last = parts[0], parts[-1] if len(parts) > 1 else last
                elif kind in ("first_name", "last_name"):
                    first, last = (v.strip(), last) if kind == "first_name" else (first, v.strip())
                elif kind == "email" and not first and re.match(r"^[a-z]+[._][a-z]+@", v.lower()):
                    first, last = (p.title() for p in re.split(r"[._@]", v.lower())[:2])
            n, pools = _mix(self.h ^ row_hash(role) ^ 21), name_parts(self.locale()[0])
            first = first or pick_one(pools[n & 1], n >> 8)
            self.shared["person", role] = (first, last or pick_one(pools[2], n >> 24), n & 1)
        return self.shared["person", role]

    def times(self) -> dict[str, dt.datetime]:
        if self._times is None:
            ages = [v for k, v in self.given.items() if "age" in words(k) and is_number(v)]
            age = int(ages[0]) if ages else None
            self._times = self.rv.clock.solve(self.plan.moments, self.given, self.h, age)
        return self._times

    def thing(self, n: int) -> str:
        if "thing" not in self.memo:
            tpl = self.plan.thing or R["things"]["unknown_thing"]
            self.memo["thing"] = self.expand(pick_one(tpl, _mix(self.h ^ 31)), n)
        return self.memo["thing"]

    def shared_pick(self, what: str, seq: Any, salt: int) -> Any:
        if what not in self.shared:
            self.shared[what] = pick_one(seq, _mix(self.h ^ salt))
        return self.shared[what]

    def airport(self, i: int) -> str:
        """The row's origin (0) or destination (1): two different airports."""
        ports = LISTS["airports"]
        o = self.shared_pick("origin", range(len(ports)), 42)
        return ports[(o + i * (1 + _mix(self.h ^ 43) % (len(ports) - 1))) % len(ports)]

    def slug(self, n: int) -> str:
        return ascii_word(self.thing(n) if self.plan.org else self.rv.domain)

    def host(self, n: int) -> str:
        if self.plan.org:
            return f"www.{self.slug(n)}.{self.locale()[1]['tld']}"
        return self.expand(pick_one(entry(R["urls"], ["hosts"], self.rv.domain), n), n)

    def expand(self, template: str, n: int) -> str:
        """A template filled: shapes ({d4}), the row's own values ({city}), list picks."""
        parts = template_parts(template)
        if parts.__class__ is str:
            return parts
        out, k, m = [], 0, n >> 8
        for part in parts:
            c = part.__class__
            if c is str:
                out.append(part)
            elif c is list or len(part) == 1:  # a list pick or a row value: a fresh draw after
                out.append(
                    self.expand(str(pick_one(part, m)), m) if c is list else part[0](self, m)
                )
                k += 1
                m = _mix(n + k)
            else:  # a shape: a few bits of the draw per character
                chars, count = part
                if m < 1 << 52:
                    k += 1
                    m = _mix(n + k)
                if chars is DIGITS:  # straight from the draw's decimal form
                    out.append(f"{m % 10**count:0{count}d}")
                    m //= 10**count
                    continue
                for _ in range(count):
                    m, r = divmod(m, len(chars))
                    out.append(chars[r])
        return "".join(out)

    def handle(self, styles: list[str], role: str, n: int) -> str:
        """A mailbox or username made from a person's name (`maria.keller`, `mkeller`)."""
        first, last, _ = self.person(role)
        f, ln = ascii_word(first), ascii_word(last)
        return pick_one(styles, n).format(first=f, last=ln, f=f[0], l=ln[0], nn=10 + n % 90)

    # --- values by kind -----------------------------------------------------------------

    def g_email(self, spec: Spec, n: int) -> str:
        """A place's own mailbox (info@harborviewhotel.co.uk), else its person's."""
        loc, res = self.locale()[1], self.plan.resource
        named = self.plan.people or any(given_kind(k, res)[0] in PERSONAL for k in self.given)
        if self.plan.org and not named and not spec.data:
            return f"{pick_one(PEOPLE['org_mailboxes'], n)}@{self.slug(n)}.{loc['tld']}"
        work = {"work", "corporate", "business", "office"} & set(spec.ws)
        hosts = PEOPLE["work_domains"] if work else PEOPLE["mailbox_domains"] + loc.get("mail", [])
        return f"{self.handle(PEOPLE['email_styles'], spec.data, n)}@{pick_one(hosts, n >> 20)}"

    def g_job_title(self, spec: Spec, n: int) -> str:
        """A title from the row's department's list when it has one."""
        depts = (s for s in self.plan.specs if s.kind == "department" or "department" in s.ws)
        dept = next((self.value(s) for s in depts if s.typ == "string"), None)
        pool = entry(R["job_titles"], ["_".join(words(str(dept)))]) if dept else None
        return self.expand(pick_one(pool or spec.data, n), n)

    def g_pool(self, spec: Spec, n: int) -> str | int:
        """The schema's own example (it knows the field better than a fallback pool, not than
        the field's or the resource's own pool), else a template from the pool."""
        if spec.typ not in ("string", "array"):
            return n % 100
        if spec.examples and (spec.kind in ("code", "id") or not spec.exact):
            ex = pick_one(spec.examples, n >> 8)
            return mimic(ex, n) if spec.kind in ("code", "id") else ex
        return self.expand(pick_one(spec.data or R["short_texts"]["default"], n), n)

    def g_iban(self, spec: Spec, n: int) -> str:
        """An IBAN of the row's country (or a banking country), with valid check digits."""
        cc = self.locale()[0]
        cc = cc if cc in R["ibans"] and cc != "default" else R["ibans"]["default"]
        bban = self.expand(R["ibans"][cc], n)
        return f"{cc}{98 - int(''.join(str(int(c, 36)) for c in f'{bban}{cc}00')) % 97:02d}{bban}"

    def g_money(self, spec: Spec, n: int) -> float | int:
        """A base amount from its range (and the currency's scale); a share (fee, tax, tip,
        refund, discount) of the row's base; a total of the base and its shares."""
        role, share, rng, cents = spec.data
        base = self.plan.by.get(self.plan.base) if self.plan.base != spec.name else None
        frac = (n % 10_007) / 10_007
        if base is not None and role == "share":
            v = self._major(base) * (share[0] + (share[1] - share[0]) * frac)
        elif base is not None and role == "sum":
            v = self._major(base)
            for s in self.plan.specs:
                if s.kind == "money" and s.data and s.data[0] == "share" and s is not base:
                    adds = 1 if set(s.ws) & set(MONEY["adds"]) else 0
                    v += (-1 if set(s.ws) & set(MONEY["subtracts"]) else adds) * self._major(s)
        else:  # skewed to the low end, on a price point below a thousand
            v = (rng[0] + (rng[1] - rng[0]) * frac**1.6) * self.rv.scale
            v = math.floor(v) + pick_one((0.99, 0.5, 0.0, 0.95, 0.49), n >> 12) if v < 1000 else v
        if cents:
            return int(round(v * 100))
        return int(round(v)) if self.rv.whole or spec.typ == "integer" else round(v, 2)

    def _major(self, spec: Spec) -> float:
        v = self.value(spec)
        v = (
            float(v)
            if is_number(v) or (isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v))
            else 0.0
        )
        return v / 100 if spec.data and spec.data[3] else v

    def g_number(self, spec: Spec, n: int) -> Any:
        """Counts, quantities, percentages, ratings, ages, durations: a span's length or a
        birth date's age when the row has one, else a range by word inside the schema's."""
        s, frac = spec.schema, (n % 10_007) / 10_007
        if spec.kind == "duration" and (length := self._length(spec)) is not None:
            return length
        if spec.kind == "age" and (dob := self._dob()) is not None:
            return age_on(dob, self.rv.clock.now)
        if "year" in spec.ws:
            offsets = R["numbers"]["year_offsets"]
            lo, hi = next((offsets[w] for w in spec.ws if w in offsets), offsets["default"])
            return self.rv.now.year + lo + n % (hi - lo + 1)
        lo, hi = spec.data
        decimals = 0 if isinstance(lo, int) and isinstance(hi, int) else 1
        if spec.kind == "rating":  # a share of the rating's own scale
            a, b = s.get("minimum", 1 if s.get("maximum", 5) > 1 else 0), s.get("maximum", 5)
            lo, hi, decimals = a + (b - a) * lo, a + (b - a) * hi, 1
        elif spec.kind == "percentage" and s.get("maximum", 100) <= 1:
            lo, hi, decimals = lo / 100, hi / 100, 2
        a, b = max(lo, s.get("minimum", lo)), min(hi, s.get("maximum", hi))
        lo, hi = (a, b) if a <= b else (lo, hi)
        v = round(lo + (hi - lo) * frac, decimals)
        v = int(v) if decimals == 0 else v
        if spec.kind != "duration" or spec.typ != "string":
            return v
        unit = next((UNIT_WORDS[w] for w in spec.ws if w in UNIT_WORDS), "minutes")
        if s.get("format") == "duration":  # ISO 8601
            return {"seconds": "PT{}S", "minutes": "PT{}M", "hours": "PT{}H"}.get(
                unit, "P{}D"
            ).format(v)
        return f"{as_text(v)} {unit}"

    def _length(self, spec: Spec) -> float | None:
        for m in self.plan.moments:
            if m.length and m.length[0] == spec.name and m.end:
                times = self.times()
                if m.name in times and m.end in times:
                    working = bool({"working", "business", "workdays"} & set(spec.ws))
                    return self.rv.clock.length(times[m.name], times[m.end], m.length[1], working)
        return None

    def _dob(self) -> dt.datetime | None:
        s = next((s for s in self.plan.specs if s.kind == DOB), None)
        if s is None:
            return None
        return parse(self.given[s.name]) if s.name in self.given else self.times().get(s.name)

    def g_moment(self, spec: Spec, n: int) -> str | int:
        clock = self.rv.clock
        if spec.fmt == "clock" or spec.kind == "time_of_day":
            return clock.render(clock.clock_time(spec.name, n), spec.fmt or "clock")
        t = self.times().get(spec.name)
        if t is None:  # an array's items: loose moments on the kind's side of now
            days = 365 * 18 + n % (365 * 60) if spec.kind == DOB else 2 + n % 118
            t = clock.now + dt.timedelta(days=days * (1 if spec.kind == "future_timestamp" else -1))
        return clock.render(t, spec.fmt or "datetime")


GEN = {
    "person_name": lambda r, s, n: " ".join(r.person(s.data)[:2]),
    "first_name": lambda r, s, n: r.person(s.data)[0],
    "last_name": lambda r, s, n: r.person(s.data)[1],
    "email": _Row.g_email,
    "username": lambda r, s, n: r.handle(PEOPLE["username_styles"], s.data, n),
    "phone": lambda r, s, n: r.expand(r.locale()[1]["phone"], n),
    "street_address": lambda r, s, n: r.expand(r.locale()[1]["street"], n),
    "city": lambda r, s, n: r.city()[0],
    "region": lambda r, s, n: r.city()[1][0],
    "country": lambda r, s, n: (r.locale()[1]["country"], r.locale()[0], r.locale()[1]["iso3"]),
    "postcode": lambda r, s, n: r.expand(r.locale()[1]["postcode"], n),
    "latitude": lambda r, s, n: round(r.city()[1][1] + (n % 1000 - 500) / 10_000, 5),
    "longitude": lambda r, s, n: round(r.city()[1][2] + (n % 997 - 498) / 10_000, 5),
    "timezone": lambda r, s, n: r.locale()[1]["tz"],
    "language": lambda r, s, n: tuple(r.locale()[1]["language"] if n % 4 == 0 else pick_one(LANGUAGES, n >> 4)),
    "gender": lambda r, s, n: tuple(PEOPLE["genders"][("female", "male")[r.person("")[2]]]),
    "currency": lambda r, s, n: r.rv.currency,
    "org_name": lambda r, s, n: r.thing(n) if s.data is None else r.expand(pick_one(s.data, n), n),
    "job_title": _Row.g_job_title,
    "iban": _Row.g_iban,
    "money": _Row.g_money,
    "boolean": lambda r, s, n: bool(n & 1),
    "url": lambda r, s, n: r.expand(pick_one(s.data, n), n),
    "hostname": lambda r, s, n: r.host(n),
    "uuid": lambda r, s, n: str(uuid.UUID(int=(n << 64) | _mix(n), version=4)),
    "ip_address": lambda r, s, n: f"{10 + n % 180}.{(n >> 8) % 256}.{(n >> 16) % 256}.{1 + (n >> 24) % 254}",
    "color": lambda r, s, n: (pick_one(LISTS["colors"], n), f"#{n % 0xFFFFFF:06x}"),
    "file_name": lambda r, s, n: r.expand(pick_one(LISTS["file_names"], n), n),
    "mime_type": lambda r, s, n: pick_one(LISTS["mime_types"], n),
    "binary": lambda r, s, n: base64.b64encode(n.to_bytes(8, "big")).decode(),
    **dict.fromkeys(NUMERIC, _Row.g_number),
    **dict.fromkeys((*TEMPORAL, "time_of_day"), _Row.g_moment),
}  # fmt: skip
