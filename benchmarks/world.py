"""The executable world's costs: schema inference, seeding a world, forking an episode from
it, and tool calls against it, on the shipped catalogs (µs per item, median of 3 rounds).

Usage:

    .venv/bin/python benchmarks/world.py [--worlds 50] [--calls 2000] [--tasks 300]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NOW = dt.date(2026, 11, 29)


def per_item(fn, n: int) -> float:
    """Median µs per call of `fn` over 3 rounds of `n` calls."""
    rounds = []
    for _ in range(3):
        start = time.perf_counter()
        for i in range(n):
            fn(i)
        rounds.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(rounds)


def main() -> None:
    from gauntlet.catalog import load_folder
    from gauntlet.catalog.index import ToolIndex
    from gauntlet.world.environment import World
    from gauntlet.world.schema import infer

    parser = argparse.ArgumentParser()
    parser.add_argument("--worlds", type=int, default=50)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=300)
    args = parser.parse_args()
    tools = load_folder(ROOT / "data" / "catalogs").tools
    index = ToolIndex(tools)
    infer_us = per_item(lambda i: infer(tools), 5)
    schemas = infer(tools)
    for schema in schemas:  # value pools are filled once per process
        World.create(schema, index, seed=0, now=NOW)
    build_us = per_item(
        lambda i: World.create(schemas[i % len(schemas)], index, seed=i, now=NOW), args.worlds
    )
    base = World.create(next(s for s in schemas if s["domain"] == "clinic"), index, seed=1, now=NOW)
    fork_us = per_item(lambda i: base.fork(), args.calls)
    rows = sum(len(t) for t in base.initial.tables.values())
    episode = base.fork()
    me = base.initial.me
    call_us = per_item(
        lambda i: episode.call(
            "list_appointments", {"session_id": _session(episode), "patient_id": me}
        ),
        args.calls,
    )
    task_us, kept = _task_builds(tools, args.tasks)
    print("Executable world (shipped catalogs, 7 domains; median of 3 rounds)\n")
    print(f"{'infer the world schema (all domains)':<40}{infer_us:>12,.0f} µs")
    print(f"{'seed one world':<40}{build_us:>12,.0f} µs   ({rows} rows in the clinic world)")
    print(f"{'fork an episode from a world':<40}{fork_us:>12,.1f} µs")
    print(f"{'one list call (clinic)':<40}{call_us:>12,.1f} µs")
    print(
        f"{'build one task (facts + reference run)':<40}{task_us:>12,.0f} µs   "
        f"({kept} of {args.tasks} blueprints became tasks)"
    )


def _task_builds(tools: list, n: int) -> tuple[float, int]:
    """µs per task build on warm worlds: plan, the user's facts from the world, the reference
    run on a fork and its diff (no escalation, no baseline)."""
    from gauntlet.graph.edges import build_edges
    from gauntlet.seeds import derive_int
    from gauntlet.stages.tasks import base_blueprint
    from gauntlet.tasks.build import Context, TaskRejected, build_task
    from gauntlet.world.schema import infer

    ctx = Context.create(tools, build_edges(tools), infer(tools), {}, now=NOW, world_seed=1)
    blueprints = []
    for i in range(n):
        try:
            blueprints.append(base_blueprint(ctx, derive_int(0, i), f"t-{i}"))
        except TaskRejected:
            continue
    built = 0
    for bp in blueprints:  # warm: every domain's world seeded once
        try:
            build_task(bp, ctx)
            built += 1
        except TaskRejected:
            pass

    def one(i: int) -> None:
        with contextlib.suppress(TaskRejected):
            build_task(blueprints[i % len(blueprints)], ctx)

    return per_item(one, len(blueprints)), built


_SESSIONS: dict[int, str] = {}


def _session(world) -> str:
    """One sign-in per episode, reused (the call measured is the list, not the sign-in)."""
    if id(world) not in _SESSIONS:
        op = next(o for o in world.schema["operations"] if o["op"] == "sign_in")
        creds = world.state.credentials[world.state.me]
        args = {p: creds[p] for p in op["params"] if p in creds}
        args[op["secret"]["param"]] = creds["secret"]
        _SESSIONS[id(world)] = world.call(op["tool"], args)["session_id"]
    return _SESSIONS[id(world)]


if __name__ == "__main__":
    main()
