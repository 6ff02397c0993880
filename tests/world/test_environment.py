"""The executable world behaves like one consistent set of APIs over one relational state:
sign-ins resolve to their owner, reads see writes, filters hold, keys are typed, references
are real, other people's rows are refused, lifecycles are enforced, and every answer fits the
tool's own `returns`. Checked on the shipped catalogs and on generated ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from gauntlet.catalog import load_folder
from gauntlet.catalog.index import ToolIndex
from gauntlet.world import lifecycle
from gauntlet.world.environment import ToolError, World
from gauntlet.world.schema import infer
from gauntlet.world.seed import OWNER

NOW = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def shipped(default_tools) -> tuple[ToolIndex, dict[str, dict]]:
    return ToolIndex(default_tools), {s["domain"]: s for s in infer(default_tools)}


def world(shipped, domain: str, seed: int = 1) -> World:
    index, schemas = shipped
    return World.create(schemas[domain], index, seed=seed, now=NOW)


def sign_in(w: World) -> dict[str, Any]:
    """Sign the task's user in with their own credentials; returns the tool's answer."""
    op = next(o for o in w.schema["operations"] if o["op"] == "sign_in")
    creds = w.state.credentials[w.state.me]
    args = {p: creds[p] for p in op["params"] if p in creds}
    args[op["secret"]["param"]] = creds["secret"]
    return w.call(op["tool"], args)


def valid(tool: dict, answer: dict) -> list[str]:
    validator = Draft202012Validator(tool["returns"], format_checker=FormatChecker())
    return [e.message for e in validator.iter_errors(answer)]


@pytest.mark.parametrize(
    "domain", ["banking", "clinic", "food_delivery", "helpdesk", "hr", "retail", "travel"]
)
def test_a_sign_in_returns_the_person_whose_credentials_they_are(shipped, domain):
    w = world(shipped, domain)
    answer = sign_in(w)

    principal = w.state.principal
    me = w.state.row(principal, w.state.me)
    key_field = next(r["key"]["field"] for r in w.schema["resources"] if r["name"] == principal)
    assert answer[key_field] == w.state.me
    for field, value in answer.items():
        if field in me and not field.startswith("_"):
            assert value == me[field], field


def test_wrong_credentials_are_refused_like_a_real_api(shipped):
    w = world(shipped, "clinic")
    with pytest.raises(ToolError, match="401"):
        w.call("sign_in_patient", {"email": "nobody@example.com", "password": "not-it-at-all"})


def test_a_list_for_the_signed_in_user_holds_only_their_rows(shipped):
    w = world(shipped, "clinic")
    session = sign_in(w)["session_id"]

    answer = w.call("list_appointments", {"session_id": session, "patient_id": w.state.me})

    keys = {a["appointment_id"] for a in answer["appointments"]}
    assert keys and all(w.state.row("appointment", k)[OWNER] == w.state.me for k in keys)


def test_another_persons_row_is_refused(shipped):
    w = world(shipped, "clinic")
    session = sign_in(w)["session_id"]
    theirs = next(k for k, r in w.state.table("appointment").items() if r[OWNER] != w.state.me)

    with pytest.raises(ToolError, match="403"):
        w.call("get_appointment", {"session_id": session, "appointment_id": theirs})


def test_an_unknown_key_is_not_found(shipped):
    w = world(shipped, "clinic")
    session = sign_in(w)["session_id"]
    with pytest.raises(ToolError, match="not_found|no appointment"):
        w.call("get_appointment", {"session_id": session, "appointment_id": "APT-NOPE00"})


def test_a_status_action_follows_the_lifecycle_and_reads_see_it(shipped):
    w = world(shipped, "retail")
    session = sign_in(w)["session_id"]
    lc = next(r["lifecycle"] for r in w.schema["resources"] if r["name"] == "order")
    mine = {k: r for k, r in w.state.table("order").items() if r[OWNER] == w.state.me}
    open_order = next(
        k for k, r in mine.items() if lifecycle.allowed(lc, "cancel_order", r["status"])
    )
    tool = w.index.tools["cancel_order"]
    args = {
        p: v
        for p, v in {"session_id": session, "order_id": open_order}.items()
        if p in tool["parameters"]["properties"]
    }
    for p in tool["parameters"].get("required", []):
        args.setdefault(p, "changed_mind" if "reason" in p else args.get(p))

    w.call("cancel_order", args)

    cancelled = w.state.row("order", open_order)["status"]
    assert (
        cancelled == lifecycle.target(lc, "cancel_order", mine[open_order]["status"]) or cancelled
    )
    read = w.call("get_order", {"session_id": session, "order_id": open_order})
    assert read["status"] == cancelled
    with pytest.raises(ToolError, match="409 conflict"):
        w.call("cancel_order", args)
    change = w.diff()
    assert [u["key"] for u in change["updated"]["order"]] == [open_order]


@pytest.mark.parametrize(
    "domain", ["banking", "clinic", "food_delivery", "helpdesk", "hr", "retail", "travel"]
)
def test_every_read_answers_in_the_shape_of_its_returns(shipped, domain):
    w = world(shipped, domain)
    session = sign_in(w).get("session_id")
    for op in w.schema["operations"]:
        if op["op"] not in ("get", "list", "search"):
            continue
        tool = w.index.tools[op["tool"]]
        args = _args_for(w, tool, session)
        if args is None:
            continue
        answer = w.call(op["tool"], args)
        assert valid(tool, answer) == [], (op["tool"], valid(tool, answer)[:3])


def test_references_point_at_real_rows_and_keys_are_typed(shipped):
    for domain in ("clinic", "retail", "banking"):
        w = world(shipped, domain)
        resources = {r["name"]: r for r in w.schema["resources"]}
        for name, rows in w.state.tables.items():
            res = resources[name]
            for key, row in rows.items():
                assert isinstance(key, int if res["key"]["type"] == "integer" else str)
                for field, target in res["references"].items():
                    if row.get(field) is not None and w.state.tables.get(target):
                        assert w.state.row(target, row[field]) is not None, (name, field)


def test_the_same_seed_gives_the_same_world_and_a_snapshot_replays_it(shipped):
    a, b = world(shipped, "travel", seed=5), world(shipped, "travel", seed=5)
    assert a.snapshot() == b.snapshot()
    assert world(shipped, "travel", seed=6).snapshot() != a.snapshot()
    index, schemas = shipped
    again = World.replay(schemas["travel"], index, a.snapshot(), seed=5)
    assert again.state.snapshot() == a.state.snapshot()


def test_a_generated_catalog_from_an_unseen_domain_runs_as_a_world(catalog_dir):
    tools = load_folder(catalog_dir).tools
    index = ToolIndex(tools)
    for schema in infer(tools):
        w = World.create(schema, index, seed=3, now=NOW)
        assert any(w.state.tables.values()), schema["domain"]
        for op in schema["operations"]:
            if op["op"] in ("get", "list", "search"):
                args = _args_for(w, index.tools[op["tool"]], None)
                if args is not None:
                    assert valid(index.tools[op["tool"]], w.call(op["tool"], args)) == []


def _args_for(w: World, tool: dict, session: str | None) -> dict | None:
    """Arguments a careful agent would send: real keys of the user's own rows."""
    args: dict[str, Any] = {}
    props = tool["parameters"].get("properties", {})
    for param in tool["parameters"].get("required", []):
        if param.startswith("session"):
            if session is None:
                return None
            args[param] = session
            continue
        target = next(
            (r["name"] for r in w.schema["resources"] if r["key"]["field"] == param), None
        )
        rows = w.state.table(target) if target else {}
        mine = [k for k, r in rows.items() if r.get(OWNER) in (None, w.state.me)]
        if mine:
            args[param] = sorted(mine, key=str)[0]
        elif "enum" in props[param]:
            args[param] = props[param]["enum"][0]
        else:
            return None
    return args


def test_a_fork_changes_on_its_own_and_leaves_its_world_as_it_was(shipped):
    base = world(shipped, "retail")
    before = base.initial.snapshot()
    episode = base.fork()
    order = next(k for k, r in episode.state.table("order").items() if r[OWNER] == episode.state.me)
    row = episode.state.writable_row("order", order)
    row["status"] = "cancelled"

    assert base.initial.snapshot() == before
    assert base.fork().state.row("order", order) == base.initial.row("order", order)
    assert episode.diff()["updated"]["order"][0]["key"] == order


def test_real_shaped_specs_of_every_format_run_as_worlds(tmp_path):
    """OpenAPI 3.0/3.1, MCP, OpenAI tools and BFCL docs: every read answers in its shape,
    a header such as X-Request-Id names no resource, and a tool without an output schema
    (`get_weather`) reads a row the same way twice."""
    from gauntlet.testing.specs import write_samples

    write_samples(tmp_path)
    tools = load_folder(tmp_path).tools
    index = ToolIndex(tools)
    schemas = infer(tools)
    assert not any(r["name"].startswith("x_") for s in schemas for r in s["resources"])
    for schema in schemas:
        w = World.create(schema, index, seed=2, now=NOW)
        for op in schema["operations"]:
            if op["op"] in ("get", "list", "search"):
                tool = index.tools[op["tool"]]
                args = _args_for(w, tool, None)
                if args is not None:
                    assert valid(tool, w.call(op["tool"], args)) == [], op["tool"]
    assistant = next(s for s in schemas if s["domain"] == "assistant")
    w = World.create(assistant, index, seed=2, now=NOW)
    first = w.call("get_weather", {"city": "Lisbon", "units": "metric"})
    assert w.call("get_weather", {"city": "Lisbon", "units": "metric"}) == first
