"""Pipeline throughput: tasks per second per stage and end to end, at two sizes, and peak memory.

Runs the engine's stages directly (no Dagster) on the shipped catalogs, each size in its own
process so peak memory is that size's own. Then the machine's rate: the largest size split
into one shard per core, the shards run side by side as the nightly runs do. Usage:

    .venv/bin/python benchmarks/pipeline.py [--sizes 200 2000] [--seed 0] [--shards 2]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_once(n_tasks: int, seed: int, shard: int = 0) -> dict:
    from gauntlet.stages.catalog import build_catalog
    from gauntlet.stages.export import export_dataset
    from gauntlet.stages.graph import build_graph
    from gauntlet.stages.judged import judge_trajectories
    from gauntlet.stages.rollouts import run_rollouts
    from gauntlet.stages.tasks import synthesize_tasks
    from gauntlet.stages.world import build_world_schema

    timings: dict[str, float] = {}

    def timed(name, fn, *args, **kwargs):
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        timings[name] = time.perf_counter() - start
        return out

    catalog = timed("catalog", build_catalog, ROOT / "data" / "catalogs")
    graph = timed("graph", build_graph, catalog.records)
    worlds = timed("world_schema", build_world_schema, catalog.records, None)
    tasks = timed(
        "tasks",
        synthesize_tasks,
        catalog.records,
        graph.records,
        worlds.records,
        n_tasks=n_tasks,
        seed=seed,
        partition=f"2026-11-21|{shard}",
        now=dt.date(2026, 11, 21),
    )
    rollouts = timed("rollouts", run_rollouts, catalog.records, worlds.records, tasks.records)
    judged = timed("judge", judge_trajectories, catalog.records, tasks.records, rollouts.records)
    with tempfile.TemporaryDirectory() as out:
        context = {
            "seed": seed,
            "stages": ["benchmark"],
            "backends": {"all": "offline"},
            "catalog_version": catalog.stats["version"],
            "code_version": "bench",
        }
        export = timed(
            "export",
            export_dataset,
            catalog.records,
            worlds.records,
            judged.records,
            Path(out),
            card_context=context,
        )
    return {
        "n_tasks": n_tasks,
        "kept_tasks": len(tasks.records),
        "exported": len(export.records),
        "seconds": timings,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report(results: list[dict]) -> None:
    print("Gauntlet pipeline benchmark (offline backends, engine only, 1 process)\n")
    header = f"{'stage':<10}" + "".join(f"{r['n_tasks']:>12} tasks" for r in results)
    print(header)
    for stage in ("catalog", "graph"):
        print(f"{stage:<10}" + "".join(f"{r['seconds'][stage]:>15.3f}s" for r in results))
    for stage in ("tasks", "rollouts", "judge", "export"):
        cells = "".join(f"{r['n_tasks'] / r['seconds'][stage]:>13.1f}/s" for r in results)
        print(f"{stage:<10}{cells}")
    total = "".join(f"{r['n_tasks'] / sum(r['seconds'].values()):>13.1f}/s" for r in results)
    print(f"{'end2end':<10}{total}")
    print(f"{'exported':<10}" + "".join(f"{r['exported']:>18}" for r in results))
    print(f"{'peak RSS':<10}" + "".join(f"{r['peak_rss_mb']:>15.0f}MB" for r in results))
    if len(results) == 2:
        a, b = results
        scale = b["n_tasks"] / a["n_tasks"]
        time_ratio = sum(b["seconds"].values()) / sum(a["seconds"].values())
        print(
            f"\n{scale:.0f}x the tasks took {time_ratio:.2f}x the time "
            f"(1.00 per unit of size would be linear: {time_ratio / scale:.2f}); "
            f"peak memory ratio {b['peak_rss_mb'] / a['peak_rss_mb']:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shards", type=int, default=2, help="shards run side by side")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--shard", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_once(args.one, args.seed, args.shard)))
        return
    report([_child(size, args.seed) for size in args.sizes])
    if args.shards > 1:
        machine_rate(max(args.sizes), args.seed, args.shards)


def _child(n_tasks: int, seed: int, shard: int = 0) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(n_tasks), "--seed", str(seed)]
        + ["--shard", str(shard)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine_rate(n_tasks: int, seed: int, shards: int) -> None:
    """`n_tasks` split over `shards` processes started together: exported trajectories per
    minute from the first start to the last finish (imports and catalog load included)."""
    per_shard = [n_tasks // shards + (i < n_tasks % shards) for i in range(shards)]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(shards) as pool:
        results = list(pool.map(_child, per_shard, [seed] * shards, range(shards)))
    wall = time.perf_counter() - start
    exported = sum(r["exported"] for r in results)
    peak = max(r["peak_rss_mb"] for r in results)
    print(
        f"\n{n_tasks} tasks as {shards} shards side by side: {exported} exported in {wall:.1f}s "
        f"wall = {exported / wall * 60:,.0f} exported trajectories/min; "
        f"peak RSS per shard {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
