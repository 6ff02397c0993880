"""Turn a blueprint into a task: plan, execute the reference, pick criteria, write the message."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from gauntlet import GENERATOR, __version__, canonical
from gauntlet.catalog.index import ToolIndex
from gauntlet.catalog.shapes import shape_of
from gauntlet.names import kind_of, label, pointer_label, singular, words
from gauntlet.retrieval import Index
from gauntlet.seeds import derive_int, rng
from gauntlet.tasks import writer
from gauntlet.tasks.bindings import BindingError, get_pointer, resolve
from gauntlet.tasks.facts import SESSION, NoFact, fact_values
from gauntlet.tasks.planner import Blueprint, Planner, Unplannable
from gauntlet.world.answers import answer_schema
from gauntlet.world.operations import ToolError
from gauntlet.world.worlds import TaskWorld, Worlds

ANSWER_HINTS = (
    "code",
    "number",
    "reference",
    "status",
    "total",
    "amount",
    "balance",
    "time",
    "date",
    "eta",
    "count",
    "name",
    "title",
    "at",
)
FILLERS = 2
PIN_TRIES = 4


class TaskRejected(Exception):
    """The blueprint cannot become a valid task; `reason` is a short code for counting."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Context:
    """Everything a task build needs about the catalog, computed once per stage run: the
    planner, the worlds (one base world per domain, seeded by `world_seed`, dated `now`)."""

    planner: Planner
    worlds: Worlds
    retrieval: Index
    provenance: dict[str, Any]
    now: dt.date
    world_seed: int

    @property
    def index(self) -> ToolIndex:
        return self.worlds.index

    @classmethod
    def create(
        cls,
        tools: list[dict],
        edges: list[dict],
        schemas: list[dict],
        provenance: dict[str, Any],
        *,
        now: dt.date,
        world_seed: int,
    ) -> Context:
        updates = frozenset(
            o["tool"] for s in schemas for o in s["operations"] if o["op"] == "update"
        )
        return cls(
            Planner(tools, edges, updates),
            Worlds(tools, schemas),
            Index(tools),
            provenance,
            now,
            world_seed,
        )

    def goal(self, name: str) -> bool:
        """A tool a task may ask for: plannable, with something to report, and not a sign-in
        (the conversation starts signed in)."""
        tool = self.index.tools[name]
        schema = self.worlds.schemas.get(tool["domain"], {})
        ours = next((o for o in schema.get("operations", []) if o["tool"] == name), None)
        if ours is not None and ours["op"] == "sign_in":
            return False
        resources = {r["name"]: r for r in schema.get("resources", [])}
        answers = {**tool, "returns": answer_schema(tool, ours, resources)}
        return self.planner.plannable(name) and goal_worthy(answers)

    def world_recipe(self, bp: Blueprint) -> dict[str, Any]:
        """The task's world: its domain's base world, and which of its people the user is."""
        seed = derive_int(self.world_seed, bp.domain)
        return self.worlds.recipe(bp.domain, seed, self.now, derive_int(bp.seed, "me"))


def reportable(name: str, created: set[str]) -> bool:
    """A field worth telling the user: one the tool created, or one whose name says so."""
    return name in created or _hinted(name)


@cache
def _hinted(name: str) -> bool:
    return any(h in words(name) or name.endswith(h) for h in ANSWER_HINTS)


def goal_worthy(tool: dict[str, Any]) -> bool:
    """A goal must have something to report back outside any list (lists make answers ambiguous)."""
    created = set(shape_of(tool).creates)

    def walk(schema: dict[str, Any]) -> bool:
        for name, sub in schema.get("properties", {}).items():
            if sub.get("type") == "object" and walk(sub):
                return True
            if sub.get("type") not in ("array", "object") and reportable(name, created):
                return True
        return False

    return walk(tool["returns"])


def answer_fields(tool: dict[str, Any], output: dict[str, Any], args: dict[str, Any]) -> list[str]:
    """Pointers to scalars worth reporting back: not echoes of inputs, not in arrays, short."""
    out = []
    created = set(shape_of(tool).creates)

    def walk(node: Any, pointer: str, name: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{pointer}/{k}", k)
        elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
            if name in args or kind_of(name) == "session" or node in args.values():
                return
            if isinstance(node, str) and (len(node) > 40 or len(node.split()) > 5):
                return
            if reportable(name, created):
                out.append(pointer)

    walk(output, "", "")
    return out


def build_task(bp: Blueprint, ctx: Context) -> dict[str, Any]:
    """A complete task record (difficulty and escalation left for the ladder to fill)."""
    try:
        plan, _ = ctx.planner.plan(bp)
    except Unplannable as exc:
        raise TaskRejected("unplannable", str(exc)) from exc
    recipe = ctx.world_recipe(bp)
    for attempt in range(PIN_TRIES):  # a pinned list item may be one the next call refuses
        world = ctx.worlds.open(recipe)
        try:
            known = fact_values(plan, world, bp.seed)
        except NoFact as exc:
            raise TaskRejected(exc.reason, str(exc)) from exc
        tried = copy.deepcopy(plan)
        try:
            outputs, criteria = _run_reference(bp, tried, known, world, attempt)
            break
        except TaskRejected:
            if attempt == PIN_TRIES - 1 or not any(
                "take" in b for c in plan for b in c["arguments"].values()
            ):
                raise
    plan = tried
    change = world.diff()
    answers = _answers(bp, plan, outputs, known, ctx)
    context = {k: v for k, v in known.items() if kind_of(k) == SESSION}
    facts = {k: v for k, v in known.items() if k not in context}
    withheld = _withheld(bp, facts)
    faults = _faults(bp, plan)
    menu = _menu(bp, plan, ctx)
    names = set(ctx.index.tools)
    message = writer.write(
        seed=bp.seed,
        goals=[writer.goal_phrase(ctx.index.tools[g], names) for g in bp.goals],
        facts=[(k, v) for k, v in facts.items() if k not in withheld],
        criteria=criteria,
        answers=[a["pointer"] for a in answers],
    )
    return {
        "id": bp.task_id,
        "seed": bp.seed,
        "domains": sorted({ctx.index.tools[c["tool"]]["domain"] for c in plan}),
        "tools": menu,
        "user_message": message,
        "facts": [
            {"key": k, "label": label(k), "value": v, "withheld": k in withheld}
            for k, v in facts.items()
        ],
        "plan": plan,
        "context": context,
        "world": recipe,
        "expected": {
            "answer_facts": answers,
            "world_diff": change,
            "world_diff_hash": canonical.digest(change),
            "witnesses": world.witnesses(change),
        },
        "faults": faults,
        "difficulty": {"level": 0, "knobs": list(bp.knobs)},
        "escalation": [],
        "provenance": {
            **ctx.provenance,
            "generator": GENERATOR,
            "generator_version": __version__,
            "seed": bp.seed,
            "writer": writer.WRITER,
        },
    }


def _run_reference(
    bp: Blueprint, plan: list[dict], facts: dict[str, Any], world: TaskWorld, attempt: int = 0
) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """Execute the plan; where a value comes out of a list, pin the item by a unique field."""
    outputs: dict[str, Any] = {}
    criteria: list[tuple[str, str, Any]] = []
    for call in plan:
        for param, binding in call["arguments"].items():
            if "take" in binding and "where" not in binding:
                items = get_pointer(outputs[binding["ref"]], binding["pointer"])
                binding["where"] = _pin(bp, call, param, items, attempt)
                entity = singular(binding["pointer"].rsplit("/", 1)[-1]).replace("_", " ")
                criteria.append((entity, binding["where"]["field"], binding["where"]["value"]))
        try:
            args = {p: resolve(b, facts, outputs) for p, b in call["arguments"].items()}
            outputs[call["call_id"]] = world.call(call["tool"], args)
        except (ToolError, BindingError) as exc:
            raise TaskRejected(
                "reference_failed", f"{call['call_id']} {call['tool']}: {exc}"
            ) from exc
    return outputs, criteria


def _pin(bp: Blueprint, call: dict, param: str, items: Any, attempt: int) -> dict[str, Any]:
    """Choose one item and a field whose value no other item shares, or reject as ambiguous."""
    if not isinstance(items, list) or not items:
        raise TaskRejected("reference_failed", f"{call['tool']}.{param}: empty result list")
    r = rng(bp.seed, "pin", call["call_id"], param, *([attempt] if attempt else []))
    chosen = items[r.randrange(len(items))]
    unique = []
    for key, value in chosen.items():
        if kind_of(key) or isinstance(value, (bool, dict, list)) or value is None:
            continue
        if isinstance(value, str) and (len(value) > 40 or len(value.split()) > 5):
            continue
        if sum(1 for it in items if isinstance(it, dict) and it.get(key) == value) == 1:
            unique.append(key)
    if not unique:
        raise TaskRejected(
            "answer_not_unique", f"{call['tool']}.{param}: no field tells the chosen item apart"
        )
    named = [k for k in unique if isinstance(chosen[k], str)] or unique
    key = r.choice(sorted(named))
    return {"field": key, "value": chosen[key]}


def _answers(
    bp: Blueprint, plan: list[dict], outputs: dict[str, Any], facts: dict[str, Any], ctx: Context
) -> list[dict[str, Any]]:
    out = []
    for goal in bp.goals:
        call = next(c for c in reversed(plan) if c["tool"] == goal)
        args = {p: resolve(b, facts, outputs) for p, b in call["arguments"].items()}
        taken = {pointer_label(a["pointer"]) for a in out}
        pointers = [
            p
            for p in answer_fields(ctx.index.tools[goal], outputs[call["call_id"]], args)
            if pointer_label(p) not in taken
        ]
        if not pointers:
            raise TaskRejected("answer_not_unique", f"{goal}: nothing in its output to report back")
        picked = sorted(rng(bp.seed, "answers", goal).sample(pointers, min(2, len(pointers))))
        for pointer in picked:
            value = get_pointer(outputs[call["call_id"]], pointer)
            out.append({"call_id": call["call_id"], "pointer": pointer, "value": value})
    return out


def _withheld(bp: Blueprint, facts: dict[str, Any]) -> set[str]:
    candidates = sorted(facts)
    r = rng(bp.seed, "withheld")
    return set(r.sample(candidates, min(bp.withheld, len(candidates))))


def _faults(bp: Blueprint, plan: list[dict]) -> list[dict[str, Any]]:
    tools = list(dict.fromkeys(c["tool"] for c in reversed(plan)))[: bp.faults]
    r = rng(bp.seed, "faults")
    return [{"tool": t, "kind": r.choice(["transient", "rate_limit"]), "times": 1} for t in tools]


def _menu(bp: Blueprint, plan: list[dict], ctx: Context) -> list[str]:
    """Plan tools, a few same-domain fillers, and the distractors retrieval finds most alike."""
    used = list(dict.fromkeys(c["tool"] for c in plan))
    r = rng(bp.seed, "menu")
    same = sorted(
        n for n, t in ctx.index.tools.items() if t["domain"] == bp.domain and n not in used
    )
    menu = used + r.sample(same, min(FILLERS, len(same)))
    if bp.distractors:
        query = " ".join(ctx.index.tools[g]["description"] for g in bp.goals)
        ranked = [n for n in ctx.retrieval.rank(query) if n not in menu]
        menu += ranked[: bp.distractors]
    return sorted(menu)
