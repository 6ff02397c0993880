"""`judged`: every trajectory checked layer by layer, deduplicated, and kept or rejected."""

from typing import Any

from dagster import AssetExecutionContext, MaterializeResult, asset

from assets import lake, versions
from assets.backends import LLMConfig, open_backends, usage_metadata
from gauntlet import records, stages

CODE_VERSION = versions.SYNTHESIS
PARTS = (("task", "task"), ("trajectory", "trajectory"), ("verdict", "verdict"))


def record_errors(record: Any) -> list[str]:
    """Schema problems of a judged record: its task, trajectory and verdict, each by name."""
    if not isinstance(record, dict):
        return ["(record): must be an object with task, trajectory and verdict"]
    out = []
    for key, kind in PARTS:
        if key not in record:
            out.append(f"{key}: missing")
        else:
            out += [f"{key}/{problem}" for problem in records.errors(kind, record[key])]
    return out


def _label(record: dict) -> str:
    return record["trajectory"]["id"]


@asset(
    key="judged",
    group_name="curation",
    owners=lake.OWNERS,
    code_version=CODE_VERSION,
    kinds=lake.KINDS,
    partitions_def=lake.daily_shards,
    pool="llm",
    deps=["tool_catalog", "tasks", "rollouts"],
    check_specs=[
        lake.records_check(
            "records_valid", "judged", "Every task, trajectory and verdict matches its schema."
        )
    ],
    description=(
        "The judge's verdict on every trajectory: valid calls to known tools with valid "
        "arguments, final world state equal to the reference, the answer states the expected "
        "facts, no collateral writes, then near-duplicate removal. Each record is "
        "{task, trajectory, verdict}; rejected ones stay here with their reason code."
    ),
)
def judged(
    context: AssetExecutionContext, gauntlet: lake.GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    part = lake.shard_of(context)
    store = gauntlet.store()
    upstream = lake.Upstream(store)
    tools = upstream.read("tool_catalog")
    task_records = upstream.read("tasks", part.key)
    trajectories = upstream.read("rollouts", part.key)
    with open_backends(llm, gauntlet) as backends:
        result = stages.judge(
            tools, task_records, trajectories, log=context.log.info, backends=backends
        )
    found = result.records
    manifest = lake.write(
        store,
        "judged",
        part.key,
        result,
        code_version=CODE_VERSION,
        upstream=upstream,
        ids=[_label(r) for r in found],
        columns={
            "task_id": [lake.pick(r, "task.id") for r in found],
            "keep": [bool(lake.pick(r, "verdict.keep")) for r in found],
            "reject_reason": [lake.pick(r, "verdict.reject_reason") for r in found],
        },
    )
    problems = lake.schema_problems(store.read("judged", part.key), record_errors, _label)
    kept = sum(bool(lake.pick(r, "verdict.keep")) for r in found)
    reasons = lake.count_by([r for r in found if not lake.pick(r, "verdict.keep")],
                            "verdict.reject_reason")  # fmt: skip
    context.log.info(f"{kept} of {len(found)} trajectories kept")
    return lake.materialize_result(
        store,
        manifest,
        {
            **usage_metadata(result.stats),
            "judged": len(found),
            "kept": kept,
            "rejected_by_judge": len(found) - kept,
            "pass_rate": lake.rate(kept, len(found)),
            "rejection_reasons": lake.md_counts(reasons, "reason", "trajectories"),
            "failed_checks": lake.md_counts(_failed_checks(found), "check", "failures"),
            "preview": lake.preview(
                found,
                [
                    "trajectory.id",
                    "task.difficulty.level",
                    "verdict.keep",
                    "verdict.reject_reason",
                    "verdict.dedup_cluster",
                ],
            ),  # fmt: skip
        },
        [lake.validity_check("records_valid", problems)],
    )


def _failed_checks(found: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in found:
        for check in (record.get("verdict") or {}).get("checks") or []:
            if not check.get("passed"):
                counts[check.get("name")] = counts.get(check.get("name"), 0) + 1
    return counts
