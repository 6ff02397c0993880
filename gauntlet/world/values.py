"""Realistic, deterministic values for any JSON Schema, chosen by field name and format.

Faker is slow to reseed (~60 µs a value), so each kind of value comes from a pool that Faker
fills once per process from a fixed seed; a value is then a hashed pick from its pool. The same
key always gives the same value, in any process, on any run.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
import uuid
from functools import cache
from typing import Any

from faker import Faker

from gauntlet import names
from gauntlet.seeds import derive_int, rng
from gauntlet.world.value_hints import (
    INT_HINTS,
    NAME_HINTS,
    NAMED_THINGS,
    NUMBER_HINTS,
    NUMBERED_THINGS,
    STATIC_POOLS,
)

POOL_SIZE = 400
BASE_DATE = dt.date(2026, 12, 1)


@cache
def _pool(name: str) -> tuple[str, ...]:
    if name in STATIC_POOLS:
        return tuple(STATIC_POOLS[name])
    fake = Faker("en_US")
    fake.seed_instance(derive_int("gauntlet-pool", name))
    make = {
        "email": fake.email,
        "phone": fake.phone_number,
        "city": fake.city,
        "country": fake.country,
        "street": fake.street_address,
        "postcode": fake.postcode,
        "company": fake.company,
        "iban": fake.iban,
        "url": fake.url,
        "username": fake.user_name,
        "first_name": fake.first_name,
        "last_name": fake.last_name,
        "name": fake.name,
        "title": lambda: fake.catch_phrase().capitalize(),
        "sentence": fake.sentence,
        "restaurant": lambda: (
            f"{fake.last_name()}'s {fake.random_element(['Kitchen', 'Bistro', 'Grill', 'Noodle Bar', 'Taqueria'])}"
        ),
        "hotel": lambda: (
            f"{fake.city()} {fake.random_element(['Grand Hotel', 'Suites', 'Inn', 'Lodge'])}"
        ),
        "product": lambda: (
            f"{fake.color_name()} {fake.random_element(['Backpack', 'Desk Lamp', 'Headphones', 'Water Bottle', 'Jacket', 'Keyboard', 'Blender', 'Tent'])}"
        ),
        "job": fake.job,
        "color": fake.color_name,
        "password": lambda: fake.password(length=12),
        "pin": lambda: fake.numerify("####"),
        "code": lambda: fake.bothify("??#?##").upper(),
    }[name]
    return tuple(make() for _ in range(POOL_SIZE))


def _pick(seq: Any, key: tuple) -> Any:
    return seq[derive_int(*key) % len(seq)]


def make_value(schema: dict[str, Any], field_name: str, key: tuple) -> Any:
    """A value valid for `schema` that looks like what `field_name` names, fixed by `key`."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return _pick(schema["enum"], key)
    for combo in ("oneOf", "anyOf"):
        if combo in schema and schema[combo]:
            return make_value(_pick(schema[combo], key), field_name, key)
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "string":
        return _string(schema, field_name, key)
    if kind == "integer":
        return _integer(schema, field_name, key)
    if kind == "number":
        return _number(schema, field_name, key)
    if kind == "boolean":
        return derive_int(*key) % 2 == 0
    if kind == "null":
        return None
    if kind == "array":
        n = max(schema.get("minItems", 1), min(schema.get("maxItems", 3), 1 + derive_int(*key) % 3))
        items = schema.get("items", {"type": "string"})
        return [make_value(items, field_name, (*key, i)) for i in range(n)]
    if kind == "object":
        props = schema.get("properties", {})
        return {p: make_value(s, p, (*key, p)) for p, s in props.items()}
    return None


def _string(schema: dict, field_name: str, key: tuple) -> str:
    fmt = schema.get("format")
    words = names.words(field_name)
    if fmt == "date" or (words and words[-1] in ("date", "birthday", "dob")):
        return (BASE_DATE + dt.timedelta(days=derive_int(*key) % 120)).isoformat()
    if fmt == "date-time" or (words and words[-1] in ("at", "timestamp", "datetime")):
        moment = dt.datetime(2026, 11, 1, 6, 0) + dt.timedelta(
            minutes=15 * (derive_int(*key) % 9000)
        )
        return moment.isoformat() + "Z"
    if fmt == "time" or (words and words[-1] == "time"):
        minutes = 15 * (derive_int(*key) % 68) + 6 * 60
        clock = f"{minutes // 60:02d}:{minutes % 60:02d}"
        return f"{clock}:00" if fmt == "time" else clock  # what jsonschema's time check takes
    if fmt == "uuid":
        return str(uuid.UUID(int=derive_int(*key) << 64 | derive_int("uuid", *key), version=4))
    if fmt == "ipv4":
        n = derive_int(*key)
        return f"10.{n % 256}.{(n >> 8) % 256}.{1 + (n >> 16) % 254}"
    if fmt == "email":
        return _pick(_pool("email"), key)
    if fmt in ("uri", "url"):
        return _pick(_pool("url"), key)
    pool = _name_pool(words)
    value = _pick(_pool(pool), key) if pool else _pick(_pool("title"), key)
    if "pattern" in schema and not re.search(schema["pattern"], value):
        value = from_pattern(schema["pattern"], key)
    lo, hi = schema.get("minLength", 0), schema.get("maxLength", 10_000)
    if len(value) > hi:
        value = value[:hi]
    if len(value) < lo:
        value = value + "x" * (lo - len(value))
    return value


def _name_pool(words: tuple[str, ...]) -> str | None:
    """`restaurant_name` is a restaurant, `passenger_name` a person: the head noun decides."""
    hits = [NAME_HINTS[t] for t in reversed(words) if t in NAME_HINTS]
    if hits and hits[0] == "name" and len(hits) > 1 and hits[1] in NAMED_THINGS:
        return hits[1]
    if hits and hits[0] == "code" and len(hits) > 1 and hits[1] in NUMBERED_THINGS:
        return hits[1]  # a seat number is a seat, a phone number a phone
    return hits[0] if hits else None


def _bounds(schema: dict, hint: tuple[float, float]) -> tuple[float, float, float, float]:
    """The schema's own range (exclusive bounds included) and the hint's range inside it."""
    lo = max(schema.get("minimum", -math.inf), schema.get("exclusiveMinimum", -math.inf))
    hi = min(schema.get("maximum", math.inf), schema.get("exclusiveMaximum", math.inf))
    want_lo, want_hi = max(hint[0], lo), min(hint[1], hi)
    if want_lo >= want_hi:  # the hint misses the schema's range: stay inside the schema
        want_lo = lo if lo > -math.inf else hi - 100
        want_hi = hi if hi < math.inf else lo + 100
    return lo, hi, want_lo, want_hi


def _integer(schema: dict, field_name: str, key: tuple) -> int:
    words = names.words(field_name)
    hint = next((INT_HINTS[t] for t in reversed(words) if t in INT_HINTS), (1, 100))
    _, _, lo, hi = _bounds(schema, hint)
    lo_i = math.ceil(lo) + (
        1 if lo == schema.get("exclusiveMinimum") and lo == math.ceil(lo) else 0
    )
    hi_i = math.floor(hi) - (
        1 if hi == schema.get("exclusiveMaximum") and hi == math.floor(hi) else 0
    )
    hi_i = max(hi_i, lo_i)
    return int(lo_i + derive_int(*key) % (hi_i - lo_i + 1))


def _number(schema: dict, field_name: str, key: tuple) -> float:
    words = names.words(field_name)
    hint = next((NUMBER_HINTS[t] for t in reversed(words) if t in NUMBER_HINTS), (1, 500))
    lo_s, hi_s, lo, hi = _bounds(schema, hint)
    value = round(lo + (derive_int(*key) % 10_000) / 10_000 * (hi - lo), 2)
    if value <= lo_s or value >= hi_s or not lo <= value <= hi:  # rounding hit an edge
        value = lo + (hi - lo) * ((derive_int(*key) % 9_000) + 500) / 10_000
    return value


def from_pattern(pattern: str, key: tuple) -> str:
    """A string matching a simple regex (classes, literals, quantifiers, groups, branches)."""
    import re._parser as sre  # stdlib's own regex parser: no dependency for a small job

    r = rng("pattern", pattern, *key)
    out: list[str] = []

    def emit(items: Any) -> None:
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(arg))
            elif name == "IN":
                out.append(r.choice(_class_chars(arg)))
            elif name == "ANY":
                out.append(r.choice(string.ascii_letters))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, sub = arg
                for _ in range(r.randint(lo, min(hi, lo + 3))):
                    emit(sub)
            elif name == "SUBPATTERN":
                emit(arg[-1])
            elif name == "BRANCH":
                emit(r.choice(arg[1]))

    emit(sre.parse(pattern))
    return "".join(out)


def _class_chars(items: Any) -> str:
    chars = ""
    negate = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars += chr(arg)
        elif name == "RANGE":
            chars += "".join(chr(c) for c in range(arg[0], arg[1] + 1))
        elif name == "CATEGORY":
            cat = str(arg)
            chars += {
                "CATEGORY_DIGIT": string.digits,
                "CATEGORY_WORD": string.ascii_letters + string.digits,
                "CATEGORY_SPACE": " ",
            }.get(cat, string.ascii_letters)
    if negate:
        return "".join(c for c in string.ascii_letters + string.digits if c not in chars) or "_"
    return chars or string.ascii_letters
