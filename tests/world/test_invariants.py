"""Invariants every world keeps, for any catalog: generated ones (property-based) and shipped.

Each tool is called the way a careful user would ask for it (the task builder's own facts:
the user's rows, filters one of their rows meets, a new row's values made together), on a
fresh fork of the world, and what comes back is checked:
- every answer fits the tool's `returns` and reads as one coherent world (one currency, line
  totals, ordered moments, lifecycle stamps, no filler, nobody else's identity);
- a get answers the row asked for; a list honours its filters and shows only the user's rows;
- a status action moves along its lifecycle or is refused with `conflict`, and a later read
  sees the write;
- every stored reference points at a real row and every key is typed as its schema says.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from gauntlet.catalog import load_folder
from gauntlet.tasks.facts import NoFact, fact_values
from gauntlet.testing.catalogs import make_catalogs
from gauntlet.verify.coherence import answer_defects
from gauntlet.world import lifecycle
from gauntlet.world.keys import matches
from gauntlet.world.operations import ToolError
from gauntlet.world.render import owner_of
from gauntlet.world.schema import infer
from gauntlet.world.worlds import TaskWorld, Worlds
from tests.conftest import DEFAULT_CATALOGS

NOW = dt.date(2026, 11, 21)
SHIPPED = sorted(p.stem for p in DEFAULT_CATALOGS.glob("*.json"))


def check_world(tools: list[dict[str, Any]], world_seed: int) -> None:
    worlds = Worlds(tools, infer(tools))
    for domain, schema in sorted(worlds.schemas.items()):
        recipe = worlds.recipe(domain, world_seed, NOW, pick=world_seed)
        check_rows(worlds.open(recipe), schema)
        for op in schema["operations"]:
            if op["op"] != "sign_in":
                check_call(worlds, recipe, schema, op)


def check_rows(world: TaskWorld, schema: dict[str, Any]) -> None:
    resources = {r["name"]: r for r in schema["resources"]}
    for name, rows in world.initial.tables.items():
        res = resources[name]
        for key, row in rows.items():
            if res["key"]["field"]:
                assert matches(res["key"], key), f"{name} key {key!r} is not a {res['key']}"
            for field, target in res["references"].items():
                value = row.get(field)
                if value is None or target not in world.initial.tables:
                    continue
                natural = field in resources[target].get("lookups", ())
                found = (
                    any(r.get(field) == value for r in world.initial.table(target).values())
                    if natural
                    else world.initial.row(target, value) is not None
                )
                assert found, f"{name} {key}: {field} {value!r} points at no {target}"


def check_call(worlds: Worlds, recipe: dict, schema: dict, op: dict) -> None:
    tool = worlds.index.tools[op["tool"]]
    world = worlds.open(recipe)
    plan = [{"call_id": "c1", "tool": op["tool"], "arguments": _facts(tool)}]
    try:
        args = fact_values(plan, world, seed=len(op["tool"]))
    except NoFact:
        return  # nothing in this world the tool could act on: the task builder skips it too
    before = world.state.row(op["resource"] or "", args.get(op["key"] or "", object()))
    before = dict(before) if before else None
    try:
        answer = world.call(op["tool"], args)
    except ToolError as exc:  # only a status change may be refused, and only as a conflict
        assert op["op"] in ("action", "update") and exc.code == "conflict", f"{op['tool']}: {exc}"
        return
    errors = list(Draft202012Validator(tool["returns"]).iter_errors(answer))
    assert not errors, f"{op['tool']}: {errors[0].message}"
    assert answer_defects(op["tool"], answer, schema, NOW, recipe["me"]) == []
    res = next((r for r in schema["resources"] if r["name"] == op["resource"]), None)
    if res is None:
        return
    key = res["key"]["field"]
    if op["op"] == "get" and op["key"] == key and key in answer:
        assert answer[key] == args[key], f"{op['tool']} answered another row"
    if op["op"] in ("list", "search"):
        check_listed(world, res, answer, args)
    if op["op"] == "action" and before is not None and res.get("lifecycle"):
        field = res["lifecycle"].get("field", "status")
        after = world.state.row(res["name"], args[op["key"]])
        if after is not None and lifecycle.target(res["lifecycle"], op["tool"], before[field]):
            assert after[field] == lifecycle.target(res["lifecycle"], op["tool"], before[field])


def check_listed(world: TaskWorld, res: dict, answer: dict, args: dict) -> None:
    stored = world.state.table(res["name"])
    for items in (v for v in answer.values() if isinstance(v, list)):
        for item in (i for i in items if isinstance(i, dict)):
            key = item.get(res["key"]["field"] or "")
            row = stored.get(key)
            if row is not None and res.get("owner"):
                assert owner_of(row) in (None, world.state.me), f"{key} is someone else's"
            fields = {f["name"] for f in res["fields"]}
            for param, value in args.items():
                scalar = isinstance(item.get(param), (str, int, float))
                if param in fields and scalar and not isinstance(value, (list, dict)):
                    assert str(item[param]).lower() == str(value).lower(), param


def _facts(tool: dict) -> dict[str, dict]:
    return {p: {"fact": p} for p in tool["parameters"].get("required", [])}


@pytest.mark.parametrize("world_seed", [1, 7, 2026])
def test_the_shipped_worlds_keep_every_invariant(default_tools, world_seed):
    check_world(default_tools, world_seed)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    n_domains=st.integers(1, 4),
    catalog_seed=st.integers(0, 10_000),
    world_seed=st.integers(0, 2**31),
)
def test_any_generated_world_keeps_every_invariant(n_domains, catalog_seed, world_seed):
    with tempfile.TemporaryDirectory() as folder:
        for catalog in make_catalogs(n_domains, seed=catalog_seed):
            (Path(folder) / f"{catalog['domain']}.json").write_text(json.dumps(catalog))
        tools = load_folder(folder).tools
    check_world(tools, world_seed)
