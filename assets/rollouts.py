"""`rollouts`: the teacher agent solves each task against the simulated user and APIs."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets import lake, versions
from assets.backends import LLMConfig, open_backends, usage_metadata
from gauntlet import records, stages

CODE_VERSION = versions.SYNTHESIS


@asset(
    key="rollouts",
    group_name="synthesis",
    owners=lake.OWNERS,
    code_version=CODE_VERSION,
    kinds=lake.KINDS,
    partitions_def=lake.daily_shards,
    pool="llm",
    deps=["tool_catalog", "tasks"],
    check_specs=[
        lake.records_check(
            "records_valid", "rollouts", "Every trajectory matches trajectory.schema.json."
        )
    ],
    description=(
        "One trajectory per task: the teacher agent talks to the simulated user (who reveals "
        "withheld facts only when asked) and calls the simulated APIs. Messages are in OpenAI "
        "chat form with tool calls, plus the final world-state hash and usage."
    ),
)
def rollouts(
    context: AssetExecutionContext, gauntlet: lake.GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    part = lake.shard_of(context)
    store = gauntlet.store()
    upstream = lake.Upstream(store)
    tools = upstream.read("tool_catalog")
    task_records = upstream.read("tasks", part.key)
    with open_backends(llm, gauntlet) as backends:
        result = stages.run_rollouts(tools, task_records, log=context.log.info, backends=backends)
    found = result.records
    manifest = lake.write(
        store,
        "rollouts",
        part.key,
        result,
        code_version=CODE_VERSION,
        upstream=upstream,
        columns={
            "task_id": [t.get("task_id") for t in found],
            "completed": [bool(lake.pick(t, "outcome.completed")) for t in found],
        },
    )
    stored = store.read("rollouts", part.key)
    problems = lake.schema_problems(
        stored, lambda t: records.errors("trajectory", t), lambda t: t["id"]
    )
    completed = sum(bool(lake.pick(t, "outcome.completed")) for t in found)
    context.log.info(f"{len(found)} trajectories, {completed} completed")
    return lake.materialize_result(
        store,
        manifest,
        {
            **usage_metadata(result.stats),
            "trajectories": len(found),
            "tasks_in": len(task_records),
            "completed": completed,
            "completed_rate": lake.rate(completed, len(found)),
            "mean_steps": _mean(lake.pick(t, "outcome.steps") or 0 for t in found),
            "agents": lake.md_counts(lake.count_by(found, "agent.name"), "agent", "trajectories"),
            "usage": _usage(found),
            "preview": lake.preview(
                found, ["id", "task_id", "agent.name", "outcome.completed", "outcome.steps"]
            ),
        },
        [lake.validity_check("records_valid", problems)],
    )


def _mean(values) -> float:
    values = list(values)
    return round(sum(values) / len(values), 3) if values else 0.0


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
    return lake.md_table(rows, ["measure", "total"])
