"""LLM layer throughput: the cached, limited, accounted client against a bare openai client.

Both run against the local OpenAI-compatible server (its own process) at 100 ms latency:
2,000 independent requests at concurrency 64, so the ideal is 64 / 0.1 s = 640 requests/s.
(a) is `openai.AsyncOpenAI` behind a plain `asyncio.Semaphore(64)`; (b) is `LLMClient` with a
fresh response cache, the rate limiter (concurrency 64) and accounting. Then (b) runs again on
the warm cache: it should send nothing. Usage:

    .venv/bin/python benchmarks/llm.py [--requests 2000] [--concurrency 64] [--latency-ms 100]
                                       [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gauntlet.llm.accounting import Accounting  # noqa: E402
from gauntlet.llm.cache import ResponseCache  # noqa: E402
from gauntlet.llm.client import LLMClient  # noqa: E402
from gauntlet.llm.types import ChatRequest, Endpoint, Limits, Secret  # noqa: E402
from gauntlet.testing.server_process import LocalServer  # noqa: E402


def make_requests(n: int, tag: str) -> list[ChatRequest]:
    """`n` distinct requests (distinct cache keys), shaped like a role's."""
    system = {"role": "system", "content": "You are a careful assistant. Answer briefly."}
    return [
        ChatRequest(
            role="bench",
            model="local",
            seed=0,
            template_hash="bench-v1",
            messages=[system, {"role": "user", "content": f"{tag} question number {i}"}],
        )
        for i in range(n)
    ]


async def run_bare(url: str, requests: list[ChatRequest], concurrency: int) -> float:
    """(a): the openai client as anyone would use it, behind a semaphore. Returns seconds."""
    import openai

    client = openai.AsyncOpenAI(base_url=url, api_key="unused", max_retries=0, timeout=60)
    gate = asyncio.Semaphore(concurrency)

    async def one(request: ChatRequest) -> Any:
        async with gate:
            return await client.chat.completions.create(
                **request.body(), extra_headers={"X-Gauntlet-Role": request.role}
            )

    start = time.perf_counter()
    answers = await asyncio.gather(*(one(r) for r in requests))
    elapsed = time.perf_counter() - start
    await client.close()
    assert len(answers) == len(requests)
    return elapsed


async def run_layer(client: LLMClient, requests: list[ChatRequest]) -> float:
    """(b): the LLM layer. Returns seconds."""
    start = time.perf_counter()
    answers = await asyncio.gather(*(client.chat(r) for r in requests))
    elapsed = time.perf_counter() - start
    assert len(answers) == len(requests)
    return elapsed


def llm_layer(args: argparse.Namespace) -> dict[str, Any]:
    """Section 1: bare client vs LLM layer, cold and warm, side by side in one process.

    (a) and (b) alternate for `--rounds` rounds (each (b) round on a fresh cache) and the medians
    are reported, so a noisy moment on a shared machine does not decide the ratio."""
    n, conc, latency = args.requests, args.concurrency, args.latency_ms
    ideal = conc / (latency / 1000)
    with LocalServer(latency_ms=latency) as server, tempfile.TemporaryDirectory() as tmp:
        accounting = Accounting()
        endpoint = Endpoint(server.url, Secret("sk-bench-unused"), timeout_s=60)

        def layer_client(folder: str) -> LLMClient:
            cache = ResponseCache(Path(tmp) / folder)
            return LLMClient(endpoint, Limits(concurrency=conc), cache, accounting)

        async def section() -> dict[str, Any]:
            # Warm up connections and imports for both, untimed.
            await run_bare(server.url, make_requests(conc, "warm-a"), conc)
            async with layer_client("warm-up") as client:
                await run_layer(client, make_requests(conc, "warm-b"))
            bare, cold = [], []
            for round_ in range(args.rounds):
                bare.append(await run_bare(server.url, make_requests(n, f"bare{round_}"), conc))
                async with layer_client(f"cold{round_}") as client:
                    cold.append(await run_layer(client, make_requests(n, f"layer{round_}")))
            server.configure(reset_stats=True)
            # A re-materialization: a new client and cache object on the last round's folder.
            async with layer_client(f"cold{args.rounds - 1}") as client:
                warm = await run_layer(client, make_requests(n, f"layer{args.rounds - 1}"))
            sent = server.stats()["requests"]
            return {
                "bare_s": statistics.median(bare),
                "cold_s": statistics.median(cold),
                "warm_s": warm,
                "warm_requests_sent": sent,
            }

        timing = asyncio.run(section())
    rate_a, rate_b = n / timing["bare_s"], n / timing["cold_s"]
    result = {
        "requests": n,
        "concurrency": conc,
        "latency_ms": latency,
        "ideal_per_s": ideal,
        "bare_per_s": rate_a,
        "layer_per_s": rate_b,
        "layer_over_bare": rate_b / rate_a,
        "bare_of_ideal": rate_a / ideal,
        "layer_of_ideal": rate_b / ideal,
        "warm_per_s": n / timing["warm_s"],
        "warm_requests_sent": timing["warm_requests_sent"],
        "warm_speedup": timing["cold_s"] / timing["warm_s"],
        "accounting": accounting.snapshot()["total"],
    }
    print(
        f"LLM layer: {n} requests, concurrency {conc}, server latency {latency:g} ms, "
        f"median of {args.rounds} rounds"
    )
    print(f"  ideal                    {ideal:8.1f} req/s")
    print(f"  (a) bare AsyncOpenAI     {rate_a:8.1f} req/s  {rate_a / ideal:6.1%} of ideal")
    print(f"  (b) LLMClient, cold      {rate_b:8.1f} req/s  {rate_b / ideal:6.1%} of ideal")
    print(f"  (b)/(a)                  {rate_b / rate_a:8.2f}     (target >= 0.90)")
    print(
        f"  (b) warm cache           {result['warm_per_s']:8.1f} req/s  "
        f"{result['warm_requests_sent']} requests sent (target 0), "
        f"{result['warm_speedup']:.1f}x faster than cold"
    )
    return result


def pipeline_end_to_end(args: argparse.Namespace) -> dict[str, Any]:
    """Section 2: the engine's stages on the llm backends against the local server.

    The server runs `scripted_model` at the same latency. Every role is on the llm backend
    except the teacher (`--llm-teacher` puts it there too): the scripted stand-in replays the
    heuristic, so as a teacher it fails the very tasks that beat the heuristic baseline."""
    from gauntlet.llm.settings import from_env
    from gauntlet.stages.catalog import build_catalog
    from gauntlet.stages.graph import build_graph
    from gauntlet.stages.judged import judge_trajectories
    from gauntlet.stages.roles import Roles
    from gauntlet.stages.rollouts import run_rollouts
    from gauntlet.stages.tasks import synthesize_tasks
    from gauntlet.stages.world import build_world_schema

    n = args.pipeline_tasks
    with (
        LocalServer(
            latency_ms=args.latency_ms, model="gauntlet.testing.scripted_model:respond"
        ) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = {
            "GAUNTLET_BACKEND": "llm",
            "GAUNTLET_MODEL": "scripted",
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "sk-bench-unused",
        }
        for role in ("writer", "user", "baseline", "teacher", "judge"):
            env[f"GAUNTLET_{role.upper()}_CONCURRENCY"] = str(args.concurrency)
        if not args.llm_teacher:
            env["GAUNTLET_TEACHER_BACKEND"] = "offline"
        settings = from_env(env)
        catalog = build_catalog(ROOT / "data" / "catalogs")
        graph = build_graph(catalog.records)
        worlds = build_world_schema(catalog.records, None)
        timings = {}
        with Roles.build(settings, Path(tmp) / "cache") as roles:
            start = time.perf_counter()
            tasks = synthesize_tasks(
                catalog.records,
                graph.records,
                worlds.records,
                n_tasks=n,
                seed=0,
                partition="2026-11-21|0",
                now=dt.date(2026, 11, 21),
                roles=roles,
            )
            timings["tasks"] = time.perf_counter() - start
            start = time.perf_counter()
            rollouts = run_rollouts(catalog.records, worlds.records, tasks.records, roles=roles)
            timings["rollouts"] = time.perf_counter() - start
            start = time.perf_counter()
            judged = judge_trajectories(
                catalog.records, tasks.records, rollouts.records, roles=roles
            )
            timings["judge"] = time.perf_counter() - start
            usage = roles.usage()["total"]
    kept = judged.stats["kept"]
    total = sum(timings.values())
    print(
        f"\nPipeline on llm backends: {n} tasks, latency {args.latency_ms:g} ms, "
        f"role concurrency {args.concurrency}, teacher {'llm' if args.llm_teacher else 'oracle'}"
    )
    for stage, seconds in timings.items():
        print(f"  {stage:<9} {seconds:7.1f} s  {n / seconds:6.2f} tasks/s")
    print(
        f"  requests sent {usage['requests']}, tokens {usage['prompt_tokens']} in / "
        f"{usage['completion_tokens']} out, cost unknown (unpriced local model)"
    )
    print(f"  rejected: tasks {tasks.rejection_counts()}, judge {judged.rejection_counts()}")
    print(
        f"  kept {kept} of {n}: {total / max(kept, 1):.2f} s per kept trajectory, "
        f"{usage['requests'] / max(kept, 1):.0f} requests per kept trajectory"
    )
    return {
        "tasks": n,
        "kept": kept,
        "seconds": timings,
        "usage": usage,
        "seconds_per_kept": total / max(kept, 1),
    }


SECTIONS = [llm_layer, pipeline_end_to_end]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--rounds", type=int, default=3, help="alternating (a)/(b) rounds")
    parser.add_argument("--pipeline-tasks", type=int, default=40)
    parser.add_argument("--llm-teacher", action="store_true", help="the teacher on llm too")
    parser.add_argument(
        "--json", action="store_true", help="also print the figures as one JSON line"
    )
    args = parser.parse_args(argv)
    results = {section.__name__: section(args) for section in SECTIONS}
    if args.json:
        print(json.dumps(results, sort_keys=True))
    return results


if __name__ == "__main__":
    main()
