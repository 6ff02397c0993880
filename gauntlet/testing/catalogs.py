"""Catalogs generated from a seed, in invented domains: for tests and benchmarks at scale.

A catalog Gauntlet did not author must work as well as the shipped ones; these generated
catalogs follow no convention of `data/catalogs/` beyond what any REST-ish API has: entities
with ids, search, detail, create, change and cancel operations, and a sign-in.
"""

from __future__ import annotations

from typing import Any

from gauntlet.seeds import rng

DOMAINS: dict[str, list[str]] = {
    "observatory": ["telescope", "observation", "star_chart", "night_slot"],
    "vineyard": ["barrel", "tasting", "vintage", "cellar_tour"],
    "library": ["book", "loan", "reading_room", "hold"],
    "marina": ["berth", "boat", "fuel_order", "mooring"],
    "apiary": ["hive", "inspection", "honey_batch", "queen"],
    "theatre": ["show", "seat_block", "ticket", "rehearsal"],
    "greenhouse": ["planter", "seedling", "watering_plan", "harvest"],
    "archive": ["manuscript", "scan_request", "box", "visit"],
}
FIELDS: list[tuple[str, dict[str, Any]]] = [
    ("title", {"type": "string"}),
    ("city", {"type": "string"}),
    ("start_date", {"type": "string", "format": "date"}),
    (
        "price",
        {
            "type": "object",
            "properties": {
                "amount": {"type": "number"},
                "currency": {"type": "string", "enum": ["USD", "EUR"]},
            },
            "required": ["amount", "currency"],
        },
    ),
    ("capacity", {"type": "integer", "minimum": 1, "maximum": 40}),
    ("contact_email", {"type": "string", "format": "email"}),
    ("notes", {"type": "string"}),
    ("category", {"type": "string", "enum": ["standard", "premium", "archive"]}),
    ("rating", {"type": "number", "minimum": 1, "maximum": 5}),
    ("tags", {"type": "array", "items": {"type": "string"}}),
]
STATUS = {"type": "string", "enum": ["pending", "confirmed", "cancelled", "completed"]}


def _obj(props: dict[str, Any], required: list[str], closed: bool = True) -> dict[str, Any]:
    schema = {"type": "object", "properties": props, "required": required}
    if closed:
        schema["additionalProperties"] = False
    return schema


def _desc(text: str, r: Any) -> dict[str, Any]:
    return {"type": "string", "description": text}


def make_catalog(domain: str, entities: list[str], seed: int = 0) -> dict[str, Any]:
    """One native catalog: sign-in plus search/get/create/update/cancel per entity."""
    r = rng("synthetic-catalog", domain, seed)
    person = f"{domain}_member"
    tools: list[dict[str, Any]] = [
        {
            "name": f"sign_in_{domain}",
            "description": f"Sign a {domain} member in with their username and password; returns a session for later calls.",
            "parameters": _obj(
                {
                    "username": _desc("The member's username.", r),
                    "password": _desc("The member's password.", r),
                },
                ["username", "password"],
            ),
            "returns": _obj(
                {
                    "session_id": _desc("Session token.", r),
                    f"{person}_id": _desc("The member.", r),
                    "expires_at": {"type": "string", "format": "date-time"},
                },
                ["session_id", f"{person}_id"],
                closed=False,
            ),
            "effect": "write",
        }
    ]
    for i, entity in enumerate(entities):
        fields = r.sample(FIELDS, 4)
        props = {
            f"{entity}_id": _desc(f"Identifier of the {entity.replace('_', ' ')}.", r),
            **dict(fields),
        }
        if i > 0:
            parent = entities[i - 1]
            props[f"{parent}_id"] = _desc(f"The {parent.replace('_', ' ')} it belongs to.", r)
        props["status"] = STATUS
        record = _obj(props, list(props), closed=False)
        label = entity.replace("_", " ")
        query_field, query_schema = fields[0]
        tools += [
            {
                "name": f"find_{entity}s",
                "effect": "read",
                "description": f"Find {label}s in the {domain} by {query_field.replace('_', ' ')}.",
                "parameters": _obj(
                    {
                        query_field: {
                            **query_schema,
                            "description": f"The {query_field.replace('_', ' ')} to match.",
                        }
                    },
                    [query_field],
                ),
                "returns": _obj(
                    {f"{entity}s": {"type": "array", "items": record}}, [f"{entity}s"], closed=False
                ),
            },
            {
                "name": f"get_{entity}",
                "effect": "read",
                "description": f"Get one {label} with all its details.",
                "parameters": _obj({f"{entity}_id": props[f"{entity}_id"]}, [f"{entity}_id"]),
                "returns": record,
            },
            {
                "name": f"reserve_{entity}",
                "effect": "write",
                "description": f"Reserve a {label} for the signed-in member; returns the new reservation.",
                "parameters": _obj(
                    {
                        "session_id": _desc("Session from sign-in.", r),
                        f"{entity}_id": props[f"{entity}_id"],
                        "notes": _desc("Anything the staff should know.", r),
                    },
                    ["session_id", f"{entity}_id"],
                ),
                "returns": _obj(
                    {
                        f"{entity}_reservation_id": _desc("The new reservation.", r),
                        f"{entity}_id": props[f"{entity}_id"],
                        "status": STATUS,
                    },
                    [f"{entity}_reservation_id", "status"],
                    closed=False,
                ),
            },
            {
                "name": f"cancel_{entity}_reservation",
                "effect": "write",
                "description": f"Cancel a {label} reservation the member holds.",
                "parameters": _obj(
                    {
                        "session_id": _desc("Session from sign-in.", r),
                        f"{entity}_reservation_id": _desc("The reservation to cancel.", r),
                    },
                    ["session_id", f"{entity}_reservation_id"],
                ),
                "returns": _obj(
                    {f"{entity}_reservation_id": _desc("The reservation.", r), "status": STATUS},
                    [f"{entity}_reservation_id", "status"],
                    closed=False,
                ),
            },
        ]
    return {"domain": domain, "description": f"A generated {domain} API.", "tools": tools}


def make_catalogs(n_domains: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n_domains` catalogs from the invented domains (names repeat with a suffix past 8)."""
    names = list(DOMAINS)
    out = []
    for i in range(n_domains):
        base = names[i % len(names)]
        domain = base if i < len(names) else f"{base}{i // len(names)}"
        ents = DOMAINS[base] if i < len(names) else [f"{e}{i // len(names)}" for e in DOMAINS[base]]
        out.append(make_catalog(domain, ents, seed))
    return out
