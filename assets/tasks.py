"""`tasks`: escalated tasks for one date x shard, each kept at the first level the baseline fails."""

import datetime as dt
from collections import Counter

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets import checks, io, specs, versions
from assets import metadata as md
from assets.io import open_shard
from assets.partitions import shard_keys
from assets.role_config import LLMConfig, open_roles, usage_metadata
from assets.settings import GauntletConfig
from gauntlet import plots, records, seeds
from gauntlet.stages.tasks import synthesize_tasks

CODE_VERSION = versions.SYNTHESIS


@asset(
    **specs.shard_stage(
        "tasks",
        group="synthesis",
        code_version=CODE_VERSION,
        deps=["tool_catalog", "tool_graph", "world_schema"],
        check=("records_valid", "Every task matches task.schema.json."),
    )
)
def tasks(
    context: AssetExecutionContext, gauntlet: GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    """Tool-use tasks sampled from the tool graph, each with an executed reference solution.
    Difficulty is raised one operator at a time (deeper, wider, distractors, withheld facts,
    faults, ...) until the baseline agent fails; the solved levels are kept as escalation
    history. Tasks whose reference fails are rejected with a reason. Each task runs on a copy
    of its domain's world for the day; those worlds are stored beside the tasks
    (worlds.jsonl), so every task can be replayed."""
    run = open_shard(context, gauntlet)
    edges = run.upstream.read("tool_graph")
    seed = seeds.derive_int(gauntlet.seed, run.part.date, run.part.shard)
    n_tasks = gauntlet.tasks_for_shard(run.part.index, len(shard_keys()))
    with open_roles(llm, gauntlet) as roles:
        result = synthesize_tasks(
            run.tools,
            edges,
            run.world_schemas,
            n_tasks=n_tasks,
            seed=seed,
            partition=run.part.label,
            now=dt.date.fromisoformat(run.part.date),
            log=context.log.info,
            roles=roles,
        )
    found = result.records
    manifest = io.write(
        run.store,
        "tasks",
        run.part.key,
        result,
        code_version=CODE_VERSION,
        upstream=run.upstream,
        columns={"level": [md.pick(t, "difficulty.level") for t in found]},
        seed=seed,
        config={"run_seed": gauntlet.seed, "n_tasks": n_tasks},
    )
    stored = run.store.read("tasks", run.part.key)
    problems = checks.schema_problems(
        stored, lambda t: records.errors("task", t), lambda t: t["id"]
    )
    context.log.info(f"{len(found)} tasks kept of {n_tasks} requested")
    return io.materialize_result(
        run.store,
        manifest,
        {
            **usage_metadata(result.stats),
            "tasks": len(found),
            "requested": n_tasks,
            "kept_rate": md.rate(len(found), len(found) + len(result.rejected)),
            "difficulty": md.md_counts(md.count_by(found, "difficulty.level"), "level", "tasks"),
            **_histogram(found),
            "mean_level": _mean_level(found),
            "baseline_pass_rates": _pass_rates(found),
            "baseline_pass_rate": result.stats.get("baseline_pass_rate", 0.0),
            "knobs": md.md_counts(_knobs(found), "knob", "tasks"),
            "final_operator": md.md_counts(
                result.stats.get("final_operator", {}), "operator", "tasks"
            ),
            "baseline_failures": md.md_counts(
                result.stats.get("baseline_failures", {}), "baseline failure", "levels"
            ),
            "preview": md.preview(
                found, ["id", "domains", "difficulty.level", "difficulty.knobs", "user_message"]
            ),
        },
        [checks.validity_check("records_valid", problems)],
    )


def _histogram(found: list[dict]) -> dict[str, MetadataValue]:
    """The difficulty histogram as a picture (levels with no task shown as zero)."""
    if not found:
        return {}
    levels = Counter(md.pick(t, "difficulty.level") or 0 for t in found)
    counts = {level: levels.get(level, 0) for level in range(max(levels) + 1)}
    png = plots.bar_png(counts, "Final difficulty of kept tasks", "level", "tasks")
    picture = md.image_md(png, "difficulty histogram")
    return {"difficulty_histogram": picture} if picture is not None else {}


def _mean_level(found: list[dict]) -> float:
    levels = [md.pick(t, "difficulty.level") or 0 for t in found]
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
         "pass rate": md.rate(passed[lvl], tried[lvl])}
        for lvl in sorted(tried, key=lambda v: (v is None, v))
    ]  # fmt: skip
    return md.md_table(rows, ["level", "tried", "baseline passed", "pass rate"])
