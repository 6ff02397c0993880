"""Reading what the offline dialogue wrote: stated facts, item criteria, requested answers,
requests.

`dialogue.phrasing` states values the way people paste them (strings in quotes), so these
readers are exact where the text is regular and silent where it is not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from gauntlet.dialogue.phrasing import ALSO, OPENERS, REQUESTS
from gauntlet.names import key_of

FACT_RE = re.compile(r"\b[Mm]y (?=([A-Za-z][A-Za-z0-9 ]*) is )")  # each "my" starts a try
CRITERION_RE = re.compile(r"For the ([a-z ]+?), I mean the one whose ([A-Za-z0-9 ]+?) is ")
ANSWERS_RE = re.compile(r"tell me the (.+?)\.(?:\s|$)")
DECODER = json.JSONDecoder()
REQUEST_CUES = tuple(r.lower() for r in (*REQUESTS, ALSO))
OPENER_CUES = tuple(o.strip().lower() for o in OPENERS if o.strip())


def heard(text: str) -> Any:
    """A value as `phrasing.say` wrote it, read back; text that is not one stays text."""
    ok, value = _value(text.strip(), 0)
    return value if ok else text


def _value(text: str, start: int) -> tuple[bool, Any]:
    """The JSON value written at `start` (strings are quoted, lists and objects are JSON)."""
    try:
        return True, DECODER.raw_decode(text, start)[0]
    except json.JSONDecodeError:
        return False, None


@dataclass
class Reading:
    facts: dict[str, Any] = field(default_factory=dict)
    criteria: list[tuple[str, str, Any]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """Split on sentence ends that are outside quotes."""
    out, buf, quoted = [], [], False
    for i, ch in enumerate(text):
        buf.append(ch)
        if ch == '"' and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif ch in ".?!;" and not quoted and (i + 1 == len(text) or text[i + 1] == " "):
            out.append("".join(buf).strip())
            buf = []
    if "".join(buf).strip():
        out.append("".join(buf).strip())
    return out


def _labels(text: str, m: re.Match) -> list[tuple[str, int]]:
    """Every way to cut `my <label> is ` in the matched run, shortest label first."""
    start, run = m.start(1), m.group(1) + " is "
    cuts = [i for i in range(len(run)) if run.startswith(" is ", i)]
    return [(run[:i], start + i + 4) for i in cuts]


def read(text: str) -> Reading:
    """Everything a message states, in the order it states it."""
    reading = Reading()
    read_to = 0
    for m in FACT_RE.finditer(text):
        if m.start() < read_to:  # inside a label already read (`my my a is`)
            continue
        for label, at in _labels(text, m):  # `my a0 is is "0"`: the label may hold an " is"
            ok, value = _value(text, at)
            if ok:
                reading.facts[key_of(label)] = value
                read_to = at
                break
    for m in CRITERION_RE.finditer(text):
        ok, value = _value(text, m.end())
        if ok:
            reading.criteria.append((m.group(1), key_of(m.group(2)), value))
    for m in ANSWERS_RE.finditer(text):
        reading.answers += [key_of(a) for a in m.group(1).split(" and the ")]
    for sentence in sentences(text):
        low = sentence.lower()
        for opener in OPENER_CUES:
            low = low.removeprefix(opener).strip()
        if low.startswith(REQUEST_CUES) and "tell me the" not in low:
            reading.requests.append(sentence)
    return reading
