"""How a row's fields are read once into a plan: each field's kind, role and generator data,
and the word lists (`data/words/realism.yaml`) the values come from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from faker import Faker

from gauntlet.names import words
from gauntlet.resources import WORDS_DIR
from gauntlet.seeds import derive_int
from gauntlet.world.clock import Moment
from gauntlet.world.fit import SHAPES
from gauntlet.world.kinds import value_kind

R: dict[str, Any] = yaml.safe_load((WORDS_DIR / "realism.yaml").read_text(encoding="utf-8"))
PEOPLE, LOCALES, LISTS, MONEY = R["people"], R["locales"], R["lists"], R["money"]
GENERIC = frozenset(R["generic_words"])
NAME_WORDS, SELF, SAME = (frozenset(PEOPLE[k]) for k in ("name_words", "self_roles", "same_person"))
AIRLINES = [tuple(a.split("|")) for a in LISTS["airlines"]]
LANGUAGES = [tuple(a.split("|")) for a in LISTS["languages"]]
PLACES = {v: c for c, x in LOCALES.items() for v in (c, x["country"], x["iso3"], *x["cities"])}
TABLES = {"company": "companies", "job_title": "job_titles", "department": "departments",
          "category": "categories", "tag": "tags", "title": "titles", "free_text": "texts",
          "text": "short_texts", "enum": "short_texts", "status": "statuses", "code": "codes",
          "id": "codes", "account_number": "codes", "version": "codes", "password": "codes",
          "secret": "codes", "url": "urls"}  # fmt: skip
FORMAT_KINDS = {"email": "email", "uri": "url", "url": "url", "uuid": "uuid", "ipv4": "ip_address",
                "ipv6": "ip_address", "time": "time_of_day", "date": "date", "date-time": "date",
                "hostname": "hostname"}  # fmt: skip
NUMERIC = frozenset(
    {"count", "quantity", "percentage", "age", "integer", "number", "duration", "rating"}
)
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
SKIP = frozenset({"reference", "identifier", "key"})
PERSONAL = frozenset({"person_name", "first_name", "last_name"})
SEMANTIC = frozenset({"currency", "country", "language", "gender", "timezone"})
NAME_OK = re.compile(r"^[^\W\d_]+(?:[ '-][^\W\d_]+)*$")
SLOT = re.compile(r"\{([A-Za-z_]+?)(\d*)\}")


@cache
def row_hash(text: str) -> int:
    return derive_int("row-values", text)


def pick_one(seq: Any, n: int) -> Any:
    return seq[n % len(seq)]


@cache
def template_parts(template: str) -> tuple | str:
    """A template compiled once: literals, shapes (chars, count), row slots and list picks."""
    out: list = []
    at = 0
    for m in SLOT.finditer(template):
        name, count = m.group(1), int(m.group(2) or 1)
        out.append(template[at : m.start()])
        if name in SHAPES:  # in chunks of ten characters: one 64-bit draw each
            out += [(SHAPES[name], min(10, count - i)) for i in range(0, count, 10)]
        elif name in SLOTS:
            out.append((SLOTS[name],))
        else:
            out.append(LISTS[name] if isinstance(LISTS.get(name), list) else m.group())
        at = m.end()
    parts = tuple(p for p in [*out, template[at:]] if p != "")
    return parts[0] if len(parts) == 1 and parts[0].__class__ is str else parts


@cache
def name_parts(code: str) -> tuple[tuple[str, ...], ...]:
    """(female first names, male first names, last names) of a locale, from Faker, once."""
    loc = LOCALES[code]
    fake = Faker(loc["faker"])
    fake.seed_instance(derive_int("row-values-names", code))
    r = "_romanized" if loc.get("faker_romanized") else ""
    makers = [getattr(fake, f"first{r}_name_{g}") for g in ("female", "male")]
    makers.append(getattr(fake, f"last{r}_name"))
    return tuple(
        tuple(dict.fromkeys(x for _ in range(300) if NAME_OK.match(x := f()))) for f in makers
    )


@cache
def ascii_word(text: str) -> str:
    """`Jürgen O'Neil` -> `jurgenoneil`: a name as a mailbox or handle spells it."""
    text = "".join(PEOPLE["transliterate"].get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower()) or "user"


@cache
def given_kind(name: str, resource: str) -> tuple[str, str]:
    """What a field of this name holds (a person's name, an email) and whose (its role)."""
    role = "_".join(w for w in words(name) if w not in NAME_WORDS and w not in SAME)
    return value_kind(name, {"type": "string"}, resource=resource), "" if role in SELF else role


@dataclass(slots=True)
class Spec:
    """One field, read once: its kind and type, its generator and what that needs."""

    name: str
    kind: str
    schema: dict
    typ: str
    ws: tuple[str, ...]
    h: int
    gen: Any = None
    data: Any = None  # a pool of templates, a range, a role: what the generator reads
    fmt: str = ""  # how a moment is written
    rx: re.Pattern | None = None
    plain: bool = True  # no bounds, lengths or pattern to fit
    simple: bool = True  # not an enum, an array or an object
    loose: bool = False  # a string with a pattern but no lengths
    options: list | None = None  # enum (or const) values
    bounds: tuple = (None,) * 5  # minimum, maximum, exclusive minimum and maximum, multipleOf
    examples: list = field(default_factory=list)  # the schema's own example values
    exact: bool = False  # the pool is this field's or this resource's own, not a fallback
    items: Spec | None = None
    props: Plan | None = None


@dataclass(slots=True)
class Plan:
    """A field list read once: its specs and what ties them (moments, base amount, names)."""

    resource: str
    noun: str
    specs: list[Spec] = field(default_factory=list)
    out: list[Spec] = field(default_factory=list)  # the specs `fill` answers for
    by: dict[str, Spec] = field(default_factory=dict)
    moments: list[Moment] = field(default_factory=list)
    thing: list | None = None  # the templates of the row's own name, when it is a named thing
    org: bool = False  # that thing is a place or business (its own mailbox and website)
    people: bool = False  # the row names a person
    base: str | None = None  # the amount the row's fees, taxes and refunds are shares of


SLOTS = {  # the row's own values a template may name
    "city": lambda r, n: r.city()[0],
    "region": lambda r, n: r.city()[1][0],
    "country": lambda r, n: r.locale()[1]["country"],
    "cc": lambda r, n: r.locale()[0],
    "street": lambda r, n: r.expand(r.locale()[1]["street"], n),
    "number": lambda r, n: str(1 + n % 180),
    "street_name": lambda r, n: pick_one(r.locale()[1]["streets"], n),
    "first": lambda r, n: r.person("")[0],
    "last": lambda r, n: r.person("")[1],
    "user": lambda r, n: r.handle(PEOPLE["username_styles"], "", n),
    "thing": lambda r, n: r.thing(n),
    "noun": lambda r, n: " ".join(words(r.plan.noun)),
    "Noun": lambda r, n: " ".join(words(r.plan.noun)).title(),
    "airline": lambda r, n: r.shared_pick("airline", AIRLINES, 41)[1],
    "airline_name": lambda r, n: r.shared_pick("airline", AIRLINES, 41)[0],
    "origin": lambda r, n: r.airport(0),
    "destination": lambda r, n: r.airport(1),
    "day": lambda r, n: pick_one(LISTS["days"], n),
    "month": lambda r, n: pick_one(LISTS["months"], n),
    "year": lambda r, n: str(r.rv.now.year),
    "tld": lambda r, n: r.locale()[1]["tld"],
    "slug": lambda r, n: r.slug(n),
    "host": lambda r, n: r.host(n),
}  # fmt: skip
