"""Realistic, coherent values for one row of a task's world.

A row is one thing or one person, so its values agree: one person's name, email and username;
one place's street, city, postcode and country; the world's one currency and amounts that suit
what they price (a fee small next to its total); moments on the right side of the world's
clock and in order (clock.py). Every value still validates against its field's schema. The
words are data (`data/words/realism.yaml`). Faker is slow to reseed, so it fills name pools
once per process; every choice after that is a hashed pick fixed by (seed, domain, resource,
key, field), and a field list is read into a plan once, so a row costs tens of microseconds.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from gauntlet.names import singular, words
from gauntlet.seeds import derive_int
from gauntlet.world.clock import M64, TEMPORAL, UNIT_WORDS, Clock, entry
from gauntlet.world.clock import mix as _mix
from gauntlet.world.fit import examples_of, is_number, json_type, pattern_template, schema_branch
from gauntlet.world.kinds import PERSON_RESOURCES, value_kind
from gauntlet.world.row_maker import GEN, _Row
from gauntlet.world.row_spec import (
    BOUNDS,
    FORMAT_KINDS,
    GENERIC,
    LOCALES,
    MONEY,
    NAME_WORDS,
    NUMERIC,
    PERSONAL,
    SKIP,
    TABLES,
    Plan,
    R,
    Spec,
    given_kind,
    row_hash,
)


class RowValues:
    """The row filler of one world: its seed, clock, currency and catalog domain."""

    def __init__(self, seed: int, now: dt.date, currency: str, domain: str) -> None:
        self.seed, self.now, self.currency, self.domain = seed, now, currency, domain
        self.clock = Clock(now, R["time"])
        self.locales = [c for c, x in LOCALES.items() if x["currency"] == currency] or list(LOCALES)
        self.scale = float(MONEY["scale"].get(currency, 1))
        self.whole = currency in MONEY["zero_decimal"]
        self._plans: dict[tuple, tuple[Plan, tuple]] = {}

    def fill(
        self, resource: str, fields: list[dict], *, key: tuple, given: dict | None = None
    ) -> dict[str, Any]:
        """Values for the fields not in `given` (ids and references are the caller's), agreeing
        with `given` and each other; the same inputs always give the same row. A field list is
        read once, then known by its dicts' identity: they must not change afterwards."""
        hit = self._plans.get(pk := (resource, *map(id, fields)))
        if hit is None:  # new dicts: the same content is the same plan (`repr` is cheaper)
            if len(self._plans) > 4096:
                self._plans.clear()
            text = (resource, repr(fields))
            known = self._plans.get(text)
            plan = known[0] if known else self._plan(resource, fields)
            hit = self._plans[pk] = self._plans[text] = (plan, tuple(fields))  # keeps ids live
        plan = hit[0]
        row = _Row(self, plan, given or {}, derive_int(self.seed, self.domain, resource, key))
        if given:
            return {s.name: row.value(s) for s in plan.out if s.name not in given}
        memo, h = row.memo, row.h
        for s in plan.out:  # `value`, inlined: the hot loop
            if s.name not in memo:
                x = (h ^ s.h) * 0x9E3779B97F4A7C15 & M64
                memo[s.name] = row.make(s, x ^ (x >> 29))
        return {s.name: memo[s.name] for s in plan.out}

    def _plan(self, resource: str, fields: list[dict], nested: bool = False) -> Plan:
        plan = Plan(resource, singular((words(resource) or ("item",))[-1]))
        plan.thing = (
            self._things(resource, known=True) if plan.noun not in PERSON_RESOURCES else None
        )
        for f in fields:
            schema = f.get("schema") or {}
            kind = f.get("kind") or value_kind(f["name"], schema, resource=resource)
            plan.specs.append(self._spec(plan, f["name"], kind, schema, nested))
        plan.by = {s.name: s for s in plan.specs}
        plan.out = [s for s in plan.specs if s.kind not in SKIP]
        plan.people = any(s.kind in PERSONAL for s in plan.specs)
        own = any(s.kind == "org_name" and s.data is None for s in plan.specs)
        if plan.thing is None and own and not plan.people:
            plan.thing = self._things(resource)
        orgs = R["org_things"]
        plan.org = plan.thing is not None and (self._alias(plan.noun) or plan.noun) in orgs
        rank = {w: i for i, w in enumerate(MONEY["bases"])}
        money = [s for s in plan.specs if s.kind == "money" and s.data and s.data[0] != "share"]
        money.sort(key=lambda s: min((rank.get(w, 99) for w in s.ws), default=99))
        plan.base = money[0].name if money else None
        timed = [
            (s.name, s.kind, s.fmt) for s in plan.specs if s.kind in TEMPORAL and s.fmt != "clock"
        ]
        lengths = [s.name for s in plan.specs if s.kind == "duration"]
        plan.moments = self.clock.plan(timed, lengths, resource, self.domain)
        probe = _Row(self, plan, {}, 1)
        for s in plan.specs:  # a pool keeps the templates that fit the field's pattern
            if s.rx is not None and isinstance(s.data, list) and s.kind in TABLES:
                fits = [
                    t
                    for t in s.data
                    if all(s.rx.search(probe.expand(t, _mix(k))) for k in range(3))
                ]
                own = pattern_template(s.schema["pattern"])
                s.data = fits or ([own] if own else s.data)
        return plan

    def _spec(self, plan: Plan, name: str, kind: str, schema: dict, nested: bool) -> Spec:
        schema, ws = schema_branch(schema), words(name)
        typ = json_type(schema)
        if typ == "array":  # the kind describes the items
            items = self._spec(plan, name, kind, schema_branch(schema.get("items") or {}), nested)
            return Spec(name, kind, schema, typ, ws, row_hash(name), items=items, simple=False)
        if typ == "object" or kind == "object":
            props = [{"name": p, "schema": s} for p, s in (schema.get("properties") or {}).items()]
            spec = Spec(name, "object", schema, "object", ws, row_hash(name), simple=False)
            spec.props = self._plan(plan.resource, props, nested=True)
            return spec
        kind = kind if kind in TEMPORAL else FORMAT_KINDS.get(schema.get("format", ""), kind)
        kind = "id" if nested and kind in SKIP else kind
        ctx = (plan.resource, plan.noun, self.domain)
        specific = [w for x in ws for w in dict.fromkeys((x, singular(x))) if w not in GENERIC]
        keys = ["_".join(ws)] * (len(ws) > 1) + specific  # `special_instructions`, then words
        keys += [plan.resource, plan.noun, *(w for w in ws if w in GENERIC)]
        keys += [self.domain, kind, "default"]
        label = entry(R["short_texts"], keys[:-1], *ctx)
        if kind == "username" and plan.noun not in PERSON_RESOURCES and label:
            kind = "text"  # an account's nickname is a label, not a handle
        if kind == "org_name" and NAME_WORDS.intersection(ws[:-1]) - {"display"} and not plan.thing:
            kind = "person_name"  # an order's `full_name` is its recipient's
        data: Any = None
        exact = False
        if kind in TABLES:
            table = R[TABLES[kind]]["paths"] if kind == "url" else R[TABLES[kind]]
            data = entry(table, keys, *ctx)
            own = [k for k in keys[: keys.index(self.domain)] if k not in GENERIC]
            exact = entry(table, own, *ctx) is not None
        elif kind == "org_name":  # `hotel_name` names a hotel; a bare `name`, the row's thing
            qual = [
                w for w in (ws[:-1] if ws[-1] == "name" else ws) if w not in GENERIC | NAME_WORDS
            ]
            data = self._things(qual[-1]) if qual else None
        elif kind in PERSONAL or kind in ("email", "username"):
            data = given_kind(name, plan.resource)[1]
        elif kind == "money":
            share = next((MONEY["shares"][w] for w in ws if w in MONEY["shares"]), None)
            said = str(schema.get("description", "")).lower()
            cents = bool(set(ws) & set(MONEY["cents_words"])) or any(
                p in said for p in MONEY["cents_phrases"]
            )
            role = "share" if share else "sum" if set(ws) & set(MONEY["sums"]) else "base"
            data = (role, share, entry(MONEY["ranges"], keys, *ctx), cents)
        elif kind in NUMERIC:  # `days_restored`: restored before days
            units = [w for w in specific if w in UNIT_WORDS or f"{w}s" in UNIT_WORDS]
            data = entry(
                R["numbers"], [*(w for w in specific if w not in units), *units, kind, "integer"]
            )
        spec = Spec(name, kind, schema, typ, ws, row_hash(name), GEN.get(kind, _Row.g_pool), data)
        spec.examples = examples_of(schema)
        spec.exact = exact
        if kind in TEMPORAL or kind == "time_of_day":
            spec.fmt = self.clock.fmt_of(schema, typ, name, kind, plan.thing is not None)
        if isinstance(schema.get("pattern"), str):
            try:
                spec.rx = re.compile(schema["pattern"])
            except re.error:
                spec.rx = None
        enum = [schema["const"]] if "const" in schema else schema.get("enum")
        if isinstance(enum, list) and enum:
            spec.options = [v for v in enum if v is not None] or [None]
        lengths = "minLength" in schema or "maxLength" in schema
        spec.plain = not (
            lengths or spec.rx if typ == "string" else any(b in schema for b in BOUNDS)
        )
        spec.simple, spec.loose = spec.options is None, spec.rx is not None and not lengths
        spec.bounds = tuple(v if is_number(v := schema.get(b)) else None for b in BOUNDS)
        return spec

    def _alias(self, noun: str) -> str | None:
        alias = R["thing_aliases"].get(noun)
        return alias.get(self.domain, alias.get("default")) if isinstance(alias, dict) else alias

    def _things(self, noun: str, known: bool = False) -> list | None:
        """The templates a named thing of this noun goes by (None when `known` and the data
        knows no such thing: an order is a record, not a named thing)."""
        alias, things = self._alias(noun), R["things"]
        if alias or noun in things:
            return things[alias or noun]
        if (last := noun.rsplit("_", 1)[-1]) != noun:
            return self._things(last, known)
        if noun in R["slug_nouns"]:
            return things["slug"]
        return None if known else things["record" if noun in R["record_nouns"] else "unknown_thing"]
