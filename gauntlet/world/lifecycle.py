"""Status lifecycles inferred from a catalog: the values a status field takes, where a new row
starts, where it ends, and which transitions each status action tool allows.

The world needs this so that `cancel_order` ("Cancel an order that has not shipped yet") refuses
a shipped order with a realistic 409 instead of cancelling anything. All vocabulary (state stems
and ranks, verbs, precondition phrases) is data in `data/words/lifecycle.yaml`; this module only
reads it. Everything is pure and deterministic: one catalog always gives one lifecycle, and a
precondition it cannot read is reported in `unresolved`, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from gauntlet import names
from gauntlet.resources import WORDS_DIR

_WORDS: dict[str, Any] = yaml.safe_load((WORDS_DIR / "lifecycle.yaml").read_text(encoding="utf-8"))
STATES: dict[str, dict[str, Any]] = _WORDS["states"]
VERBS: dict[str, dict[str, Any]] = _WORDS["verbs"]
MARKERS: frozenset[str] = frozenset(_WORDS["markers"])
# (stem, state) longest stem first, so `requirescapture` reads before `requires`.
_STEMS = sorted(((s, n) for n, e in STATES.items() for s in e["stems"]), key=lambda p: -len(p[0]))
TERMINAL_KINDS = frozenset({"done", "exit"})


@dataclass(frozen=True)
class Action:
    """A status action tool: its name, its description, and the status enum of its result."""

    tool: str
    description: str
    returns_enum: tuple[str, ...] = ()


def _phrase_regex(phrase: str) -> tuple[re.Pattern[str], bool]:
    """A YAML phrase as a regex: `a|b` alternatives, `[a]` optional, `...` up to three words,
    `{state}` a list of states, `{states}` the rest of the sentence. True when it is `{states}`."""
    parts: list[str] = []
    tokens = phrase.split()
    for i, tok in enumerate(tokens):
        sep = r"\W+" if i < len(tokens) - 1 else r"\b"
        alts = "|".join(re.escape(a) for a in tok.strip("[]").split("|"))
        if tok == "{states}":
            parts.append(r"(?P<state>.+)")
        elif tok == "{state}":
            parts.append(r"(?P<state>[\w'-]+(?:[\s,/]+[\w'-]+)*)" + sep)
        elif tok == "...":
            parts.append(r"(?:[\w'-]+\W+){0,3}?")
        elif tok.startswith("["):
            parts.append(rf"(?:(?:{alts})\W+)?")
        else:
            parts.append(rf"(?:{alts}){sep}")
    return re.compile(r"(?<![\w'])" + "".join(parts)), "{states}" in tokens


_PHRASES = [(kind, *_phrase_regex(text)) for kind, text in _WORDS["preconditions"]]


def _compact(text: str) -> str:
    return "".join(names.words(text))


@cache
def _stem_state(compact: str) -> str | None:
    """The vocabulary state a compact word starts like: `ships` and `shipment` -> shipped."""
    return next((state for stem, state in _STEMS if compact.startswith(stem)), None)


@cache
def _state_of(value: str) -> tuple[str | None, int]:
    """The vocabulary state a value reads as, and 0 when its whole name says so, 1 when one of
    its words does (`payment_failed` -> failed)."""
    if found := _stem_state(_compact(value)):
        return found, 0
    split = names.words(value)
    if split and split[0] not in _WORDS["negations"]:
        for word in reversed(split):
            if found := _stem_state(word):
                return found, 1
    return None, 0


def _ranks(values: Sequence[str]) -> dict[str, int]:
    """Dense ranks along the typical progression; a value the vocabulary does not know sits just
    after its declared predecessor (declaration order is the fallback)."""
    known = [STATES[s]["rank"] if (s := _state_of(v)[0]) else None for v in values]
    first = next((r for r in known if r is not None), 0)
    raw: list[float] = []
    for rank in known:
        raw.append(rank if rank is not None else raw[-1] + 0.001 if raw else first - 1)
    levels = sorted(set(raw))
    return {v: levels.index(r) for v, r in zip(values, raw, strict=True)}


def _kinds(values: Sequence[str]) -> dict[str, str]:
    """start / active / done / exit per value; a `done` state with a later state present is not."""
    present = {_state_of(v)[0] for v in values}
    kinds = {}
    for value in values:
        entry = STATES.get(_state_of(value)[0] or "", {"kind": "active"})
        soft = entry["kind"] == "done" and present & set(entry.get("unless", ()))
        kinds[value] = "active" if soft else entry["kind"]
    return kinds


def _mention(words: Sequence[str], at: int, values: Sequence[str], nouns: set[str], exact: bool):
    """The value named by the words at `at` (up to four of them) and how many words it took:
    spelled as the value, or (unless `exact`) sharing its stem (`ships` names shipped)."""
    for n in range(min(4, len(words) - at), 0, -1):
        said = "".join(words[at : at + n])
        if said in nouns or names.singular(said) in nouns:
            continue  # `confirm_booking` says "booking": the resource, not the `booked` state
        same = [v for v in values if _compact(v) == said]
        if not same and not exact and (state := _stem_state(said)):
            same = [v for v in values if len(names.words(v)) == n and _state_of(v)[0] == state]
        if same:
            return min(same, key=lambda v: (_state_of(v)[1], len(v))), n
    return None


def _named_states(text: str, values, nouns, *, scan: bool, exact: bool = False):
    """The values a captured phrase names, a list at its start ("pending or confirmed") or with
    `scan` every value named anywhere in it, and how many of its words that took."""
    words = names.words(text if scan else text.replace(",", " or "))
    found, at, used, joined = [], 0, 0, True  # `joined`: a connector since the last state
    while at < len(words):
        hit = _mention(words, at, values, nouns, exact) if scan or joined else None
        if hit:
            found += [hit[0]] if hit[0] not in found else []
            at = used = at + hit[1]
            joined = False
        elif scan or (found and words[at] in _WORDS["connectors"]):
            at, joined = at + 1, True
        else:
            break
    return found, used


def _find_verb(action: Action) -> tuple[str | None, list[str]]:
    """The status verb of a tool (from its name, else its description's first word) and the
    rest of its name."""
    split = list(names.words(action.tool))
    for i in range(len(split)):
        for n in (2, 1):
            key = " ".join(split[i : i + n])
            if i + n <= len(split) and (key in VERBS or key in MARKERS):
                return key, split[:i] + split[i + n :]
    for word in names.words(action.description)[:1]:  # "Cancels the order" -> cancel
        for verb in (word, word[:-1], word[:-2]):
            if verb in VERBS:
                return verb, split
    return None, split


def _verb_target(verb: str, rest: list[str], values: Sequence[str]) -> tuple[str | None, set[str]]:
    """The value a verb leaves a row in, and the words of the tool name that name the resource."""
    if verb in MARKERS:  # mark_order_shipped: the state is the name's last word or two
        for n in (2, 1):
            hit = _mention(rest[-n:], 0, values, set(), exact=False) if len(rest) >= n else None
            if hit and hit[1] == n:
                return hit[0], set(rest[:-n])
        return None, set(rest)
    for state in VERBS[verb]["to"]:
        same = [v for v in values if _state_of(v)[0] == state]
        if same:
            return min(same, key=lambda v: (_state_of(v)[1], len(v))), set(rest)
    return None, set(rest)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]


def _narrow(kind, states, values, ranks, kinds, base) -> set[str]:
    """The `from` a precondition of this kind on these states leaves."""
    if kind in ("only", "adjective"):
        return set(states)
    if kind == "except":
        return set(base) - set(states)
    cut = min(states, key=lambda s: ranks[s])
    live = {v for v in values if kinds[v] not in TERMINAL_KINDS}
    if kind == "before":
        return {v for v in live if ranks[v] < ranks[cut]}
    later = {v for v in values if ranks[v] > ranks[cut] and (v in live or kinds[v] == kinds[cut])}
    return {cut} | later


def _phrases(low: str, named: Sequence[str], nouns: set[str]) -> list[tuple[str, str, list]]:
    """Every precondition phrase a lowercased sentence states, as (kind, phrase, states); a
    phrase's words are used once, so "cannot be cancelled after shipping" is not also "after"."""
    found = []
    for kind, regex, scan in _PHRASES:
        for m in regex.finditer(low):
            states, used = _named_states(
                m["state"], named, nouns, scan=scan, exact=kind == "adjective"
            )
            if states:  # the phrase as matched, up to the last state it named
                ends = [w.end() for w in re.finditer(r"[a-z0-9]+", m["state"])]
                end = m.start("state") + ends[used - 1] if m.end("state") == m.end() else m.end()
                found.append((kind, low[m.start() : end], states))
                low = low[: m.start()] + " " * (end - m.start()) + low[end:]
                break
    return found


def _preconditions(action: Action, values, named, ranks, kinds, nouns, base):
    """(the narrowed `from` or None, notes for `why`, unresolved sentences) from a description;
    states are looked for among `named` (the values but the verb's own target)."""
    narrowed: set[str] | None = None
    why: list[str] = []
    unresolved: list[dict[str, str]] = []
    for sentence in _sentences(action.description):
        low = sentence.lower().replace("\u2019", "'")
        tokens = set(re.findall(r"[a-z']+", low))
        if tokens & set(_WORDS["fee_words"]):
            why.append(f"fee rule, not a precondition: {sentence!r}")
            continue
        found = _phrases(low, named, nouns)
        for kind, phrase, states in found:
            got = _narrow(kind, states, values, ranks, kinds, base)
            narrowed = got if narrowed is None else narrowed & got
            why.append(f"{phrase!r}: {kind} {', '.join(states)}")
        if tokens & set(_WORDS["time_words"]):
            why.append(f"time rule, not checked: {sentence!r}")
        elif not found and tokens & set(_WORDS["cue_words"]):
            unresolved.append(
                {"tool": action.tool, "sentence": sentence, "reason": "precondition not understood"}
            )
    return narrowed, why, unresolved


def _inferred_values(actions: Sequence[Action]) -> list[str]:
    """With no enum declared: the states the actions' verbs produce, plus somewhere to start."""
    made = [
        VERBS[v].get("makes", VERBS[v]["to"][0])
        for a in actions
        if (v := _find_verb(a)[0]) in VERBS
    ]
    if made and not any(STATES[s]["kind"] == "start" for s in made):
        made.insert(0, _WORDS["default_initial"])
    return sorted(dict.fromkeys(made), key=lambda v: STATES[v]["rank"])


def _transition(action: Action, values, ranks, kinds, live) -> tuple[dict | None, list[dict]]:
    """One action's transition ({from, to, why}, or None when unreadable) and what it left
    unresolved."""

    def unread(reason: str) -> dict[str, str]:
        return {"tool": action.tool, "sentence": action.description, "reason": reason}

    verb, rest = _find_verb(action)
    if verb is None:
        return None, [unread("no status verb in the tool's name")]
    to, nouns = _verb_target(verb, rest, values)
    spec = VERBS.get(verb, {})
    keep = bool(spec.get("keep"))
    if len(action.returns_enum) == 1:
        to = _same(action.returns_enum[0], values)
    if to is None and not keep:
        return None, [unread(f"no status value for the verb {verb!r}")]
    named = [v for v in values if keep or v != to]  # a state the tool may start from
    base = [v for v in _verb_from(spec.get("from", ()), values, kinds, live) if v in named]
    base = base or [v for v in live if v in named]
    if spec.get("upcoming"):  # a checked-in visit is not moved to another day
        base = [v for v in base if not under_way(v)]
    why = [f"{verb!r} -> {to or 'the current state'}"]
    why.append(f"from {', '.join(spec['from'])} states" if spec.get("from") else
               "from every non-terminal state but the target")  # fmt: skip
    narrowed, notes, unresolved = _preconditions(action, values, named, ranks, kinds, nouns, base)
    if narrowed is not None:
        if narrowed & set(named):
            base, why = [v for v in named if v in narrowed], why[:1]
        else:
            unresolved.append(unread("the preconditions leave no state"))
    base = sorted(set(base), key=lambda v: (ranks[v], values.index(v)))
    rule = {"from": base, "to": to, "why": "; ".join(why + notes)}
    return rule, unresolved


def state_of(text: str, *, whole: bool = False) -> str | None:
    """The vocabulary state a value or word reads as (`payment_failed` -> failed); with
    `whole`, only when the whole of it does (`cancellation` -> cancelled)."""
    state, part = _state_of(str(text))
    return state if not (whole and part) else None


def happened(value: Any) -> bool:
    """Is this a state a row reaches once its event has taken place (completed, delivered,
    checked out)? Its appointment, delivery or stay is then in the past."""
    state = _state_of(str(value))[0] if value is not None else None
    return bool(state) and STATES[state]["kind"] == "done" and state != "paid"


def under_way(value: Any) -> bool:
    """Is this a state a row is in while its event takes place (checked in, in progress)? The
    appointment or stay has then begun: it is not still weeks ahead."""
    state = _state_of(str(value))[0] if value is not None else None
    return bool(state) and bool(STATES[state].get("during"))


def brief(value: Any) -> bool:
    """Is this a state a row passes through in days (preparing, in transit)?"""
    state = _state_of(str(value))[0] if value is not None else None
    return bool(state) and bool(STATES[state].get("brief"))


def infer_lifecycle(
    values: list[str], actions: list[Action], *, create_tools: Sequence[str] = ()
) -> dict[str, Any]:
    """The lifecycle of one status field, as a JSON-able dict: `values`, `initial`, `active`,
    `terminal` (a partition of the values), `order`, `transitions`, `creates`, `unresolved`."""
    values = list(dict.fromkeys(str(v) for v in values if v is not None))
    for value in (str(v) for a in actions for v in a.returns_enum if v is not None):
        values += [] if _same(value, values) else [value]
    values = values or _inferred_values(actions)
    ranks, kinds = _ranks(values), _kinds(values)
    terminal = [v for v in values if kinds[v] in TERMINAL_KINDS]
    live = [v for v in values if v not in terminal]
    # a new row starts in the earliest start-like state, else in the earliest non-terminal one
    starts = [v for v in live if kinds[v] == "start"] or live
    initial = [v for v in starts if ranks[v] == min(ranks[s] for s in starts)]
    transitions: dict[str, dict[str, Any]] = {}
    unresolved: list[dict[str, str]] = []
    for action in actions:
        rule, unread = _transition(action, values, ranks, kinds, live)
        unresolved += unread
        if rule is not None:
            transitions[action.tool] = rule
    return {
        "values": values,
        "initial": initial,
        "active": [v for v in live if v not in initial],
        "terminal": terminal,
        "order": ranks,
        "transitions": transitions,
        "creates": {tool: (initial[0] if initial else None) for tool in create_tools},
        "unresolved": unresolved,
    }


def _verb_from(spec: Sequence[str], values, kinds, live) -> list[str]:
    """The states a verb's YAML `from` names: state names or the kinds `terminal` / `done`."""
    if not spec:
        return list(live)
    return [
        v
        for v in values
        if ("terminal" in spec and kinds[v] in TERMINAL_KINDS)
        or ("done" in spec and kinds[v] == "done")
        or _state_of(v)[0] in spec
    ]


def _same(current: str, states: Iterable[str]) -> str | None:
    """The state `current` is, compared the way the enum is read (`Shipped` is `shipped`)."""
    return next((s for s in states if s == current or _compact(s) == _compact(current)), None)


def refunds(value: Any) -> bool:
    """Does a row in this state have its money back (cancelled, refunded, returned)?"""
    return value is not None and _state_of(str(value))[0] in _WORDS["refunding"]


def decided(lifecycle: dict[str, Any], value: Any) -> str | None:
    """The lifecycle value a decision argument names (`approve` -> approved, `reject` ->
    rejected), or None."""
    if not isinstance(value, str):
        return None
    state = _state_of(value)[0]
    if state is None:
        return None
    return next((v for v in lifecycle.get("values", []) if _state_of(str(v))[0] == state), None)


def allowed(lifecycle: dict[str, Any], tool: str, current: str) -> bool:
    """Whether `tool` may act on a row in state `current`; False is the world's 409 conflict.
    A tool the lifecycle has no transition for (not a status action) is always allowed."""
    rule = lifecycle["transitions"].get(tool)
    if tool in lifecycle.get("creates", {}) or rule is None:
        return True
    return _same(current, rule["from"]) is not None


def target(lifecycle: dict[str, Any], tool: str, current: str) -> str | None:
    """The state a row in `current` is in after `tool`, or None when the tool is not allowed.
    A create tool gives the initial state; a tool that keeps the state gives `current` back."""
    if not allowed(lifecycle, tool, current):
        return None
    if tool in lifecycle.get("creates", {}):
        return lifecycle["creates"][tool]
    rule = lifecycle["transitions"].get(tool)
    return (rule and rule["to"]) or _same(current, lifecycle["values"]) or current
