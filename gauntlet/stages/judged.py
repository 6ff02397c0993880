"""Stage `judged`: rule checks, the rubric judge (llm only), near-duplicate removal, verdicts."""

from __future__ import annotations

from typing import Any

from gauntlet import records
from gauntlet.catalog.index import ToolIndex
from gauntlet.llm.errors import RequestFailed
from gauntlet.parallel import in_order
from gauntlet.progress import Progress
from gauntlet.stages.result import Log, StageResult
from gauntlet.stages.roles import Roles
from gauntlet.verify import dedup, rules
from gauntlet.verify.verdict import rejection, rubric_failure, verdict


def judge_trajectories(
    tools: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    trajectories: list[dict[str, Any]],
    log: Log = None,
    roles: Roles | None = None,
) -> StageResult:
    """Rule checks, the rubric judge (llm only, on what passed the rules), then dedup.

    Records are {"task", "trajectory", "verdict"} for every input trajectory.
    """
    roles = roles or Roles()
    index = ToolIndex(tools)
    by_id = {t["id"]: t for t in tasks}
    result = StageResult([])
    checked = []
    for traj in trajectories:
        task = by_id.get(traj["task_id"])
        if task is None:
            result.rejected.append(
                {
                    "id": traj["id"],
                    "reason": "orphan_trajectory",
                    "detail": f"no task {traj['task_id']}",
                }
            )
            continue
        checked.append((task, traj, rules.verify(task, traj, index)))

    def grade(item: tuple[dict, dict, list]) -> tuple | None:
        if not rules.passed(item[2]):
            return None
        try:
            return roles.rubric(item[0], item[1])
        except RequestFailed as exc:  # fail closed: no verdict is a rejection
            return rubric_failure(exc.kind, str(exc))

    rubrics = in_order(grade, checked, roles.workers, Progress("rubric", len(checked), log))
    for (_, _, checks), graded in zip(checked, rubrics, strict=True):
        if graded is not None:
            checks.append(graded[0])
    groups = dedup.clusters(
        {traj["id"]: task["user_message"] for task, traj, checks in checked if rules.passed(checks)}
    )
    judge = roles.judge_provenance()
    for (task, traj, checks), graded in zip(checked, rubrics, strict=True):
        cluster = groups.get(traj["id"], (traj["id"], "self"))
        record = {
            "task": task,
            "trajectory": traj,
            "verdict": verdict(task, traj, checks, graded, cluster, judge),
        }
        if records.errors("verdict", record["verdict"]):
            record["verdict"].update(keep=False, reject_reason="schema_invalid")
        result.records.append(record)
        if not record["verdict"]["keep"]:
            result.rejected.append(rejection(record["verdict"]))
    kept = sum(r["verdict"]["keep"] for r in result.records)
    result.stats = {
        "judged": len(result.records),
        "kept": kept,
        "pass_rate": round(kept / max(len(result.records), 1), 4),
        **roles.report(),
    }
    return result
