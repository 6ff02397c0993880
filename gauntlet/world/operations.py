"""Tools as operations on the world: what a real API would do with the call, row by row.

A get finds the row by its key (`not_found` otherwise, `forbidden` for another person's row
where the tool acts for the signed-in user); a list or search honours the filters it can map
onto fields; a create checks that what it points at exists and inserts the row; an update
changes it; a status action checks the lifecycle and answers `409 conflict` like a real API;
a delete removes it; a sign-in resolves credentials to the person whose row holds them.
Reads see earlier writes, because every call reads and writes the same `WorldState`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gauntlet import canonical
from gauntlet.catalog.index import ToolIndex
from gauntlet.names import kind_of, words
from gauntlet.seeds import derive_int
from gauntlet.world import derived, lifecycle, stage_fields, timeline
from gauntlet.world.answers import answer_schema
from gauntlet.world.filters import equal, filtered
from gauntlet.world.ids import mint_id
from gauntlet.world.keyed import REQUEST_METADATA, SESSION
from gauntlet.world.keys import Key, make_key, matches
from gauntlet.world.kinds import is_secret
from gauntlet.world.render import MakeUp, owner_of, render, render_list
from gauntlet.world.seed import OWNER, shared_resources
from gauntlet.world.state import Row, WorldState

WRITES = ("update", "action", "delete")
DECISION_WORDS = frozenset({"decision", "resolution", "outcome", "verdict"})
REVIEW_WORDS = frozenset({"decision", "verdict"})  # a call that decides another's request
LIMIT_WORDS = frozenset({"limit", "max_results", "page_size", "per_page", "size", "count", "top"})


class ToolError(Exception):
    """What a real API would answer with an error status; `retryable` marks transient faults."""

    def __init__(self, code: str, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable

    def payload(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": str(self), "retryable": self.retryable}}


def decides(op: dict) -> bool:
    """Does this operation decide on someone's request (`review_leave_request(decision=...)`)?
    A `resolution_note` closing one's own ticket is not a review."""
    return op["op"] in ("update", "action") and any(
        set(words(p)) & REVIEW_WORDS for p in op["params"]
    )


class Executor:
    """Runs tool calls against one world; same world, same calls: same answers, same state."""

    def __init__(
        self,
        schema: dict[str, Any],
        index: ToolIndex,
        state: WorldState,
        make_up: MakeUp,
        seed: int,
        complete: Callable[[dict, Row, Key], Row] = lambda res, row, key: row,
        *,
        salt: int = 0,
    ) -> None:
        self.index, self.state, self.make_up, self.seed = index, state, make_up, seed
        self.minting = derive_int(seed, salt) if salt else seed  # what a create's keys start from
        self.complete = complete
        self.ops = {o["tool"]: o for o in schema["operations"]}
        self.resources = {r["name"]: r for r in schema["resources"]}

    def call(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        tool = self.index.tools.get(name)
        if tool is None or name not in self.ops:
            raise ToolError("unknown_tool", f"no tool named {name!r}")
        problem = self.index.argument_problem(name, args)
        if problem is not None:
            raise ToolError("invalid_arguments", problem)
        op = self.ops[name]
        caller = self._caller(args)
        handler: Callable[..., dict[str, Any]] = getattr(self, f"_{op['op']}")
        return handler(tool, op, args, caller)

    # --- who is calling -------------------------------------------------------------------

    def _caller(self, args: dict[str, Any]) -> Key | None:
        """The signed-in person: by an open session, else by their own id, else the user. A
        session outranks an id the call names (`employee_id` of a colleague)."""
        for param, value in args.items():
            if kind_of(param) == SESSION:
                if value not in self.state.sessions:
                    raise ToolError("unauthorized", "401 unauthorized: the session is not valid")
                return self.state.sessions[value]
        for param, value in args.items():
            kind = kind_of(param)
            if kind and kind == self.state.principal:
                if self.state.row(kind, value) is None:
                    raise ToolError("not_found", f"no {kind} {value!r}")
                return value
        return self.state.me

    def _mine(self, resource: str, row: Row, caller: Key | None, op: dict) -> None:
        """Refuse another person's row where the tool acts for the signed-in user; a person's
        own record (a colleague's bank details) is theirs alone to change. A decision is the
        other way round: someone else's request is reviewed, never one's own."""
        owner = owner_of(row)
        if owner is None and resource == self.state.principal and op["op"] in WRITES:
            owner = row.get(self.resources[resource]["key"]["field"] or "")
        if decides(op) and owner is not None and caller is not None:
            if owner == caller:
                noun = resource.replace("_", " ")
                raise ToolError("forbidden", f"403 forbidden: you cannot review your own {noun}")
            return
        if op["scoped"] and owner is not None and caller is not None and owner != caller:
            raise ToolError("forbidden", f"403 forbidden: that {resource} belongs to someone else")

    # --- operations -----------------------------------------------------------------------

    def _sign_in(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        given = {p: v for p, v in args.items() if not is_secret(p)}
        secret = next((v for p, v in args.items() if is_secret(p)), None)
        for key, creds in sorted(self.state.credentials.items(), key=lambda kv: str(kv[0])):
            known = {f: v for f, v in creds.items() if f != "secret"}
            if (
                given
                and all(known.get(p) == v for p, v in given.items())
                and secret == creds["secret"]
            ):
                session = mint_id(self.seed, SESSION, len(self.state.sessions))
                self.state.sessions[session] = key
                row = {**self.state.row(self.state.principal, key), "session_id": session}
                return self._render(tool, row, self.state.principal)
        raise ToolError("unauthorized", "401 unauthorized: wrong credentials")

    def _get(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        row = self._find(op, args, caller)
        return self._render(tool, row, op["resource"])

    def _list(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        resource = op["resource"]
        rows = [r for _, r in sorted(self.state.table(resource).items(), key=lambda kv: str(kv[0]))]
        if op["scoped"] or (self.resources[resource].get("owner") and caller is not None):
            rows = [r for r in rows if owner_of(r) in (None, caller)]
        rows = filtered(rows, args, self.resources[resource])
        limit = next((v for p, v in args.items() if p in LIMIT_WORDS and isinstance(v, int)), None)
        rows = rows[:limit] if limit else rows
        return self._render(tool, {"_listed": rows, "_asked": args}, resource)

    _search = _list

    def _create(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        resource = op["resource"]
        res = self.resources[resource]
        self._checked_references(res, args)
        holder = (res.get("owner") or {}).get("field")
        if op["scoped"] and caller is not None and holder in args and args[holder] != caller:
            noun = resource.replace("_", " ")
            raise ToolError("forbidden", f"403 forbidden: you can only add a {noun} for yourself")
        table = self.state.writable_table(resource)
        n = len(table) + 1000
        key = make_key(res["key"], resource, self.minting, n)
        while key in table:
            n += 1
            key = make_key(res["key"], resource, self.minting, n)
        fields = {f["name"] for f in res["fields"]}
        row: Row = {p: v for p, v in args.items() if p in fields and not is_secret(p)}
        lc = res.get("lifecycle")
        if lc and lc.get("field", "status") in fields:
            row[lc.get("field", "status")] = (
                lifecycle.target(lc, tool["name"], "") or (lc.get("initial") or [None])[0]
            )
        row = self.complete(res, row, key)  # stored whole, so every later read agrees
        if lines := derived.priced_lines(row, self.state.row, self.resources):
            derived.sum_lines(row, lines)
        timeline.created_now(row, self.state.now)
        timeline.expect_soon(row, self.state.now)
        shared = shared_resources(self.resources, self.state.principal)
        derived.from_references(row, res, self.state.row, shared)
        status = row.get((lc or {}).get("field", "status"))
        derived.priced_by_reference(row, res, self.state.row, self.resources, status)
        timeline.lead_up(row)
        if res["key"]["field"]:
            row[res["key"]["field"]] = key
        if caller is not None and res.get("owner"):
            row[OWNER] = caller
            if res["owner"].get("field"):
                row[res["owner"]["field"]] = caller
        table[key] = row
        return self._render(tool, row, resource)

    def _update(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        row = self._writable(op, self._find(op, args, caller))
        res = self.resources[op["resource"]]
        self._decide(res, row, args)
        fields = {f["name"] for f in res["fields"]} - {res["key"]["field"]}
        changes = {p: v for p, v in args.items() if p in fields and not is_secret(p)}
        changes |= self._new_fields(op, res, args, fields)
        moved = self._checked_references(res, {p: v for p, v in changes.items() if row.get(p) != v})
        before = dict(row)
        row.update(changes)
        if moved:  # a new slot or room: the time and place the row repeats from it follow
            shared = shared_resources(self.resources, self.state.principal)
            pointed = {**res, "references": moved}
            derived.from_references(row, pointed, self.state.row, shared)
            timeline.lead_up(row)
        derived.keep_previous(row, before, set(changes))
        returned = tool["returns"].get("properties", {})
        timeline.touched_now(row, before, self.state.now, [f for f in returned if f not in row])
        return self._render(tool, row, op["resource"])

    def _new_fields(self, op: dict, res: dict, args: dict, fields: set[str]) -> dict[str, Any]:
        """What an update sets that no answer showed before (`personal_phone`): the row keeps
        it from now on, so the change is in the world, not only in the call."""
        return {
            p: v
            for p, v in args.items()
            if p not in fields
            and p not in (op["key"], res["key"]["field"])
            and p not in res["references"]
            and kind_of(p) not in (SESSION, self.state.principal)
            and not is_secret(p)
            and not set(words(p)) & (REQUEST_METADATA | DECISION_WORDS)
        }

    def _checked_references(self, res: dict, values: dict) -> dict[str, str]:
        """The references among `values` (field -> resource), each pointing at a real row."""
        moved = {p: res["references"][p] for p in values if p in res["references"]}
        for param, target in moved.items():
            if self.state.row(target, values[param]) is None:
                raise ToolError("not_found", f"no {target.replace('_', ' ')} {values[param]!r}")
        return moved

    def _decide(self, res: dict, row: Row, args: dict) -> None:
        """An update that decides (`review_leave_request(decision="reject")`) moves the status
        to the state named, and only from a state still open to a decision."""
        lc = res.get("lifecycle")
        field = (lc or {}).get("field", "status")
        for param in (p for p in args if set(words(p)) & DECISION_WORDS):
            state = lifecycle.decided(lc or {}, args[param])
            current = row.get(field)
            if state is None or current is None or state == current:
                continue
            if current in lc.get("terminal", []):
                key = row.get(res["key"]["field"] or "")
                raise ToolError(
                    "conflict",
                    f"409 conflict: {res['name'].replace('_', ' ')} {key} is already {current}",
                )
            row[field] = state
            stage_fields.stamp_decision(row, self.state.now)

    def _action(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        row = self._writable(op, self._find(op, args, caller))
        lc = self.resources[op["resource"]].get("lifecycle")
        field = (lc or {}).get("field", "status")
        current = row.get(field)
        if lc and current is not None:
            if not lifecycle.allowed(lc, tool["name"], current):
                key = row.get(self.resources[op["resource"]]["key"]["field"])
                raise ToolError(
                    "conflict",
                    f"409 conflict: {op['resource'].replace('_', ' ')} {key} is {current}",
                )
            row[field] = lifecycle.target(lc, tool["name"], current) or current
            specs = {f["name"]: f["schema"] for f in self.resources[op["resource"]]["fields"]}
            stage_fields.stamp(row, lc, self.state.now, specs.get)
            derived.refund_in_full(row, row[field])
        return self._update(tool, op, args, caller)

    def _delete(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        row = self._find(op, args, caller)
        key = self._stored_key(op["resource"], row)
        if key is not None:
            self.state.writable_table(op["resource"]).pop(key)
        return self._render(tool, row, op["resource"])

    def _call(self, tool: dict, op: dict, args: dict, caller: Key | None) -> dict[str, Any]:
        answered = dict(args)
        if tool.get("effect") == "write":  # it changed something the world does not keep: now
            returned = [f for f in tool["returns"].get("properties", {}) if f not in args]
            timeline.touched_now(answered, {}, self.state.now, returned)
        return self._render(tool, answered, None)

    # --- helpers --------------------------------------------------------------------------

    def _find(self, op: dict, args: dict, caller: Key | None) -> Row:
        resource = op["resource"]
        res = self.resources[resource]
        key_field = op["key"] or res["key"]["field"]
        if key_field is None:  # keyless (`get_weather(city)`): the row the call describes
            return self._described(resource, args)
        value = args.get(key_field)
        fields = {f["name"] for f in res["fields"]}
        if key_field != res["key"]["field"] and key_field not in fields and value is not None:
            # another name for the row's own key (`pid` for `id`), typed as the key is
            if res["key"]["type"] == "integer" and str(value).isdigit():
                value = int(value)
            key_field = res["key"]["field"]
        if key_field != res["key"]["field"] and value is not None:  # a natural key: by field
            row = next(
                (r for r in self.state.table(resource).values() if equal(r.get(key_field), value)),
                None,
            )
            if row is None:
                raise ToolError(
                    "not_found", f"no {resource.replace('_', ' ')} with {key_field} {value!r}"
                )
            self._mine(resource, row, caller, op)
            return row
        if value is None and resource == self.state.principal:  # `get_my_profile`
            value = caller
        elif value is None and res.get("owner"):  # `get_cart`: the caller's own one
            mine = sorted(
                (k for k, r in self.state.table(resource).items() if owner_of(r) == caller), key=str
            )
            value = mine[0] if mine else None
        row = self.state.row(resource, value) if matches(res["key"], value) else None
        if row is None:
            raise ToolError(
                "not_found", f"no {resource.replace('_', ' ')} with {key_field} {value!r}"
            )
        self._mine(resource, row, caller, op)
        return row

    def _described(self, resource: str, args: dict) -> Row:
        """The stored row that matches every field the call gives, else the row those fields
        describe, made up the same way every time (so two reads agree)."""
        fields = {f["name"] for f in self.resources[resource]["fields"]}
        given = {p: v for p, v in args.items() if p in fields}
        for row in self.state.table(resource).values():
            if all(equal(row.get(p), v) for p, v in given.items()):
                return row
        return dict(given)

    def _writable(self, op: dict, row: Row) -> Row:
        """The stored row, made this world's own before it changes (never the row a fork
        shares with its base world); a described row that is not stored is a copy."""
        key = self._stored_key(op["resource"], row)
        return dict(row) if key is None else self.state.writable_row(op["resource"], key)

    def _stored_key(self, resource: str, row: Row) -> Key | None:
        """Where the row is stored in its table (keyless rows too), or None."""
        table = self.state.table(resource)
        key_field = self.resources[resource]["key"]["field"]
        key = row.get(key_field) if key_field else None
        if key is not None and table.get(key) is row:
            return key
        return next((k for k, r in table.items() if r is row), None)

    def _render(self, tool: dict, row: Row, resource: str | None) -> dict[str, Any]:
        returns = answer_schema(tool, self.ops.get(tool["name"]), self.resources)
        if "_listed" in row:
            return render_list(
                returns,
                row["_listed"],
                row["_asked"],
                resource,
                self.state,
                self.resources,
                self.make_up,
                tool["name"],
            )
        return render(
            returns,
            row,
            resource,
            self.state,
            self.resources,
            self.make_up,
            (resource or tool["name"], self._identity(row, resource)),
        )

    def _identity(self, row: Row, resource: str | None) -> str:
        """What seeds the values a row's answer makes up: its key, else what describes it, so
        the same row reads the same way every time."""
        key_field = self.resources.get(resource or "", {}).get("key", {}).get("field")
        if key_field and row.get(key_field) is not None:
            return str(row[key_field])
        return canonical.dumps({k: v for k, v in row.items() if not k.startswith("_")})
