"""Strings that match a schema's `pattern`: keys, codes and PINs shaped the way the API says.

Built on the standard library's own regex parser; the same pattern and key always give the
same string.
"""

from __future__ import annotations

import string
from typing import Any

from gauntlet.seeds import rng


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
