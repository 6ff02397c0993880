"""`tasks`: escalated tasks for one date x shard, each kept at the first level the baseline fails."""

from collections import Counter

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets import lake, versions
from assets.backends import LLMConfig, open_backends, usage_metadata
from gauntlet import plots, records, seeds, stages

CODE_VERSION = versions.SYNTHESIS


@asset(
    key="tasks",
    group_name="synthesis",
    owners=lake.OWNERS,
    code_version=CODE_VERSION,
    kinds=lake.KINDS,
    partitions_def=lake.daily_shards,
    pool="llm",
    deps=["tool_catalog", "tool_graph"],
    check_specs=[
        lake.records_check("records_valid", "tasks", "Every task matches task.schema.json.")
    ],
    description=(
        "Tool-use tasks sampled from the tool graph, each with an executed reference solution. "
        "Difficulty is raised one operator at a time (deeper, wider, distractors, withheld "
        "facts, faults, ...) until the baseline agent fails; the solved levels are kept as "
        "escalation history. Tasks whose reference fails are rejected with a reason."
    ),
)
def tasks(
    context: AssetExecutionContext, gauntlet: lake.GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    part = lake.shard_of(context)
    store = gauntlet.store()
    upstream = lake.Upstream(store)
    tools = upstream.read("tool_catalog")
    edges = upstream.read("tool_graph")
    seed = seeds.derive_int(gauntlet.seed, part.date, part.shard)
    n_tasks = gauntlet.tasks_for_shard(part.index, lake.SHARDS)
    with open_backends(llm, gauntlet) as backends:
        result = stages.synthesize_tasks(
            tools,
            edges,
            n_tasks=n_tasks,
            seed=seed,
            partition=part.label,
            catalog_version=upstream.version("tool_catalog"),
            graph_version=upstream.version("tool_graph"),
            log=context.log.info,
            backends=backends,
        )
    found = result.records
    manifest = lake.write(
        store,
        "tasks",
        part.key,
        result,
        code_version=CODE_VERSION,
        upstream=upstream,
        columns={"level": [lake.pick(t, "difficulty.level") for t in found]},
        seed=seed,
        config={"run_seed": gauntlet.seed, "n_tasks": n_tasks},
    )
    stored = store.read("tasks", part.key)
    problems = lake.schema_problems(stored, lambda t: records.errors("task", t), lambda t: t["id"])
    context.log.info(f"{len(found)} tasks kept of {n_tasks} requested")
    return lake.materialize_result(
        store,
        manifest,
        {
            **usage_metadata(result.stats),
            "tasks": len(found),
            "requested": n_tasks,
            "kept_rate": lake.rate(len(found), len(found) + len(result.rejected)),
            "difficulty": lake.md_counts(
                lake.count_by(found, "difficulty.level"), "level", "tasks"
            ),
            **_histogram(found),
            "mean_level": _mean_level(found),
            "baseline_pass_rates": _pass_rates(found),
            "baseline_pass_rate": result.stats.get("baseline_pass_rate", 0.0),
            "knobs": lake.md_counts(_knobs(found), "knob", "tasks"),
            "final_operator": lake.md_counts(
                result.stats.get("final_operator", {}), "operator", "tasks"
            ),
            "baseline_failures": lake.md_counts(
                result.stats.get("baseline_failures", {}), "baseline failure", "levels"
            ),
            "preview": lake.preview(
                found, ["id", "domains", "difficulty.level", "difficulty.knobs", "user_message"]
            ),
        },
        [lake.validity_check("records_valid", problems)],
    )


def _histogram(found: list[dict]) -> dict[str, MetadataValue]:
    """The difficulty histogram as a picture (levels with no task shown as zero)."""
    if not found:
        return {}
    levels = Counter(lake.pick(t, "difficulty.level") or 0 for t in found)
    counts = {level: levels.get(level, 0) for level in range(max(levels) + 1)}
    png = plots.bar_png(counts, "Final difficulty of kept tasks", "level", "tasks")
    picture = lake.image_md(png, "difficulty histogram")
    return {"difficulty_histogram": picture} if picture is not None else {}


def _mean_level(found: list[dict]) -> float:
    levels = [lake.pick(t, "difficulty.level") or 0 for t in found]
    return round(sum(levels) / len(levels), 3) if levels else 0.0


def _knobs(found: list[dict]) -> Counter:
    return Counter(k for t in found for k in (t.get("difficulty") or {}).get("knobs") or [])


def _pass_rates(found: list[dict]) -> MetadataValue:
    """Per escalation level: how often the baseline solved it (the ladder's shape)."""
    tried: Counter = Counter()
    passed: Counter = Counter()
    for task in found:
        for step in task.get("escalation") or []:
            tried[step.get("level")] += 1
            passed[step.get("level")] += bool(step.get("baseline_passed"))
    rows = [
        {"level": lvl, "tried": tried[lvl], "baseline passed": passed[lvl],
         "pass rate": lake.rate(passed[lvl], tried[lvl])}
        for lvl in sorted(tried, key=lambda v: (v is None, v))
    ]  # fmt: skip
    return lake.md_table(rows, ["level", "tried", "baseline passed", "pass rate"])
