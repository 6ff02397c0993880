"""A deterministic, stateful API simulator for any catalog.

Entities come from the schemas (`<kind>_id` fields, objects that carry one, `effect`): the
first time a response shows an entity its fields are made up from the seed and remembered,
so reads are consistent; writes create or change entities and are recorded as the episode's
state change, which makes "expected vs actual state" a hash comparison. Ids carry a check so
a made-up id gets `not_found`, the way a real API answers.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Any

from gauntlet import canonical
from gauntlet.catalog.index import ToolIndex
from gauntlet.catalog.shapes import ToolShape, own_id_field
from gauntlet.names import kind_of
from gauntlet.world.ids import is_minted, mint_id
from gauntlet.world.operations import ToolError
from gauntlet.world.render import fits as _fits
from gauntlet.world.values import make_value

SECRET = re.compile(r"password|secret|pin$|^pin|token|cvv", re.IGNORECASE)
CREATED_STATUSES = (
    "confirm",
    "book",
    "schedul",
    "placed",
    "open",
    "submit",
    "pending",
    "active",
    "creat",
    "new",
    "process",
)


class World:
    """One episode's simulated backend. Same seed, same calls: same answers, same state."""

    def __init__(self, index: ToolIndex, seed: int, faults: list[dict[str, Any]] = ()) -> None:
        self.index = index
        self.seed = seed
        self.entities: dict[str, dict[str, dict[str, Any]]] = {}
        self.changes: dict[str, dict[str, dict[str, Any]]] = {}
        self.calls: Counter[str] = Counter()
        self.faults = {f["tool"]: [f["kind"], f["times"]] for f in faults}

    def mint(self, kind: str, *key: object) -> str:
        """An id that exists in this world, for facts the user knows before any call."""
        return mint_id(self.seed, kind, "fixture", *key)

    def state_change(self) -> dict[str, Any]:
        return copy.deepcopy(self.changes)

    def state_hash(self) -> str:
        return canonical.digest(self.changes)

    def call(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        """Answer one call, or raise ToolError the way the API would."""
        tool = self.index.tools.get(name)
        if tool is None:
            raise ToolError("unknown_tool", f"no tool named {name!r}")
        problem = self.index.argument_problem(name, args)
        if problem is not None:
            raise ToolError("invalid_arguments", problem)
        self._fault(name)
        shape = self.index.shape(name)
        for param, kind in shape.id_params.items():
            if param in args and not is_minted(self.seed, kind, args[param]):
                raise ToolError(
                    "not_found", f"no {kind.replace('_', ' ')} with {param} {args[param]!r}"
                )
        self.calls[canonical.dumps([name, args])] += 1
        created = self._write(tool, shape, args) if tool["effect"] == "write" else {}
        return self._object(
            tool["returns"], None, (name, canonical.dumps(args)), args, shape, created
        )

    def _fault(self, name: str) -> None:
        pending = self.faults.get(name)
        if pending and pending[1] > 0:
            pending[1] -= 1
            if pending[0] == "rate_limit":
                raise ToolError("rate_limited", "429 Too Many Requests: retry after 1s", True)
            raise ToolError("unavailable", "503 Service Unavailable: try again", True)

    def _write(self, tool: dict, shape: ToolShape, args: dict[str, Any]) -> dict[str, str]:
        """Apply a write: create new entities or change the target; record it as state change."""
        plain = {k: v for k, v in args.items() if k != "session_id"}
        recorded = {k: "<redacted>" if SECRET.search(k) else v for k, v in plain.items()}
        occurrence = self.calls[canonical.dumps([tool["name"], args])]
        created = {}
        for kind in shape.creates.values():
            new_id = mint_id(self.seed, kind, tool["name"], canonical.dumps(args), occurrence)
            attrs = self._entity(shape.domain, kind, new_id)
            attrs.update(plain)
            status = self._status(tool, CREATED_STATUSES)
            if status is not None:
                attrs["status"] = status
            self.changes.setdefault(kind, {})[new_id] = {"created_by": tool["name"], **recorded}
            created[kind] = new_id
        if shape.target:
            param, kind = shape.target
            ent_id = args[param]
            attrs = self._entity(shape.domain, kind, ent_id)
            updates = {k: v for k, v in plain.items() if k != param}
            status = self._status(tool, (shape.status_stem,)) if shape.status_stem else None
            if status is not None:
                updates["status"] = status
            attrs.update(updates)
            record = self.changes.setdefault(kind, {}).setdefault(ent_id, {})
            shown = {k: "<redacted>" if SECRET.search(k) else v for k, v in updates.items()}
            record.update({"updated_by": tool["name"], **shown})
        return created

    def _entity(self, domain: str, kind: str, ent_id: str) -> dict[str, Any]:
        """The remembered fields of one entity; `order` in two APIs is two different things."""
        return self.entities.setdefault(f"{domain}.{kind}", {}).setdefault(ent_id, {})

    def _status(self, tool: dict, stems: tuple[str, ...]) -> str | None:
        schema = tool["returns"].get("properties", {}).get("status")
        if schema is None:
            return None
        options = schema.get("enum")
        if not options:
            return stems[0] + ("ed" if not stems[0].endswith("ed") else "")
        for stem in stems:
            for option in options:
                if isinstance(option, str) and option.lower().startswith(stem):
                    return option
        return None

    def _object(
        self,
        schema: dict,
        container: str | None,
        key: tuple,
        args: dict,
        shape: ToolShape,
        created: dict[str, str],
    ) -> dict[str, Any]:
        owner = own_id_field(schema, container, shape.subject if container is None else None)
        own = owner[0] if owner else None
        attrs: dict[str, Any] = {}
        ent_id = None
        if owner:
            kind = owner[1]
            if container is None and kind in created:
                ent_id = created[kind]
            elif isinstance(args.get(own), str) and container is None:
                ent_id = args[own]
            else:
                ent_id = mint_id(self.seed, kind, *key)
            attrs = self._entity(shape.domain, kind, ent_id)
            key = ("entity", kind, ent_id)
        out: dict[str, Any] = {}
        for field, fschema in schema.get("properties", {}).items():
            if field == own:
                out[field] = ent_id
                continue
            if field in attrs and _fits(attrs[field], fschema):
                out[field] = attrs[field]
                continue
            value = self._field(field, fschema, key, args, shape, created, container is None)
            if own and field not in attrs:
                attrs[field] = value
            out[field] = value
        return out

    def _field(
        self,
        field: str,
        schema: dict,
        key: tuple,
        args: dict,
        shape: ToolShape,
        created: dict[str, str],
        top: bool,
    ) -> Any:
        if field in args and _fits(args[field], schema):
            return args[field]
        kind = kind_of(field)
        if kind and schema.get("type", "string") == "string":
            if top and kind in created:
                return created[kind]
            return mint_id(self.seed, kind, *key, field)
        ftype = schema.get("type")
        if ftype == "object" and "properties" in schema:
            return self._object(schema, field, (*key, field), args, shape, created)
        if ftype == "array" and schema.get("items", {}).get("type") == "object":
            lo = max(schema.get("minItems", 2), 1)
            hi = max(min(schema.get("maxItems", 4), 4), lo)
            n = lo + make_value(
                {"type": "integer", "minimum": 0, "maximum": hi - lo}, "n", (self.seed, *key, field)
            )
            return [
                self._object(schema["items"], field, (*key, field, i), args, shape, created)
                for i in range(n)
            ]
        return make_value(schema, field, (self.seed, *key, field))
