"""Fitting a value to its field's schema: types, examples, patterns, bounds."""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

from gauntlet.world.clock import mix as _mix

DIGITS = "0123456789"
SHAPES = {"d": DIGITS, "D": "123456789", "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
          "a": "abcdefghijklmnopqrstuvwxyz", "X": "ABCDEFGHJKLMNPQRSTUVWXYZ23456789",
          "x": "abcdefghijklmnopqrstuvwxyz0123456789"}  # fmt: skip


def json_type(schema: dict) -> str:
    t = schema.get("type")
    t = next((x for x in t if x != "null"), "null") if isinstance(t, list) else t
    return t or ("object" if "properties" in schema else "array" if "items" in schema else "string")


def schema_branch(schema: dict) -> dict:
    """The first non-null branch of an anyOf/oneOf, under the parent's own keys."""
    for k in ("anyOf", "oneOf"):
        if isinstance(schema.get(k), list) and schema[k] and "type" not in schema:
            first = next((b for b in schema[k] if b.get("type") != "null"), schema[k][0])
            return {**first, **{x: v for x, v in schema.items() if x != k}}
    return schema


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def as_tuple(v: Any) -> tuple:
    return v if isinstance(v, tuple) else (v,)


def as_text(v: Any) -> str:
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.2f}"
    return str(v)


def examples_of(schema: dict) -> list[str]:
    """The schema's own examples: example, examples, default, or what its description gives
    after `e.g.` (`e.g. Base salary or Pension.` gives both)."""
    found = [schema.get("example"), *(schema.get("examples") or []), schema.get("default")]
    return [x for x in found if isinstance(x, str) and x] + described_examples(
        str(schema.get("description") or "")
    )


@cache
def described_examples(description: str) -> list[str]:
    said = _EG.search(description)
    if not said:
        return []
    out = []
    for part in re.split(r", | or ", said.group(1)):
        part = part.strip().strip("`'\"").rstrip(".")
        if part and len(part) <= 60 and len(part.split()) <= 6:
            out.append(part)
    return out


_EG = re.compile(r"\be\.g\.,? (.+?)(?:\.(?=\s|$)|[;)]|$)")


def mimic(example: str, n: int) -> str:
    """A value shaped like an example (`MNU-9F3D6T` -> `MNU-4K2P8Q`), its prefix kept."""
    head = (re.match(r"^[A-Za-z]+[-_]", example) or re.match("", example)).group()
    out = []
    for i, c in enumerate(example[len(head) :]):
        chars = SHAPES["d" if c.isdigit() else "A" if c.isupper() else "a"] if c.isalnum() else c
        out.append(chars[_mix(n + i) % len(chars)])
    return head + "".join(out)


@cache
def pattern_template(pattern: str) -> str | None:
    """A simple pattern as a template (`^[A-Z]{2}-\\d{4}$` -> `{A2}-{d4}`), None if it is not
    simple: quicker than `from_pattern`, which parses and seeds for every value."""
    import re._parser as sre  # the standard library's own regex parser

    def read(parsed: Any) -> str | None:
        out = []
        for op, arg in parsed:
            op, count = str(op), 1
            if op.endswith("_REPEAT"):  # a fixed count: the low bound and a little more
                lo, hi, sub = arg
                if len(sub) != 1:
                    return None
                op, arg, count = str(sub[0][0]), sub[0][1], lo + min(hi - lo, 2)
            if op == "AT" or count == 0:
                continue
            if op == "SUBPATTERN" and (inner := read(arg[-1])) is not None:
                out.append(inner * count)
            elif op == "LITERAL" and chr(arg) not in "{}":
                out.append(chr(arg) * count)
            elif op == "IN" and (allowed := allowed_chars(arg)):
                shape = next((k for k in "XxAad" if set(SHAPES[k]) <= allowed), None)
                if shape is None:
                    return None
                out.append(f"{{{shape}{count}}}")
            else:
                return None
        return "".join(out)

    try:
        return read(sre.parse(pattern))
    except (re.error, IndexError, TypeError):
        return None


def allowed_chars(items: Any) -> set[str]:
    """The ASCII characters a regex class allows (empty when it negates or is unusual)."""
    out: set[str] = set()
    for kind, v in items:
        kind, v_name = str(kind), str(v)
        if kind == "LITERAL":
            out.add(chr(v))
        elif kind == "RANGE":
            out |= {chr(c) for c in range(v[0], min(v[1], 127) + 1)}
        elif kind == "CATEGORY" and v_name in ("CATEGORY_DIGIT", "CATEGORY_WORD"):
            out |= set(SHAPES["d" if v_name == "CATEGORY_DIGIT" else "x"])
        else:
            return set()
    return out


def bounded(bounds: tuple, x: float, integer: bool, n: int) -> float | int:
    """A number inside the schema's bounds (exclusive ones too), on its multiple: the value
    itself when it is, else one drawn inside them."""
    lo, hi, xlo, xhi, step = bounds

    def ok(v: float) -> bool:
        inside = (lo is None or v >= lo) and (hi is None or v <= hi)
        return inside and (xlo is None or v > xlo) and (xhi is None or v < xhi)

    if integer:
        step = int(step) if step and step == int(step) else 1
        low = [math.ceil(lo)] if lo is not None else []
        low += [math.floor(xlo) + 1] if xlo is not None else []
        high = [math.floor(hi)] if hi is not None else []
        high += [math.ceil(xhi) - 1] if xhi is not None else []
        a = -(-max(low) // step) * step if low else None
        z = min(high) // step * step if high else None
        x = int(round(x / step)) * step
        if (a is not None and x < a) or (z is not None and x > z):
            width = (z - a) // step if a is not None and z is not None else 20
            x = (a if a is not None else z - width * step) + n % (max(width, 0) + 1) * step
        return x
    if ok(x) and not step:
        return x
    x = round(float(x), 2)
    if not ok(x):
        a = lo if lo is not None else xlo
        z = hi if hi is not None else xhi
        a, z = (a if a is not None else z - 100), (z if z is not None else a + 100)
        x = round(a + (z - a) * (0.1 + 0.8 * (n % 1000) / 1000), 2)
        x = x if ok(x) else (a + z) / 2 if ok((a + z) / 2) else a
    return math.ceil(x / step) * step if step and x / step != int(x / step) else x
