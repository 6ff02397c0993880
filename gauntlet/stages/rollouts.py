"""Stage `rollouts`: the teacher x the simulated user x the world, one trajectory per task."""

from __future__ import annotations

from typing import Any

from gauntlet.episode import run_episode
from gauntlet.llm.errors import RequestFailed
from gauntlet.parallel import in_order
from gauntlet.progress import Progress
from gauntlet.stages.result import Log, StageResult, validated
from gauntlet.stages.roles import Roles
from gauntlet.world.worlds import Worlds


def run_rollouts(
    tools: list[dict[str, Any]],
    world_schemas: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    log: Log = None,
    roles: Roles | None = None,
) -> StageResult:
    """One teacher trajectory per task, each on a fresh copy of its task's world; a request
    out of retries rejects that task's rollout."""
    roles = roles or Roles()
    worlds = Worlds(tools, world_schemas)

    def one(task: dict[str, Any]) -> dict[str, Any] | RequestFailed:
        try:
            return run_episode(task, roles.teacher(task), worlds, user=roles.user(task))
        except RequestFailed as exc:  # out of retries: this rollout, not the run
            return exc

    outcomes = in_order(one, tasks, roles.workers, Progress("rollouts", len(tasks), log))
    result = StageResult([])
    trajectories = []
    for task, outcome in zip(tasks, outcomes, strict=True):
        if isinstance(outcome, RequestFailed):
            result.rejected.append(
                {"id": task["id"], "reason": f"llm_{outcome.kind}", "detail": str(outcome)}
            )
        else:
            trajectories.append(outcome)
    validated("trajectory", trajectories, result)
    steps = [t["outcome"]["steps"] for t in result.records]
    result.stats = {
        "trajectories": len(result.records),
        "completed": sum(t["outcome"]["completed"] for t in result.records),
        "mean_steps": round(sum(steps) / max(len(steps), 1), 3),
        **roles.report(),
    }
    return result
