"""What a tool does to state and which entities its schemas name, read off the schemas once.

`<kind>_id` fields name entities and an object carrying one is that entity; a write tool
either creates something (a fresh id in its output) or changes a target (an id it takes).
The tool graph, the world and the judge share these rules, so "what is an order" means the
same thing when tools are linked as when a response is made up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gauntlet.names import STATUS_VERBS, kind_of, singular, subject_of


@dataclass(frozen=True)
class ToolShape:
    """What a tool does to state."""

    domain: str
    subject: str | None
    id_params: dict[str, str]
    creates: dict[str, str]  # returns field -> kind, for write tools that make something new
    target: tuple[str, str] | None  # (param, kind) a write tool changes
    status_stem: str | None


def id_fields(schema: dict[str, Any]) -> list[str]:
    """String `*_id` properties of an object schema, in declaration order."""
    return [
        p
        for p, s in schema.get("properties", {}).items()
        if kind_of(p) and s.get("type", "string") in ("string", ["string", "null"])
    ]


def own_id_field(
    schema: dict[str, Any], container: str | None, subject: str | None
) -> tuple[str, str] | None:
    """Which id property identifies the object itself, and the kind it names.

    `*_id` properties name their kind; a bare `id` takes it from the key the object sits
    under (`booking: {id}` is a booking) or, at the top level, from the tool's subject.
    """
    ids = id_fields(schema)
    if ids:
        if container:
            want = singular(container.lower())
            for p in ids:
                if kind_of(p) == want or want.endswith(kind_of(p) or "\0"):
                    return p, kind_of(p)
        if len(ids) == 1:
            return ids[0], kind_of(ids[0])
        if subject:
            for p in ids:
                if kind_of(p) == subject:
                    return p, subject
        return ids[0], kind_of(ids[0])
    bare = schema.get("properties", {}).get("id")
    owner = singular(container.lower()) if container else subject
    if bare is not None and bare.get("type", "string") == "string" and owner:
        return "id", re.sub(r"[^a-z0-9_]", "_", owner)
    return None


def shape_of(tool: dict[str, Any]) -> ToolShape:
    params = tool["parameters"].get("properties", {})
    id_params = {p: kind_of(p) for p in id_fields(tool["parameters"])}
    subject = subject_of(tool["name"])
    creates: dict[str, str] = {}
    target = None
    stem = None
    if tool["effect"] == "write":
        fresh = [f for f in id_fields(tool["returns"]) if f not in params]
        creates = {fresh[0]: kind_of(fresh[0])} if fresh else {}
        changed = [p for p in id_params if p in tool["returns"].get("properties", {})]
        changed = changed or [p for p in id_params if id_params[p] != "session"]
        if changed and not creates:
            target = (changed[0], id_params[changed[0]])
        name = tool["name"].lower()
        stem = next(
            (s for v, s in STATUS_VERBS.items() if name.startswith(v) or f"_{v}" in name), None
        )
    return ToolShape(tool["domain"], subject, id_params, creates, target, stem)
