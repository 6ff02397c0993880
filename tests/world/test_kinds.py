"""What kind of value a field holds, read like examples: real field names from public APIs
(Stripe, GitHub, Discord, Twilio, the OpenAPI petstore) and typical CRM, HR, travel and clinic
catalogs, each with the schema it comes with and the kind a realistic value must be of."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gauntlet.world import kinds
from gauntlet.world.fit import examples_of
from gauntlet.world.kinds import KINDS, PERSON_RESOURCES, is_secret, value_kind

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
N = {"type": "number"}
B = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}

# (field name, its schema, the resource it is on, the kind)
REAL_FIELDS = [
    # Stripe: amounts are integers in cents, timestamps unix integers, references bare nouns
    ("unit_amount", {"type": ["integer", "null"]}, "price", "money"),
    ("amount_refunded", I, "charge", "money"),  # the participle trails the noun it describes
    ("amount_due", I, "invoice", "money"),
    ("currency", S, "charge", "currency"),
    ("created", {"type": "integer", "format": "unix-time"}, "charge", "past_timestamp"),
    ("receipt_email", {"type": "string", "nullable": True}, "charge", "email"),
    ("paid", B, "charge", "boolean"),
    ("livemode", B, "charge", "boolean"),
    ("metadata", {"type": "object", "additionalProperties": S}, "charge", "object"),
    ("days_until_due", I, "invoice", "duration"),
    ("trial_end", I, "subscription", "future_timestamp"),
    # Stripe's expandable reference: a string id or the object; the id branch is read
    (
        "customer",
        {
            "anyOf": [{"type": "string", "maxLength": 5000}, {"$ref": "#/c/customer"}],
            "description": "ID of the customer this charge is for if one exists.",
        },
        "charge",
        "identifier",
    ),
    (
        "balance_transaction",
        {"type": "string", "description": "ID of the balance transaction that describes it."},
        "charge",
        "identifier",  # an unknown head noun: the description decides
    ),
    ("status", {"type": "string", "enum": ["succeeded", "pending", "failed"]}, "charge", "status"),
    # GitHub
    ("html_url", {"type": "string", "format": "uri"}, "repository", "url"),
    ("avatar_url", S, "user", "url"),
    ("created_at", DATETIME, "repository", "past_timestamp"),
    ("pushed_at", DATETIME, "repository", "past_timestamp"),
    ("login", S, "user", "username"),
    ("full_name", S, "repository", "org_name"),  # octocat/Hello-World: the repository's own name
    ("full_name", S, "user", "person_name"),
    ("stargazers_count", I, "repository", "count"),
    ("public_repos", I, "user", "count"),  # a plural counted
    ("node_id", S, "user", "identifier"),
    ("bio", {"type": ["string", "null"]}, "user", "free_text"),
    ("company", S, "user", "company"),
    ("private", B, "repository", "boolean"),
    ("state", {"type": "string", "enum": ["open", "closed"]}, "issue", "status"),
    ("sha", S, "commit", "code"),
    # Discord
    ("guild_id", S, "member", "identifier"),
    ("username", S, "user", "username"),
    ("global_name", {"type": ["string", "null"]}, "user", "person_name"),
    ("mfa_enabled", B, "user", "boolean"),
    # Twilio (PascalCase in the API's JSON, its own formats in the spec)
    (
        "DateCreated",
        {"type": "string", "format": "date-time-rfc-2822"},
        "message",
        "past_timestamp",
    ),
    ("DateSent", S, "message", "past_timestamp"),
    ("To", {"type": "string", "format": "phone-number"}, "message", "phone"),
    (
        "From",
        {"type": "string", "description": "The phone number that sent it"},
        "message",
        "phone",
    ),
    ("Status", {"type": "string", "enum": ["queued", "sent", "delivered"]}, "message", "status"),
    ("Price", {"type": ["string", "null"]}, "message", "money"),
    ("PriceUnit", S, "message", "currency"),
    ("Sid", S, "message", "identifier"),
    # the OpenAPI petstore: a pet is not a person, so its name is the thing's own name
    ("petId", {"type": "integer", "format": "int64"}, "pet", "identifier"),
    ("name", S, "pet", "org_name"),
    ("photoUrls", {"type": "array", "items": S}, "pet", "url"),  # an array answers for its items
    ("tags", {"type": "array", "items": S}, "pet", "tag"),
    ("quantity", {"type": "integer", "format": "int32"}, "order", "quantity"),
    ("shipDate", DATETIME, "order", "date"),  # to ship or shipped: the direction is not clear
    ("status", {"type": "string", "enum": ["available", "pending", "sold"]}, "pet", "status"),
    ("complete", B, "order", "boolean"),
    # CRM and HR
    ("first_name", S, "contact", "first_name"),
    ("lastName", S, "contact", "last_name"),
    ("name", S, "contact", "person_name"),
    ("email", S, "contact", "email"),
    ("phone_number", S, "contact", "phone"),
    ("job_title", S, "employee", "job_title"),
    ("title", S, "employee", "job_title"),  # a title on a person is their job title
    ("title", S, "ticket", "title"),
    ("department", S, "employee", "department"),
    ("salary", N, "employee", "money"),
    ("hire_date", DATE, "employee", "past_timestamp"),
    ("date_of_birth", DATE, "patient", "date_of_birth"),
    ("age", I, "patient", "age"),
    ("gender", S, "patient", "gender"),
    ("iban", S, "account", "iban"),
    ("account_number", S, "account", "account_number"),
    ("balance", N, "account", "money"),
    ("is_active", B, "user", "boolean"),
    ("last_login", DATETIME, "user", "past_timestamp"),
    ("created_by", S, "ticket", "identifier"),  # who did it, not when
    ("priority", S, "ticket", "category"),
    ("notes", S, "contact", "free_text"),
    # addresses
    ("street", S, "address", "street_address"),
    ("address_line_1", S, "customer", "street_address"),
    ("shipping_address_city", S, "order", "city"),
    ("state", S, "address", "region"),  # a state in an address is a region
    ("state", S, "order", "status"),
    ("postal_code", S, "address", "postcode"),
    ("country", S, "address", "country"),
    ("latitude", N, "hotel", "latitude"),
    ("lng", N, "hotel", "longitude"),
    # travel
    ("departure_time", S, "flight", "future_timestamp"),
    ("arrive_by", DATETIME, "trip", "future_timestamp"),
    ("check_in_date", DATE, "booking", "future_timestamp"),
    ("nights", I, "booking", "duration"),
    ("length_of_stay", I, "booking", "duration"),
    ("guests", I, "booking", "count"),
    ("hotel_name", S, "booking", "org_name"),
    ("name", S, "hotel", "org_name"),
    ("passenger_name", S, "booking", "person_name"),
    ("flight_number", S, "flight", "code"),
    ("origin_airport", S, "flight", "code"),
    ("seat", S, "boarding_pass", "code"),
    ("confirmation_code", S, "booking", "code"),
    ("booking_reference", S, "booking", "code"),
    ("nightly_rate", N, "room", "money"),
    ("cabin_class", {"type": "string", "enum": ["economy", "business", "first"]}, None, "enum"),
    # clinic
    ("appointment_start", DATETIME, "appointment", "future_timestamp"),
    ("insurance_provider", S, "patient", "company"),
    ("reason", S, "appointment", "free_text"),
    ("specialty", S, "doctor", "department"),
    ("duration_minutes", I, "appointment", "duration"),
    # commerce
    ("restaurant_name", S, "reservation", "org_name"),
    ("sku", S, "product", "code"),
    ("subtotal", N, "order", "money"),
    ("tax_rate", N, "order", "percentage"),  # a tax *rate* is a percentage, a tax an amount
    ("tax", N, "order", "money"),
    ("discount_pct", N, "order", "percentage"),
    ("rating", N, "review", "rating"),
    ("placed_at", DATETIME, "order", "past_timestamp"),
    ("expires_at", DATETIME, "coupon", "future_timestamp"),
    ("valid_until", DATE, "coupon", "future_timestamp"),
    ("due_date", DATE, "invoice", "future_timestamp"),
    ("category", S, "product", "category"),
    ("amount_in_cents", I, "payment", "money"),
    # the rest of the vocabulary
    ("X-Request-Id", S, None, "identifier"),
    ("opening_time", S, "restaurant", "time_of_day"),
    ("timezone", S, "user", "timezone"),
    ("website", S, "company", "url"),
    ("ip_address", S, "session", "ip_address"),
    ("locale", S, "user", "language"),
    ("color", S, "label", "color"),
    ("version", S, "release", "version"),
    ("file_name", S, "attachment", "file_name"),
    ("content_type", S, "attachment", "mime_type"),
    ("subject", S, "email", "title"),
    ("password", {"type": "string", "format": "password"}, "user", "password"),
    ("api_key", S, "integration", "secret"),
    ("payload", {"type": "string", "format": "byte"}, "webhook", "binary"),
    ("weight", N, "parcel", "number"),
    ("page", I, None, "integer"),
    ("nickname_suffix", S, None, "text"),
]


@pytest.mark.parametrize(
    ("name", "schema", "resource", "kind"),
    REAL_FIELDS,
    ids=[f"{r}.{n}" for n, _, r, _ in REAL_FIELDS],
)
def test_real_fields_get_the_kind_a_realistic_value_needs(name, schema, resource, kind):
    assert value_kind(name, schema, resource=resource) == kind


def test_the_examples_cover_the_whole_vocabulary_but_key():
    # `key` (a resource's own id) is the caller's to assign: value_kind says `identifier`
    assert {k for *_, k in REAL_FIELDS} == KINDS - {"key"}


@pytest.mark.parametrize(
    ("name", "schema", "kind"),
    [
        ("contact", {"type": "string", "format": "email"}, "email"),
        ("code", {"type": "string", "enum": ["active", "inactive", "suspended"]}, "status"),
        ("unit", {"type": "string", "example": "EUR"}, "currency"),
        ("homepage", {"type": "string", "examples": ["jane@example.com"]}, "email"),
        ("name", {"type": "boolean"}, "boolean"),
        ("id", {"type": "string", "format": "uri"}, "url"),
        ("when", {"type": "string", "example": "2024-05-01"}, "date"),
        ("birth", {"type": "string", "format": "date"}, "date_of_birth"),
        ("email_verified", {"type": "boolean"}, "boolean"),
        ("is_member", {"enum": [True, False]}, "boolean"),
        ("pin", {"type": "string", "format": "password"}, "secret"),
    ],
)
def test_the_schemas_own_evidence_beats_the_name(name, schema, kind):
    assert value_kind(name, schema) == kind


@pytest.mark.parametrize(
    ("name", "description", "kind"),
    [
        ("date", "Date the invoice is due", "future_timestamp"),
        ("date", "The date the appointment was booked", "past_timestamp"),
        ("value", "Three-letter ISO 4217 currency code", "currency"),
        ("value", "The amount in cents", "money"),
        ("when", "Unix timestamp at which the link expires", "future_timestamp"),
    ],
)
def test_the_description_speaks_when_the_name_does_not(name, description, kind):
    assert value_kind(name, {"type": "string"}, description=description) == kind
    assert value_kind(name, {"type": "string", "description": description}) == kind


def test_the_resource_decides_whose_name_it_is():
    assert value_kind("name", S, resource="patient") == "person_name"
    assert value_kind("name", S, resource="Patients") == "person_name"  # any spelling
    assert value_kind("name", S, resource="clinic") == "org_name"
    assert value_kind("name", S) == "org_name"  # unknown: most named things are not people
    assert value_kind("display_name", S) == "person_name"
    assert value_kind("contact_name", S, resource="hotel") == "person_name"
    assert value_kind("company_name", S, resource="customer") == "company"
    assert {"customer", "patient", "employee", "traveler", "guest"} <= PERSON_RESOURCES


@pytest.mark.parametrize(
    "name", ["password", "pin", "cvv", "card_number", "api_key", "access_token", "client_secret"]
)
def test_secrets_are_secret(name):
    assert is_secret(name)
    assert is_secret(name, {"type": "string"})


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("passport_number", S),  # identifying, shown on every booking: a code, not a credential
        ("token_count", I),  # the head noun is the count
        ("next_page_token", S),  # a pagination cursor
        ("token_type", S),  # "Bearer"
        ("password_expires_at", DATETIME),
        ("password", B),  # a flag about a password
    ],
)
def test_things_near_secrets_are_not(name, schema):
    assert not is_secret(name, schema)


# every cue word, the words of every compound, and some that matter by position
WORDS = sorted(
    {*kinds._CUES, *(w for c in kinds._COMPOUNDS for w in c), "is", "by", "on", "x", "1"}
)
word = st.one_of(
    st.sampled_from(WORDS), st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=7)
)
names = st.builds(
    lambda ws, style: {
        "snake": "_".join(ws),
        "kebab": "-".join(ws).upper(),
        "camel": "".join(ws[:1]) + "".join(w.title() for w in ws[1:]),
    }[style],
    st.lists(word, min_size=0, max_size=4),
    st.sampled_from(["snake", "kebab", "camel"]),
)
json_type = st.sampled_from(["string", "integer", "number", "boolean", "null", "object", "array"])
scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12)
)
schemas = st.fixed_dictionaries(
    {},
    optional={
        "type": st.one_of(json_type, st.lists(json_type, max_size=3), st.just("int")),
        "format": st.one_of(st.sampled_from(sorted(kinds._FORMATS)), st.text(max_size=10)),
        "enum": st.lists(
            st.one_of(scalar, st.dictionaries(st.text(max_size=3), scalar)), max_size=5
        ),
        "example": scalar,
        "examples": st.one_of(
            st.lists(scalar, max_size=2), st.dictionaries(st.text(max_size=3), scalar)
        ),
        "default": scalar,
        "pattern": st.sampled_from(["^[A-Z]{3}$", ""]),
        "maxLength": st.integers(0, 2000),
        "description": st.text(max_size=60),
        "items": st.fixed_dictionaries(
            {}, optional={"type": json_type, "format": st.just("email")}
        ),
        "anyOf": st.lists(st.fixed_dictionaries({"type": json_type}), max_size=2),
    },
)
resources = st.one_of(
    st.none(), st.sampled_from(["patient", "hotel", "Order", ""]), st.text(max_size=8)
)


@settings(max_examples=400, deadline=None)
@given(name=names, schema=schemas, resource=resources, description=st.text(max_size=30))
def test_any_name_and_schema_get_a_kind_from_the_vocabulary_and_always_the_same(
    name, schema, resource, description
):
    kind = value_kind(name, schema, resource=resource, description=description)
    assert kind in KINDS and kind != "key"
    assert value_kind(name, schema, resource=resource, description=description) == kind
    kinds._kind.cache_clear()  # and not because of what was asked before
    assert value_kind(name, schema, resource=resource, description=description) == kind


def test_value_kind_leaves_the_schema_as_it_found_it():
    schema = {"anyOf": [{"type": "string"}, {"type": "null"}], "enum": ["a"], "items": {}}
    before = repr(schema)
    value_kind("status", schema, resource="order")
    assert repr(schema) == before


def test_a_description_example_tells_the_kind_and_gives_the_values():
    opens = {"type": "string", "description": "Opening time, e.g. 11:30."}
    assert value_kind("opens_at", opens) == "time_of_day"
    line = {"type": "string", "description": "Line description, e.g. Base salary or Pension."}
    assert examples_of(line) == ["Base salary", "Pension"]
