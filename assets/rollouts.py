"""`rollouts`: the teacher agent solves each task against the simulated user and APIs."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets import checks, io, specs, versions
from assets import metadata as md
from assets.io import open_shard
from assets.role_config import LLMConfig, open_roles, usage_metadata
from assets.settings import GauntletConfig
from gauntlet import records
from gauntlet.stages.rollouts import run_rollouts

CODE_VERSION = versions.SYNTHESIS


@asset(
    **specs.shard_stage(
        "rollouts",
        group="synthesis",
        code_version=CODE_VERSION,
        deps=["tool_catalog", "world_schema", "tasks"],
        check=("records_valid", "Every trajectory matches trajectory.schema.json."),
    )
)
def rollouts(
    context: AssetExecutionContext, gauntlet: GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    """One trajectory per task: the teacher agent talks to the simulated user (who reveals
    withheld facts only when asked) and calls the simulated APIs. Messages are in OpenAI
    chat form with tool calls, plus the final world-state hash and usage."""
    run = open_shard(context, gauntlet)
    task_records = run.upstream.read("tasks", run.part.key)
    with open_roles(llm, gauntlet) as roles:
        result = run_rollouts(
            run.tools, run.world_schemas, task_records, log=context.log.info, roles=roles
        )
    found = result.records
    manifest = io.write(
        run.store,
        "rollouts",
        run.part.key,
        result,
        code_version=CODE_VERSION,
        upstream=run.upstream,
        columns={
            "task_id": [t.get("task_id") for t in found],
            "completed": [bool(md.pick(t, "outcome.completed")) for t in found],
        },
    )
    stored = run.store.read("rollouts", run.part.key)
    problems = checks.schema_problems(
        stored, lambda t: records.errors("trajectory", t), lambda t: t["id"]
    )
    completed = result.stats["completed"]
    context.log.info(f"{len(found)} trajectories, {completed} completed")
    return io.materialize_result(
        run.store,
        manifest,
        {
            **usage_metadata(result.stats),
            "trajectories": len(found),
            "tasks_in": len(task_records),
            "completed": completed,
            "completed_rate": md.rate(completed, len(found)),
            "mean_steps": result.stats["mean_steps"],
            "agents": md.md_counts(md.count_by(found, "agent.name"), "agent", "trajectories"),
            "usage": _usage(found),
            "preview": md.preview(
                found, ["id", "task_id", "agent.name", "outcome.completed", "outcome.steps"]
            ),
        },
        [checks.validity_check("records_valid", problems)],
    )


def _usage(found: list[dict]) -> MetadataValue:
    """Token, call and cost totals; cost is `unknown` when any call was unpriced, never $0."""
    usage = [t.get("usage") or {} for t in found]
    costs = [u.get("cost_usd") for u in usage]
    rows = [
        {"measure": "calls", "total": sum(u.get("calls") or 0 for u in usage)},
        {"measure": "prompt tokens", "total": sum(u.get("prompt_tokens") or 0 for u in usage)},
        {"measure": "completion tokens",
         "total": sum(u.get("completion_tokens") or 0 for u in usage)},
        {"measure": "cost (USD)",
         "total": "unknown" if None in costs else round(sum(costs), 6)},
    ]  # fmt: skip
    return md.md_table(rows, ["measure", "total"])
