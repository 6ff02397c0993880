"""`judged`: every trajectory checked layer by layer, deduplicated, and kept or rejected."""

from typing import Any

from dagster import AssetExecutionContext, MaterializeResult, asset

from assets import checks, io, specs, versions
from assets import metadata as md
from assets.io import open_shard
from assets.role_config import LLMConfig, open_roles, usage_metadata
from assets.settings import GauntletConfig
from gauntlet import records
from gauntlet.stages.judged import judge_trajectories

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
    **specs.shard_stage(
        "judged",
        group="curation",
        code_version=CODE_VERSION,
        deps=["tool_catalog", "world_schema", "tasks", "rollouts"],
        check=("records_valid", "Every task, trajectory and verdict matches its schema."),
    )
)
def judged(
    context: AssetExecutionContext, gauntlet: GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    """The judge's verdict on every trajectory: valid calls to known tools with valid
    arguments, final world state equal to the reference, the answer states the expected
    facts, no collateral writes, then near-duplicate removal. Each record is {task,
    trajectory, verdict}; rejected ones stay here with their reason code."""
    run = open_shard(context, gauntlet)
    task_records = run.upstream.read("tasks", run.part.key)
    trajectories = run.upstream.read("rollouts", run.part.key)
    with open_roles(llm, gauntlet) as roles:
        result = judge_trajectories(
            run.tools, task_records, trajectories, log=context.log.info, roles=roles
        )
    found = result.records
    manifest = io.write(
        run.store,
        "judged",
        run.part.key,
        result,
        code_version=CODE_VERSION,
        upstream=run.upstream,
        ids=[_label(r) for r in found],
        columns={
            "task_id": [md.pick(r, "task.id") for r in found],
            "keep": [bool(md.pick(r, "verdict.keep")) for r in found],
            "reject_reason": [md.pick(r, "verdict.reject_reason") for r in found],
        },
    )
    problems = checks.schema_problems(run.store.read("judged", run.part.key), record_errors, _label)
    kept = result.stats["kept"]
    reasons = md.count_by([r for r in found if not md.pick(r, "verdict.keep")],
                          "verdict.reject_reason")  # fmt: skip
    context.log.info(f"{kept} of {len(found)} trajectories kept")
    return io.materialize_result(
        run.store,
        manifest,
        {
            **usage_metadata(result.stats),
            "judged": len(found),
            "kept": kept,
            "rejected_by_judge": len(found) - kept,
            "pass_rate": result.stats["pass_rate"],
            "rejection_reasons": md.md_counts(reasons, "reason", "trajectories"),
            "failed_checks": md.md_counts(_failed_checks(found), "check", "failures"),
            "preview": md.preview(
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
        [checks.validity_check("records_valid", problems)],
    )


def _failed_checks(found: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in found:
        for check in (record.get("verdict") or {}).get("checks") or []:
            if not check.get("passed"):
                counts[check.get("name")] = counts.get(check.get("name"), 0) + 1
    return counts
