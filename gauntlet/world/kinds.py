"""What kind of value a field holds: `unit_amount` is money, `createdAt` a past timestamp, `name`
on a hotel the hotel's own name and on a patient a person's.

The world seeds every field of every resource from its kind, so values read as real and agree
with each other whatever the catalog. Evidence is weighed in a fixed order: the schema's own
(type boolean, enum, format, example), then the field name's head noun, then the description,
then the JSON type. The words behind each step are data (`data/words/kinds.yaml`); this module
only reads them, once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from gauntlet.names import singular, words
from gauntlet.resources import WORDS_DIR
from gauntlet.world.fit import described_examples

Words = tuple[str, ...]  # a name's or a description's words


def _set(items: list) -> frozenset[str]:
    """A word list. YAML reads a bare `on` or `no` as a boolean: a non-string is a data bug."""
    if bad := [x for x in items if not isinstance(x, str)]:
        raise ValueError(f"kinds.yaml: quote these words: {bad}")
    return frozenset(items)


def _invert(table: dict[str, list[str]]) -> dict[str, str]:
    """kind -> words becomes word -> kind; a word cueing two kinds is a data bug, caught here."""
    out: dict[str, str] = {}
    for kind, cue_words in table.items():
        for w in _set(cue_words):
            if out.setdefault(w, kind) != kind:
                raise ValueError(f"kinds.yaml: {w!r} cues both {out[w]} and {kind}")
    return out


_T: dict[str, Any] = yaml.safe_load((WORDS_DIR / "kinds.yaml").read_text(encoding="utf-8"))
KINDS: frozenset[str] = frozenset(_T["kinds"])
# kind -> the JSON types it fits; empty means any
_FITS = {k: frozenset((v or {}).get("types") or ()) for k, v in _T["kinds"].items()}
PERSON_RESOURCES: frozenset[str] = _set(_T["person_resources"])
_ORGS = _set(_T["org_resources"])
_REFS = _set(_T["references"])
_CUES = _invert(_T["cues"])
_COMPOUNDS = {tuple(k.split()): v for k, v in _T["compounds"].items()}
_NOISE = _set(_T["noise"])
_PREPS = _set(_T["prepositions"])
_UNTIL, _SINCE = _set(_T["until"]), _set(_T["since"])
_AGENT_PREPS = _set(_T["agent_prepositions"])
_BOOL_PREFIXES = _set(_T["boolean_prefixes"])
_BIRTH = _set(_T["temporal"]["birth"])
_PAST = _set(_T["temporal"]["past"])
_FUTURE = _set(_T["temporal"]["future"])
_PARTICIPLES = _set(_T["temporal"]["participles"])
_LIFECYCLE = _set(_T["lifecycle"])
_ADDRESS = _set(_T["address_context"])
_NAME_TAKES = _set(_T["name_takes_kind_of"])
_FORMATS: dict[str, str] = _T["formats"]
_CURRENCIES = _set(_T["currencies"])
_DESC_CUES = [(f" {phrase} ", kind) for phrase, kind in _T["description_cues"].items()]
_TYPE_ALIASES: dict[str, str] = _T["type_aliases"]
_NOT_PLURAL = tuple(_set(_T["not_plural_endings"]))
_SECRET_KINDS = frozenset({"password", "secret"})
_used = set().union(_CUES.values(), _FORMATS.values(), dict(_DESC_CUES).values())
if _unknown := {k for k in _used if not k.startswith("_")} - KINDS:  # `_x`: resolved in context
    raise ValueError(f"kinds.yaml: kinds used but not declared: {sorted(_unknown)}")

# What an example value looks like (shapes, not words): checked in this order.
_EXAMPLE_SHAPES = [
    (re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"), "email"),
    (re.compile(r"^https?://\S+$"), "url"),
    (re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"), "identifier"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}.*)?$"), "_temporal"),
    (re.compile(r"^\d{2}:\d{2}(:\d{2})?$"), "time_of_day"),
    (re.compile(r"^(\d{1,3}\.){3}\d{1,3}$"), "ip_address"),
    (re.compile(r"^\+\d{7,15}$"), "phone"),
    (re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"), "color"),
    (re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$"), "iban"),
    (re.compile(r"^(application|text|image|audio|video|multipart|font)/[\w.+-]+$"), "mime_type"),
]  # fmt: skip


def _fits(kind: str, types: Words) -> bool:
    return not types or not _FITS[kind] or bool(_FITS[kind].intersection(types))


def _plural(w: str | None) -> bool:
    return bool(w) and w != singular(w) and not w.endswith(_NOT_PLURAL)


@lru_cache(maxsize=1 << 14)
def _prepare(name: str) -> Words:
    """The name's words, digits dropped (`line_1`), compounds joined (`date_of_birth` -> dob)."""
    ws, out, i = [w for w in words(name) if not w.isdigit()], [], 0
    while i < len(ws):
        for n in (3, 2):
            if tuple(ws[i : i + n]) in _COMPOUNDS:
                out.append(_COMPOUNDS[tuple(ws[i : i + n])])
                i += n
                break
        else:
            out.append(ws[i])
            i += 1
    return tuple(out)


def _when(ws: Words, dws: Words) -> str:
    """A point in time's direction: the name's nearest direction word, then the description's
    (its verbs first: "the date the appointment was booked" is past)."""
    for w in (*reversed(ws), *(w for w in dws if w in _PARTICIPLES), *dws):
        if w in _BIRTH:
            return "date_of_birth"
        if w in _PAST:
            return "past_timestamp"
        if w in _FUTURE:
            return "future_timestamp"
    return "date"


def _named(qualifier: str | None, res: str) -> str:
    """`name` by the word before it: passenger_name, company_name, city_name, hotel_name."""
    person = "person_name" if res in PERSON_RESOURCES else "org_name"
    if qualifier is None:
        return person
    q, s = qualifier, singular(qualifier)
    if q in PERSON_RESOURCES or s in PERSON_RESOURCES:
        return "person_name"
    cue = _CUES.get(q) or _CUES.get(s)
    cue = "region" if cue == "_state" else cue
    if cue in _NAME_TAKES:
        return cue
    return "org_name" if cue or q in _ORGS or q in _REFS else person


def _word_kind(w: str, before: Words, ws: Words, dws: Words, res: str) -> str | None:
    """The kind one head word calls for, in context; None when the word is unknown."""
    s = singular(w)
    kind = _CUES.get(w) or _CUES.get(s)
    if kind is None:
        if w in _REFS or s in _REFS:
            return "identifier"
        if w in PERSON_RESOURCES or s in PERSON_RESOURCES:
            return "person_name"
        return "org_name" if w in _ORGS or s in _ORGS else None
    if kind == "_name":
        return _named(before[-1] if before else None, res)
    if kind == "_personal":
        return "person_name" if not res or res in PERSON_RESOURCES else "org_name"
    if kind == "_title":
        return "job_title" if res in PERSON_RESOURCES else "title"
    if kind == "_state":
        return "region" if _ADDRESS.intersection((*ws, res)) else "status"
    if kind == "_temporal":
        return _when(ws, dws)
    if kind == "_qualified":
        return "future_timestamp" if before else None
    return kind


def _from_name(ws: Words, dws: Words, types: Words, res: str) -> str | None:
    """The head noun decides: scan right to left past noise and trailing participles; a cue
    that does not fit the type is a modifier (`amount_refunded` is money); an unknown word stops."""
    if len(ws) > 1 and ws[0] in _BOOL_PREFIXES and _fits("boolean", types):
        return "boolean"
    cut = next((i for i, w in enumerate(ws) if i and w in _PREPS), len(ws))
    head, prep = ws[:cut], ws[cut] if cut < len(ws) else None
    last = None
    for i in range(len(head) - 1, -1, -1):
        w = head[i]
        if i and w in _NOISE:
            continue
        last = last or w
        if i and w in _PARTICIPLES:
            continue
        if w not in _CUES and _plural(w) and types and set(types) <= {"integer", "number"}:
            return "count"  # guests, rooms, public_repos: a plural counted
        kind = _word_kind(w, head[:i], ws, dws, res)
        if kind is None:
            break
        if _fits(kind, types):
            return kind
    candidates = []
    if prep in _AGENT_PREPS and last in _PAST:
        candidates.append("identifier")  # created_by, assigned_to: who did it
    if prep in _UNTIL or prep in _SINCE:
        candidates.append("future_timestamp" if prep in _UNTIL else "past_timestamp")
    if last in _PARTICIPLES:
        candidates.append(_when((last,), ()))  # order_placed, paid
    if _plural(last) and not types:
        candidates.append("count")  # followers, with no type to say otherwise
    return next((k for k in candidates if _fits(k, types)), None)


def _enum_kind(ws: Words, enum: str, res: str) -> str:
    """A status when the field is named like one or most of its values are lifecycle words."""
    if enum == "boolean":
        return "boolean"
    head = next((w for w in reversed(ws) if w not in _NOISE), "")
    cue = _CUES.get(head)
    if enum == "codes" and cue == "currency":  # `currency: enum [USD, EUR]`: still a currency
        return "currency"
    named = cue == "status" or (cue == "_state" and not _ADDRESS.intersection((*ws, res)))
    return "status" if named or enum == "lifecycle" else "enum"


@lru_cache(maxsize=1 << 16)
def _kind(
    name: str,
    types: Words,
    fmt: str,
    enum: str,
    example: str,
    desc: str,
    res: str,
    plain: str,
) -> str:
    """The kind, from the schema essentials `value_kind` reads (`plain`: a string's fallback)."""
    ws = _prepare(name)
    dws = tuple(re.findall(r"[a-z0-9]+", desc.lower()))
    # 1. the schema's own evidence
    if types == ("boolean",):
        return "boolean"
    if enum:
        return _enum_kind(ws, enum, res)
    by_format = _FORMATS.get(fmt) or (_FORMATS["date-time"] if fmt.startswith("date-time") else "")
    if by_format == "_password":
        return "secret" if any(_CUES.get(w) == "secret" for w in ws) else "password"
    by_example = next((k for rx, k in _EXAMPLE_SHAPES if rx.match(example)), "") if example else ""
    by_example = by_example or ("currency" if example in _CURRENCIES else "")
    for kind in (by_format, by_example):
        if kind:
            return _when(ws, dws) if kind == "_temporal" else kind
    # 2. the name's head noun
    kind = _from_name(ws, dws, types, res)
    if kind:
        return kind
    # 3. the description's words
    text = f" {' '.join(dws)} "
    for phrase, cue in _DESC_CUES:
        if phrase in text:
            kind = _when(ws, dws) if cue == "_temporal" else cue
            if _fits(kind, types):
                return kind
    # 4. the JSON type
    t = next((t for t in types if t in ("boolean", "integer", "number", "string")), "string")
    return plain if t == "string" else t


def _branch(schema: dict) -> dict:
    """The first non-null branch of an anyOf/oneOf/allOf, under the parent's own keys."""
    for key in ("anyOf", "oneOf", "allOf"):
        branches = schema.get(key)
        if "type" not in schema and isinstance(branches, list):
            for b in branches:
                if isinstance(b, dict) and b.get("type") != "null":
                    return {**b, **{k: v for k, v in schema.items() if k != key}}
    return schema


def _types(schema: dict) -> Words:
    t = schema.get("type")
    raw = [t] if isinstance(t, str) else t if isinstance(t, list) else []
    out = (_TYPE_ALIASES.get(x, x) for x in raw if isinstance(x, str))
    return tuple(dict.fromkeys(x for x in out if x != "null"))


def _enum_state(schema: dict) -> str:
    """ "" (no enum), "boolean", "lifecycle" (most values are lifecycle words) or "other"."""
    values = schema["enum"] if isinstance(schema.get("enum"), list) else None
    if values is None and "const" in schema:
        values = [schema["const"]]
    if values is None:
        return ""
    values = [v for v in values if v is not None]
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    strs = [v for v in values if isinstance(v, str)]
    hits = sum("_".join(re.findall(r"[a-z0-9]+", v.lower())) in _LIFECYCLE for v in strs)
    if strs and hits * 2 >= len(strs):
        return "lifecycle"
    return "codes" if strs and all(re.fullmatch(r"[A-Z]{3}", v) for v in strs) else "other"


def value_kind(
    name: str, schema: dict, *, resource: str | None = None, description: str = ""
) -> str:
    """The kind of value the field `name` (with this JSON Schema, on this resource) holds: one
    of KINDS. Arrays answer for their items; `key` is never returned (the caller knows its keys).
    Pure and cached, since the world asks it for every field of every resource it seeds."""
    schema = _branch(schema) if isinstance(schema, dict) else {}
    for _ in range(8):  # an array is its items (`tags` -> tag); bounded against cyclic schemas
        types = _types(schema)
        if types != ("array",) and (types or "items" not in schema):
            break
        ws = words(name)
        name = "_".join((*ws[:-1], singular(ws[-1]))) if ws else name
        description = description or str(schema.get("description") or "")
        items = schema.get("items")
        schema = _branch(items) if isinstance(items, dict) else {}
    if types == ("object",) or (not types and "properties" in schema):
        return "object"
    examples = schema.get("examples")
    examples = examples[:1] if isinstance(examples, list) else []
    ex = [
        x for x in (schema.get("example"), *examples, schema.get("default")) if isinstance(x, str)
    ] or described_examples(str(schema.get("description") or ""))[:1]
    desc = " ".join(d for d in (description, schema.get("description")) if isinstance(d, str) and d)
    res = singular(words(resource)[-1]) if resource and words(resource) else ""
    long_text = isinstance(schema.get("maxLength"), int) and schema["maxLength"] >= 500
    return _kind(
        name,
        tuple(t for t in types if t not in ("array", "object")),
        str(schema.get("format") or ""),
        _enum_state(schema),
        ex[0] if ex else "",
        desc,
        res,
        "code" if schema.get("pattern") else "free_text" if long_text else "text",
    )


def is_secret(name: str, schema: dict | None = None) -> bool:
    """True for passwords, pins, cvvs, card numbers, tokens and keys: values never to echo."""
    return value_kind(name, schema or {}) in _SECRET_KINDS
