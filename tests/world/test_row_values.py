"""Row values read like a real system's rows: one person, one place, one currency, moments on
the right side of the clock and in order, amounts that suit what they price, names of things
that are names of things; every value valid for its field's schema; the same row for the same
key, whatever else is filled."""

from __future__ import annotations

import datetime as dt
import re
import time
from functools import cache

import pytest
import yaml
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from gauntlet.catalog import load_folder
from gauntlet.names import words
from gauntlet.resources import WORDS_DIR
from gauntlet.world.clock import age_on
from gauntlet.world.kinds import value_kind
from gauntlet.world.row_spec import ascii_word
from gauntlet.world.row_values import RowValues
from gauntlet.world.schema import infer

NOW = dt.date(2026, 11, 15)
REALISM = yaml.safe_load((WORDS_DIR / "realism.yaml").read_text(encoding="utf-8"))
PAIRS = [tuple(p) for p in REALISM["time"]["pairs"]]
FORBIDDEN = {"lorem", "ipsum", "dolor", "synergize", "synergy", "paradigm", "extranet",
             "zero-defect", "user-friendly", "leverage", "mindshare", "e-markets"}  # fmt: skip
NAME_WORDS = {"name", "full", "first", "last", "email", "username", "work", "contact", "display"}
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
CURRENCIES = {"banking": "EUR", "travel": "GBP", "clinic": "USD", "retail": "CHF", "hr": "CAD"}


@cache
def world_schemas() -> dict[str, dict]:
    return {w["domain"]: w for w in infer(load_folder("data/catalogs").tools)}


@cache
def person_names() -> tuple[frozenset[str], frozenset[str]]:
    """First and last names Faker knows, to tell a person's name from a thing's."""
    firsts: set[str] = set()
    lasts: set[str] = set()
    for loc in ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL"):
        fake = Faker(loc)
        fake.seed_instance(0)
        firsts |= {fake.first_name() for _ in range(500)}
        lasts |= {fake.last_name() for _ in range(500)}
    return frozenset(firsts), frozenset(lasts)


def moment(value: str) -> dt.datetime | None:
    """A date or date-time value, naive UTC."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def role(name: str) -> str:
    return "_".join(w for w in words(name) if w not in NAME_WORDS)


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    return []


def check_row(row: dict, fields: list[dict], currency: str) -> None:
    """Every rule a shipped row keeps (see the module docstring)."""
    kinds = {f["name"]: f["kind"] for f in fields}
    for f in fields:
        if f["kind"] in ("reference", "identifier"):
            assert f["name"] not in row
            continue
        value = row[f["name"]]
        errors = list(
            Draft202012Validator(f["schema"], format_checker=FormatChecker()).iter_errors(value)
        )
        assert not errors, (f["name"], value, errors[0].message)
        if f["schema"].get("format") == "date-time":
            assert ISO_DATETIME.match(value), (f["name"], value)
        for text in strings(value):
            assert not set(re.findall(r"[a-z-]+", text.lower())) & FORBIDDEN, text
        when = moment(value) if f["kind"] in ("past_timestamp", "future_timestamp") else None
        if when and f["kind"] == "past_timestamp":
            assert when.date() < NOW, (f["name"], value)
        if when and f["kind"] == "future_timestamp":
            assert when.date() > NOW, (f["name"], value)
        if f["kind"] == "currency":
            assert value == currency
        if f["kind"] == "date_of_birth":
            assert 18 <= age_on(moment(value), dt.datetime.combine(NOW, dt.time())) <= 85
    for a, b in PAIRS:  # every span in order
        for name in row:
            snake = "_".join(words(name))
            if f"_{a}_" in f"_{snake}_":
                end = f"_{snake}_".replace(f"_{a}_", f"_{b}_", 1).strip("_")
                start_t, end_t = moment(row[name]), moment(row.get(end))
                if start_t and end_t:
                    assert start_t < end_t, (name, row[name], end, row[end])
                elif (
                    kinds.get(end)
                    and re.match(r"^\d\d:\d\d$", str(row.get(end)))
                    and a.startswith("open")
                ):
                    assert row[name] < row[end]
    if moment(row.get("created_at")) and moment(row.get("updated_at")):
        assert moment(row["created_at"]) < moment(row["updated_at"])
    names = {role(n): row[n] for n, k in kinds.items() if k == "person_name" and n in row}
    for n, k in kinds.items():
        if k in ("email", "username") and role(n) in names and n in row:
            last = ascii_word(names[role(n)].split()[-1])
            first = ascii_word(names[role(n)].split()[0])
            assert last in row[n] or first in row[n], (names, row[n])
    firsts, lasts = person_names()
    for n, k in kinds.items():
        if k == "org_name" and isinstance(row.get(n), str) and "full" not in words(n):  # a full
            # name on a thing resource (an order's recipient) is a person's, whatever the kind
            parts = row[n].split()
            assert not (len(parts) == 2 and parts[0] in firsts and parts[1] in lasts), row[n]


@pytest.mark.parametrize(
    "domain", ["banking", "clinic", "food_delivery", "helpdesk", "hr", "retail", "travel"]
)
def test_shipped_rows_are_valid_and_coherent(domain: str) -> None:
    schema = world_schemas()[domain]
    currency = CURRENCIES.get(domain, "USD")
    rv = RowValues(11, NOW, currency, domain)
    for res in schema["resources"]:
        rows = [rv.fill(res["name"], res["fields"], key=(k,)) for k in range(20)]
        for row in rows:
            check_row(row, res["fields"], currency)
        if len(res["fields"]) > 1:
            assert len({repr(sorted(r.items())) for r in rows}) > 10, res["name"]


def test_rows_read_like_real_records() -> None:
    """Spot checks on a few rows: durations equal their spans, amounts fit, places agree."""
    travel = {r["name"]: r for r in world_schemas()["travel"]["resources"]}
    rv = RowValues(3, NOW, "EUR", "travel")
    for k in range(20):
        stay = rv.fill("reservation", travel["reservation"]["fields"], key=(k,))
        nights = moment(stay["check_out_date"]) - moment(stay["check_in_date"])
        assert stay["nights"] == nights.days >= 1
        assert moment(stay["free_cancellation_until"]) < moment(stay["check_in_date"])
        flight = rv.fill("flight", travel["flight"]["fields"], key=(k,))
        span = moment(flight["arrival_time"]) - moment(flight["departure_time"])
        assert flight["duration_minutes"] == span.total_seconds() / 60
        assert flight["flight_number"].split()[0] in {
            a.split("|")[1] for a in REALISM["lists"]["airlines"]
        }
        assert flight["origin"] != flight["destination"]
        hotel = rv.fill("hotel", travel["hotel"]["fields"], key=(k,))
        locale = REALISM["locales"][hotel["country"]]
        assert hotel["city"] in locale["cities"] and locale["currency"] == "EUR"
        assert hotel["email"].split("@")[1].endswith(locale["tld"])  # the hotel's own mailbox
        assert re.match(r"^\d\d:\d\d$", hotel["check_in_time"])


def test_a_row_is_one_place() -> None:
    """A nested address, the row's city, postcode and country are all one locale's."""
    retail = {r["name"]: r for r in world_schemas()["retail"]["resources"]}
    rv = RowValues(4, NOW, "GBP", "retail")
    for k in range(20):
        order = rv.fill("order", retail["order"]["fields"], key=(k,))
        assert order["shipping_address"]["city"] == order["city"] == order["location"]
        assert order["shipping_address"]["country"] == order["country"] == "GB"
        assert order["city"] in REALISM["locales"]["GB"]["cities"]
        assert re.match(r"^[A-Z]{2}\d \d[A-Z]{2}$", order["postal_code"])
        assert re.match(r"^[A-Z0-9]{4,12}$", order["promo_code"])


def test_patterns_and_enums_prefer_the_rows_own_values() -> None:
    fields = [
        {"name": n, "kind": k, "type": "string", "schema": sch}
        for n, k, sch in [
            ("confirmation_code", "code", {"type": "string", "pattern": "^[A-Z0-9]{6}$"}),
            ("category_code", "code", {"type": "string", "pattern": "^[0-9]{4}$"}),
            ("currency", "currency", {"type": "string", "enum": ["USD", "EUR", "JPY"]}),
            ("country", "country", {"type": "string", "pattern": "^[A-Z]{3}$"}),
            ("phone", "phone", {"type": "string", "pattern": "^\\+\\d{7,15}$"}),
            (
                "tags",
                "tag",
                {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 3,
                    "maxItems": 3,
                    "uniqueItems": True,
                },
            ),
        ]
    ]
    rv = RowValues(8, NOW, "EUR", "retail")
    for k in range(30):
        row = rv.fill("order", fields, key=(k,))
        assert row["currency"] == "EUR" and row["country"] in {
            x["iso3"] for x in REALISM["locales"].values()
        }
        assert re.match(r"^\+\d{7,15}$", row["phone"]) and len(set(row["tags"])) == 3
        for f in fields:
            assert not list(
                Draft202012Validator(f["schema"], format_checker=FormatChecker()).iter_errors(
                    row[f["name"]]
                )
            )


def test_money_agrees_within_a_row() -> None:
    fields = [
        {
            "name": "subtotal",
            "kind": "money",
            "type": "number",
            "schema": {"type": "number", "minimum": 0},
        },
        {"name": "tax", "kind": "money", "type": "number", "schema": {"type": "number"}},
        {"name": "service_fee", "kind": "money", "type": "number", "schema": {"type": "number"}},
        {"name": "discount", "kind": "money", "type": "number", "schema": {"type": "number"}},
        {"name": "total", "kind": "money", "type": "number", "schema": {"type": "number"}},
        {"name": "amount_cents", "kind": "money", "type": "integer", "schema": {"type": "integer"}},
        {"name": "currency", "kind": "currency", "type": "string", "schema": {"type": "string"}},
    ]
    rv = RowValues(5, NOW, "USD", "retail")
    for k in range(30):
        row = rv.fill("invoice", fields, key=(k,))
        assert 0 < row["tax"] <= 0.2 * row["subtotal"] + 0.01
        assert row["service_fee"] <= 0.08 * row["subtotal"] + 0.01
        assert row["discount"] <= row["subtotal"]
        expected = row["subtotal"] + row["tax"] + row["service_fee"] - row["discount"]
        assert abs(row["total"] - expected) < 0.02
        assert isinstance(row["amount_cents"], int) and row["amount_cents"] >= 100
        assert row["currency"] == "USD"
    salary = [
        {"name": "monthly_salary", "kind": "money", "type": "number", "schema": {"type": "number"}}
    ]
    for k in range(30):
        assert 2500 <= rv.fill("employee", salary, key=(k,))["monthly_salary"] <= 12000
    yen = RowValues(5, NOW, "JPY", "retail").fill("product", fields[:1], key=(1,))
    assert isinstance(yen["subtotal"], int) and yen["subtotal"] >= 500


def test_a_person_is_one_person() -> None:
    """Age agrees with the birth date; a given age fixes the birth date; a refund never
    exceeds the amount it refunds."""
    fields = [
        {
            "name": "date_of_birth",
            "kind": "date_of_birth",
            "type": "string",
            "schema": {"type": "string", "format": "date"},
        },
        {"name": "age", "kind": "age", "type": "integer", "schema": {"type": "integer"}},
        {"name": "amount", "kind": "money", "type": "number", "schema": {"type": "number"}},
        {"name": "refund_amount", "kind": "money", "type": "number", "schema": {"type": "number"}},
    ]
    rv = RowValues(6, NOW, "EUR", "clinic")
    now = dt.datetime.combine(NOW, dt.time())
    for k in range(30):
        row = rv.fill("patient", fields, key=(k,))
        assert row["age"] == age_on(moment(row["date_of_birth"]), now)
        assert row["refund_amount"] <= row["amount"]
        fixed = rv.fill("patient", fields[:1], key=(k,), given={"age": 40})
        assert age_on(moment(fixed["date_of_birth"]), now) == 40


def test_things_are_named_like_things_in_any_domain() -> None:
    def name(domain: str, resource: str, field: str = "name") -> str:
        f = {"name": field, "kind": "org_name", "type": "string", "schema": {"type": "string"}}
        return RowValues(2, NOW, "USD", domain).fill(resource, [f], key=(resource,))[field]

    assert name("petstore", "pet") in REALISM["things"]["pet"]
    assert re.match(r"^[a-z]+-[a-z]+$", name("github", "repository"))
    assert "Observatory" in name("observatory", "observatory")
    assert name("discord", "channel") in REALISM["things"]["channel"]
    assert name("food_delivery", "order", "restaurant_name").replace("{city}", "") != ""
    assert name("stripe", "product") in REALISM["things"]["plan"]


def test_given_values_are_kept_and_followed() -> None:
    fields = [
        {"name": n, "kind": k, "type": "string", "schema": {"type": "string", **extra}}
        for n, k, extra in [
            ("email", "email", {"format": "email"}),
            ("username", "username", {}),
            ("last_name", "last_name", {}),
            ("updated_at", "past_timestamp", {"format": "date-time"}),
            ("end_date", "future_timestamp", {"format": "date"}),
            ("city", "city", {}),
            ("country", "country", {}),
        ]
    ]
    rv = RowValues(9, NOW, "EUR", "hr")
    given = {
        "first_name": "Maria",
        "created_at": "2026-11-10T08:00:00Z",
        "start_date": "2027-01-20",
        "city": "Lyon",
    }
    for k in range(20):
        row = rv.fill("employee", fields, key=(k,), given=given)
        assert "first_name" not in row and "maria" in row["email"] and "m" in row["username"]
        assert ascii_word(row["last_name"]) in row["email"] or row["email"].startswith("m")
        assert "2026-11-10T08:00:00" < row["updated_at"] < "2026-11-15"
        assert row["end_date"] > "2027-01-20"
        assert row["country"] == "France"
    named = rv.fill("patient", fields[:2], key=(1,), given={"full_name": "Jürgen Groß"})
    assert "jurgen" in named["email"] or "gross" in named["email"]


def test_the_same_key_gives_the_same_row() -> None:
    fields = world_schemas()["clinic"]["resources"]
    patient = next(r for r in fields if r["name"] == "patient")["fields"]
    a = RowValues(1, NOW, "USD", "clinic").fill("patient", patient, key=("P1",))
    b = RowValues(1, NOW, "USD", "clinic").fill("patient", [dict(f) for f in patient], key=("P1",))
    c = RowValues(1, NOW, "USD", "clinic").fill("patient", patient, key=("P2",))
    d = RowValues(2, NOW, "USD", "clinic").fill("patient", patient, key=("P1",))
    assert a == b and a != c and a != d


def test_a_row_fills_in_tens_of_microseconds() -> None:
    order = next(r for r in world_schemas()["food_delivery"]["resources"] if r["name"] == "order")
    fields = [f for f in order["fields"] if f["kind"] not in ("reference", "object")][:15]
    rv = RowValues(1, NOW, "USD", "food_delivery")
    for k in range(200):
        rv.fill("order", fields, key=(k,))
    start = time.perf_counter()
    for k in range(2000):
        rv.fill("order", fields, key=(k,))
    assert (time.perf_counter() - start) / 2000 < 500e-6  # generous: CI machines vary


# --- any fields at all ----------------------------------------------------------------------

KINDS_YAML = yaml.safe_load((WORDS_DIR / "kinds.yaml").read_text(encoding="utf-8"))
CUE_WORDS = sorted({w for ws in KINDS_YAML["cues"].values() for w in ws if isinstance(w, str)})
QUALIFIERS = [
    "created",
    "start",
    "end",
    "first",
    "last",
    "total",
    "min",
    "max",
    "home",
    "is",
    "check",
    "in",
]
PATTERNS = [
    r"^[A-Z]{3}$",
    r"^[0-9]{4,8}$",
    r"^[a-z][a-z0-9_]{2,15}$",
    r"^\+\d{7,15}$",
    r"^[A-Z]{2}-\d{4}$",
    r"^[A-Z0-9]{6}$",
]

strings_schema = st.one_of(
    st.just({"type": "string"}),
    st.sampled_from(["email", "date", "date-time", "uri", "uuid", "time"]).map(
        lambda f: {"type": "string", "format": f}
    ),
    st.sampled_from(PATTERNS).map(lambda p: {"type": "string", "pattern": p}),
    st.tuples(st.integers(0, 30), st.integers(0, 40)).map(
        lambda t: {"type": "string", "minLength": t[0], "maxLength": t[0] + t[1]}
    ),
    st.lists(st.text("abcdefgh_", min_size=1, max_size=8), min_size=1, max_size=5, unique=True).map(
        lambda e: {"type": "string", "enum": e}
    ),
    st.just({"type": ["string", "null"]}),
)
integer_schema = st.tuples(st.integers(-50, 3000), st.integers(0, 500), st.booleans(), st.booleans()).map(
    lambda t: {"type": "integer", ("exclusiveMinimum" if t[2] else "minimum"): t[0],
               ("exclusiveMaximum" if t[3] else "maximum"): t[0] + t[1] + 2 * (t[2] or t[3])}
)  # fmt: skip
number_schema = st.tuples(st.floats(-100, 1000), st.floats(0.5, 500), st.booleans()).map(
    lambda t: (
        {"type": "number", "minimum": round(t[0], 2)}
        | ({"maximum": round(t[0] + t[1], 2)} if t[2] else {})
    )
)
scalar_schema = st.one_of(
    strings_schema, integer_schema, number_schema, st.just({"type": "boolean"}),
    st.just({"type": "integer"}), st.just({"type": "number"}),
)  # fmt: skip
array_schema = st.tuples(
    st.one_of(strings_schema, integer_schema), st.integers(0, 3), st.integers(0, 3)
).map(lambda t: {"type": "array", "items": t[0], "minItems": t[1], "maxItems": t[1] + t[2]})
field_names = st.tuples(st.sampled_from(QUALIFIERS + [""]), st.sampled_from(CUE_WORDS)).map(
    lambda t: "_".join(w for w in t if w)
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(field_names, st.one_of(scalar_schema, array_schema)), min_size=1, max_size=8,
             unique_by=lambda t: t[0]),
    st.sampled_from(["customer", "hotel", "order", "pet", "observatory", "repository", "ticket", "shift"]),
    st.sampled_from(["retail", "travel", "petstore", "discord", "stripe", "observatory", "clinic"]),
    st.integers(0, 10**6),
)  # fmt: skip
def test_any_fields_get_valid_values(fields, resource, domain, key) -> None:
    specs = [
        {
            "name": n,
            "kind": value_kind(n, s, resource=resource),
            "type": str(s.get("type")),
            "schema": s,
        }
        for n, s in fields
    ]
    row = RowValues(key % 7, NOW, "EUR", domain).fill(resource, specs, key=(key,))
    for f in specs:
        if f["kind"] in ("reference", "identifier"):
            continue
        errors = list(
            Draft202012Validator(f["schema"], format_checker=FormatChecker()).iter_errors(
                row[f["name"]]
            )
        )
        assert not errors, (f, row[f["name"]], errors[0].message)
