"""The pipeline's stages as plain functions: what each Dagster asset calls, and benchmarks too.

Each stage takes records in and gives a `StageResult` out: the records to persist, every
rejected record with its reason, and statistics worth showing a person. Records that cross
a stage boundary are validated here against `schemas/`; an invalid one is rejected and
counted, never dropped silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gauntlet import __version__, dedup, graph, records
from gauntlet import judge as rules
from gauntlet.backends import Backends
from gauntlet.catalog import load_folder
from gauntlet.export import adp, adp_rules, hub, preferences, sft
from gauntlet.export import folder as adp_folder
from gauntlet.llm.errors import RequestFailed
from gauntlet.parallel import in_order
from gauntlet.progress import Progress
from gauntlet.rollout import run_episode
from gauntlet.tasks.build import Context
from gauntlet.tasks.ladder import synthesize
from gauntlet.world import ToolIndex

Log = Callable[[str], None] | None


@dataclass
class StageResult:
    records: list[dict[str, Any]]
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"id", "reason", "detail"}
    stats: dict[str, Any] = field(default_factory=dict)

    def rejection_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(r["reason"] for r in self.rejected).items()))


def _validated(kind: str, items: list[dict[str, Any]], result: StageResult) -> None:
    """Move every record that fails its schema from `items` into the rejections."""
    for item in items:
        problems = records.errors(kind, item)
        if problems:
            result.rejected.append(
                {"id": item.get("id", "?"), "reason": "schema_invalid", "detail": problems[0]}
            )
        else:
            result.records.append(item)


def build_catalog(folder: str | Path) -> StageResult:
    """Load and normalize every catalog in `folder`; rejected = every catalog issue."""
    load = load_folder(folder)
    result = StageResult([])
    _validated("tool", load.tools, result)
    for issue in load.issues:
        result.rejected.append(
            {
                "id": f"{issue.file}:{issue.tool or '-'}",
                "reason": issue.severity,
                "detail": str(issue),
                "file": issue.file,
                "tool": issue.tool,
                "field": issue.field,
                "message": issue.message,
            }
        )
    result.stats = {
        "version": load.version,
        "files": load.files,
        "tools_per_domain": dict(sorted(Counter(t["domain"] for t in result.records).items())),
        "renamed": load.renamed,
        "formats": load.formats,
        "imported": load.imported,
    }
    return result


def build_graph(tools: list[dict[str, Any]]) -> StageResult:
    """Data-flow and state edges between tools."""
    result = StageResult([])
    _validated("edge", graph.build_edges(tools), result)
    result.stats = graph.summary(tools, result.records)
    return result


def synthesize_tasks(
    tools: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    *,
    n_tasks: int,
    seed: int,
    partition: str,
    catalog_version: str,
    graph_version: str,
    log: Log = None,
    backends: Backends | None = None,
) -> StageResult:
    """Sample chains, execute references, escalate until the baseline fails."""
    backends = backends or Backends()
    ctx = Context.create(
        tools,
        edges,
        {
            "catalog_version": catalog_version,
            "graph_version": graph_version,
            "partition": partition,
        },
    )
    kept, rejected = synthesize(
        ctx,
        n_tasks=n_tasks,
        seed=seed,
        partition=partition,
        progress=Progress("tasks", n_tasks, log),
        backends=backends,
    )
    result = StageResult([], rejected)
    _validated("task", kept, result)
    tried = [h for t in result.records for h in t["escalation"]]
    result.stats = {
        "attempted": n_tasks,
        "difficulty": dict(
            sorted(Counter(t["difficulty"]["level"] for t in result.records).items())
        ),
        "final_operator": dict(
            sorted(Counter(t["escalation"][-1]["operator"] for t in result.records).items())
        ),
        "levels_tried": len(tried),
        "baseline_pass_rate": round(
            sum(h["baseline_passed"] for h in tried) / max(len(tried), 1), 4
        ),
        "baseline_failures": dict(
            sorted(Counter(h["baseline_reason"] for h in tried if not h["baseline_passed"]).items())
        ),
        "backends": backends.describe(),
        "llm": backends.usage(),
    }
    return result


def run_rollouts(
    tools: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    log: Log = None,
    backends: Backends | None = None,
) -> StageResult:
    """Teacher x simulated user x world: one trajectory per task."""
    backends = backends or Backends()
    index = ToolIndex(tools)

    def one(task: dict[str, Any]) -> dict[str, Any] | RequestFailed:
        try:
            return run_episode(task, backends.teacher(task), index, user=backends.user(task))
        except RequestFailed as exc:  # out of retries: this rollout, not the run
            return exc

    outcomes = in_order(one, tasks, backends.workers, Progress("rollouts", len(tasks), log))
    result = StageResult([])
    trajectories = []
    for task, outcome in zip(tasks, outcomes, strict=True):
        if isinstance(outcome, RequestFailed):
            result.rejected.append(
                {"id": task["id"], "reason": f"llm_{outcome.kind}", "detail": str(outcome)}
            )
        else:
            trajectories.append(outcome)
    _validated("trajectory", trajectories, result)
    turns = [t["outcome"]["steps"] for t in result.records]
    result.stats = {
        "trajectories": len(result.records),
        "completed": sum(t["outcome"]["completed"] for t in result.records),
        "mean_turns": round(sum(turns) / max(len(turns), 1), 2),
        "backends": backends.describe(),
        "llm": backends.usage(),
    }
    return result


def judge(
    tools: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    trajectories: list[dict[str, Any]],
    log: Log = None,
    backends: Backends | None = None,
) -> StageResult:
    """Rule checks, the rubric judge (llm only, on what passed the rules), then dedup.

    Records are {"task", "trajectory", "verdict"} for every input trajectory.
    """
    backends = backends or Backends()
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
            return backends.rubric(item[0], item[1])
        except RequestFailed as exc:  # fail closed: no verdict is a rejection
            check = {
                "name": "rubric",
                "passed": False,
                "reason": f"rubric_llm_{exc.kind}",
                "detail": str(exc),
            }
            return check, {}, None

    rubrics = in_order(
        grade,
        checked,
        backends.workers,
        Progress("rubric", len(checked), log),
    )
    for (_, _, checks), verdict in zip(checked, rubrics, strict=True):
        if verdict is not None:
            checks.append(verdict[0])
    groups = dedup.clusters(
        {traj["id"]: task["user_message"] for task, traj, checks in checked if rules.passed(checks)}
    )
    for (task, traj, checks), rubric in zip(checked, rubrics, strict=True):
        cluster, how = groups.get(traj["id"], (traj["id"], "self"))
        reason = rules.first_failure(checks) or {
            "exact": "duplicate",
            "near": "near_duplicate",
        }.get(how)
        calls = sum(len(m.get("tool_calls") or []) for m in traj["messages"])
        verdict = {
            "trajectory_id": traj["id"],
            "task_id": task["id"],
            "checks": checks,
            "scores": {
                "rule_pass_rate": round(sum(c["passed"] for c in checks) / len(checks), 4),
                "efficiency": round(len(task["plan"]) / max(calls, 1), 4),
                **(rubric[1] if rubric else {}),
            },
            "rationale": rubric[2] if rubric else None,
            "dedup_cluster": cluster,
            "keep": reason is None,
            "reject_reason": reason,
        }
        record = {"task": task, "trajectory": traj, "verdict": verdict}
        problems = records.errors("verdict", verdict)
        if problems:
            verdict.update(keep=False, reject_reason="schema_invalid")
        result.records.append(record)
        if not verdict["keep"]:
            result.rejected.append(
                {
                    "id": traj["id"],
                    "reason": verdict["reject_reason"],
                    "detail": next(
                        (c["detail"] for c in checks if not c["passed"]),
                        f"same cluster as {cluster}",
                    ),
                }
            )
    kept = sum(r["verdict"]["keep"] for r in result.records)
    result.stats = {
        "judged": len(result.records),
        "kept": kept,
        "pass_rate": round(kept / max(len(result.records), 1), 4),
        "backends": backends.describe(),
        "llm": backends.usage(),
    }
    return result


def export_adp(
    tools: list[dict[str, Any]],
    judged: list[dict[str, Any]],
    folder: Path,
    *,
    generator_version: str = __version__,
    card_context: dict[str, Any],
    stats: dict[str, Any] | None = None,
    backends: Backends | None = None,
    log: Log = None,
) -> StageResult:
    """Write `folder/adp/` and `folder/hub/` from the kept records; validate what was written.

    The Hub folder gets three configs, split by task with one mapping (`hub.assign_splits`):
    `adp`, `sft` (the same trajectories as chat rows) and `preferences` (each kept task's
    teacher success against the baseline's failure, re-run here with `backends`).
    """
    kept = [r for r in judged if r["verdict"]["keep"]]
    used = sorted({name for r in kept for name in r["task"]["tools"]})
    by_name = {t["name"]: t for t in tools}
    result = StageResult([])
    exported = []
    for r in kept:
        try:
            result.records.append(adp.to_adp(r, generator_version))
            exported.append(r)
        except ValueError as exc:
            result.rejected.append(
                {"id": r["trajectory"]["id"], "reason": "adp_conversion", "detail": str(exc)}
            )
    metadata = adp.metadata_json([by_name[n] for n in used])
    adp_folder.write_adp_folder(Path(folder) / "adp", result.records, metadata)
    problems = adp_rules.validate_dataset(Path(folder) / "adp")
    written: dict[str, Any] = {"files": [], "rows": {}, "configs": []}
    if result.records:
        written = export_views(
            tools,
            exported,
            result.records,
            Path(folder) / "hub",
            card_context=card_context,
            stats=stats,
            metadata=metadata,
            backends=backends or Backends(),
            log=log,
        )
    result.stats = {
        "trajectories": len(result.records),
        "tools_declared": len(used),
        "adp_problems": problems,
        "hub": written,
    }
    return result


def export_views(
    tools: list[dict[str, Any]],
    kept: list[dict[str, Any]],
    adp_records: list[dict[str, Any]],
    folder: Path,
    *,
    card_context: dict[str, Any],
    stats: dict[str, Any] | None,
    metadata: dict[str, Any],
    backends: Backends,
    log: Log = None,
) -> dict[str, Any]:
    """The Hub folder: the `adp`, `sft` and `preferences` configs, then the card over all three.

    `kept` are the judged records behind `adp_records`, in the same order. Returns the rows
    per config and split, the configs, and the preference pairs made and skipped (by reason).
    """
    splits = hub.assign_splits(r["task"]["id"] for r in kept)
    written = hub.write_hub_folder(
        folder, adp_records, {}, card_context, metadata=metadata, splits=splits
    )
    rows = {"adp": written["rows"]}
    rows["sft"] = sft.write_sft(folder, kept, tools, splits)
    pairs = preferences.preference_pairs(kept, tools, backends, log)
    rows["preferences"] = preferences.write_preferences(folder, pairs, splits)
    pair_stats = pairs.stats()
    card_stats = {**hub.record_stats(adp_records), **(stats or {}), "preferences": pair_stats}
    card_stats["rejections"] = {
        **card_stats.get("rejections", {}),
        **{f"preferences/{reason}": n for reason, n in pair_stats["skipped"].items()},
    }
    hub.write_card(folder, card_stats, card_context)
    return {
        "files": sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()),
        "configs": [c["name"] for c in hub.hub_configs(folder)],
        "rows": {name: counts for name, counts in rows.items() if counts},
        "preferences": pair_stats,
        "preferences_skipped": pairs.skipped,
    }
