"""Tool graph build cost: seconds, edges and peak memory at 1,000, 5,000 and 20,000 tools.

Two shapes of catalog, both generated (`gauntlet.testing.catalogs`):

- `many`: `make_catalogs(n)`, many small domains of ~17 tools each, the usual case;
- `wide`: a few domains of ~1,000 tools each (`make_catalog` with 250 entities), where a
  field many tools return and many tools take (`capacity`, `rating`...) meets itself
  inside one domain;
- `one`: a single domain of all the tools: the case that turns quadratic if the fan-out of
  such a field is not bounded.

Each size runs in its own process so peak RSS is that size's own. Usage:

    .venv/bin/python benchmarks/graph.py [--sizes 1000 5000 20000] [--shape many wide]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOOLS_PER_ENTITY = 4
WIDE_ENTITIES = 250  # 1 + 4 * 250 = 1,001 tools per domain


def catalog(n_tools: int, shape: str) -> list[dict]:
    """At least `n_tools` generated tools, cut to exactly `n_tools` (whole domains first)."""
    from gauntlet.testing.catalogs import DOMAINS, make_catalog, make_catalogs

    if shape == "many":
        per_domain = 1 + TOOLS_PER_ENTITY * 4
        catalogs = make_catalogs(-(-n_tools // per_domain))
    elif shape == "one":
        words = DOMAINS["observatory"]
        n_ents = -(-n_tools // TOOLS_PER_ENTITY)
        ents = [f"{words[j % len(words)]}{j // len(words)}" for j in range(n_ents)]
        catalogs = [make_catalog("observatory_one", ents)]
    else:
        per_domain = 1 + TOOLS_PER_ENTITY * WIDE_ENTITIES
        bases = list(DOMAINS)
        catalogs = []
        for i in range(-(-n_tools // per_domain)):
            base = bases[i % len(bases)]
            words = DOMAINS[base]
            ents = [f"{words[j % len(words)]}{i}x{j // len(words)}" for j in range(WIDE_ENTITIES)]
            catalogs.append(make_catalog(f"{base}_wide{i}", ents))
    tools = [{**t, "domain": c["domain"]} for c in catalogs for t in c["tools"]]
    return tools[:n_tools]


def run_once(n_tools: int, shape: str) -> dict:
    from gauntlet.graph.analysis import summary
    from gauntlet.graph.edges import build_edges

    tools = catalog(n_tools, shape)
    start = time.perf_counter()
    edges = build_edges(tools)
    build = time.perf_counter() - start
    start = time.perf_counter()
    stats = summary(tools, edges)
    summ = time.perf_counter() - start
    return {
        "tools": len(tools),
        "shape": shape,
        "build_s": build,
        "summary_s": summ,
        "edges": len(edges),
        "dataflow": stats["dataflow_edges"],
        "state": stats["state_edges"],
        "isolated": len(stats["isolated"]),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report(shape: str, results: list[dict]) -> None:
    print(f"\nTool graph build, shape '{shape}' (1 process per size)\n")
    print(
        f"{'tools':>8}{'build_edges s':>15}{'summary s':>11}{'total s':>9}"
        f"{'edges':>10}{'dataflow':>10}{'state':>9}{'isolated':>9}{'peak RSS':>10}"
    )
    for r in results:
        total = r["build_s"] + r["summary_s"]
        print(
            f"{r['tools']:>8}{r['build_s']:>15.2f}{r['summary_s']:>11.2f}{total:>9.2f}"
            f"{r['edges']:>10}{r['dataflow']:>10}{r['state']:>9}{r['isolated']:>9}"
            f"{r['peak_rss_mb']:>8.0f}MB"
        )
    if len(results) > 1:
        a, b = results[0], results[-1]
        ratio = (b["build_s"] + b["summary_s"]) / (a["build_s"] + a["summary_s"])
        print(
            f"\n{b['tools'] / a['tools']:.0f}x the tools took {ratio:.1f}x the time "
            f"(target < 30); edges grew {b['edges'] / max(a['edges'], 1):.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument(
        "--shape", nargs="+", default=["many", "wide", "one"], choices=["many", "wide", "one"]
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_once(args.one, args.shape[0])))
        return
    for shape in args.shape:
        results = []
        for size in args.sizes:
            try:
                out = subprocess.run(
                    [sys.executable, __file__, "--one", str(size), "--shape", shape],
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                )
            except subprocess.TimeoutExpired:
                print(f"{shape} {size}: over {args.timeout:.0f} s, stopped")
                break
            except subprocess.CalledProcessError as exc:
                last = (exc.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{shape} {size}: failed ({last})")
                break
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        report(shape, results)


if __name__ == "__main__":
    main()
