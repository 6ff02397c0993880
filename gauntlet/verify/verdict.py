"""The verdict on one trajectory: the checks that ran, the scores, the dedup cluster, keep or
reject with the reason a person can count."""

from __future__ import annotations

from typing import Any

from gauntlet.verify import rules

DEDUP_REASONS = {"exact": "duplicate", "near": "near_duplicate"}


def verdict(
    task: dict[str, Any],
    trajectory: dict[str, Any],
    checks: list[dict[str, Any]],
    rubric: tuple | None,
    cluster: tuple[str, str],
    judge: str,
) -> dict[str, Any]:
    """The verdict record (schemas/verdict): the first failed check names the rejection, then
    a duplicate of another kept trajectory; `cluster` is (cluster id, how it joined)."""
    cluster_id, how = cluster
    reason = rules.first_failure(checks) or DEDUP_REASONS.get(how)
    calls = sum(len(m.get("tool_calls") or []) for m in trajectory["messages"])
    return {
        "trajectory_id": trajectory["id"],
        "task_id": task["id"],
        "judge": judge,
        "checks": checks,
        "scores": {
            "rule_pass_rate": round(sum(c["passed"] for c in checks) / len(checks), 4),
            "efficiency": round(len(task["plan"]) / max(calls, 1), 4),
            **(rubric[1] if rubric else {}),
        },
        "rationale": rubric[2] if rubric else None,
        "dedup_cluster": cluster_id,
        "keep": reason is None,
        "reject_reason": reason,
    }


def rejection(verdict: dict[str, Any]) -> dict[str, Any]:
    """The stage's rejection row for a verdict that does not keep its trajectory."""
    detail = next(
        (c["detail"] for c in verdict["checks"] if not c["passed"]),
        f"same cluster as {verdict['dedup_cluster']}",
    )
    return {"id": verdict["trajectory_id"], "reason": verdict["reject_reason"], "detail": detail}


def rubric_failure(kind: str, detail: str) -> tuple[dict[str, Any], dict, None]:
    """Fail closed: a rubric verdict that could not be had is a failed check."""
    check = {"name": "rubric", "passed": False, "reason": f"rubric_llm_{kind}", "detail": detail}
    return check, {}, None
