"""Stage `adp_dataset`: the kept trajectories as ADP, and the Hub folder beside it.

`adp/` holds the ADP 1.5.0 dataset, validated after it is written. `hub/` holds three configs
split by task with one mapping (`hub.assign_splits`): `adp`, `sft` (the same trajectories as
chat rows) and `preferences` (each kept task's teacher success against the baseline's failure,
which this stage re-runs), then the card over all three.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gauntlet import __version__
from gauntlet.episode import run_episode
from gauntlet.export import adp, adp_rules, card, hub, preferences, sft
from gauntlet.export import folder as adp_folder
from gauntlet.llm.errors import RequestFailed
from gauntlet.parallel import in_order
from gauntlet.progress import Progress
from gauntlet.stages.result import Log, StageResult
from gauntlet.stages.roles import Roles
from gauntlet.world.worlds import Worlds


def export_dataset(
    tools: list[dict[str, Any]],
    world_schemas: list[dict[str, Any]],
    judged: list[dict[str, Any]],
    folder: Path,
    *,
    card_context: dict[str, Any],
    stats: dict[str, Any] | None = None,
    generator_version: str = __version__,
    roles: Roles | None = None,
    log: Log = None,
) -> StageResult:
    """Write `folder/adp/` and `folder/hub/` from the kept records; validate what was written."""
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
        written = write_hub(
            tools,
            world_schemas,
            exported,
            result.records,
            Path(folder) / "hub",
            card_context=card_context,
            stats=stats,
            metadata=metadata,
            roles=roles or Roles(),
            log=log,
        )
    result.stats = {
        "trajectories": len(result.records),
        "tools_declared": len(used),
        "adp_problems": problems,
        "hub": written,
    }
    return result


def write_hub(
    tools: list[dict[str, Any]],
    world_schemas: list[dict[str, Any]],
    kept: list[dict[str, Any]],
    adp_records: list[dict[str, Any]],
    folder: Path,
    *,
    card_context: dict[str, Any],
    stats: dict[str, Any] | None,
    metadata: dict[str, Any],
    roles: Roles,
    log: Log = None,
) -> dict[str, Any]:
    """The Hub folder: the `adp`, `sft` and `preferences` configs, then the card over all three.

    `kept` are the judged records behind `adp_records`, in the same order. Returns the rows
    per config and split, the configs, and the preference pairs made and skipped (by reason).
    """
    splits = hub.assign_splits(r["task"]["id"] for r in kept)
    rows = {"adp": hub.write_adp_config(folder, adp_records, metadata=metadata, splits=splits)}
    rows["sft"] = sft.write_sft(folder, kept, tools, splits)
    pairs = preferences.pairs_from(
        kept, baseline_attempts(kept, tools, world_schemas, roles, log), tools
    )
    rows["preferences"] = preferences.write_preferences(folder, pairs, splits)
    pair_stats = pairs.stats()
    card_stats = {**hub.record_stats(adp_records), **(stats or {}), "preferences": pair_stats}
    card_stats["rejections"] = {
        **card_stats.get("rejections", {}),
        **{f"preferences/{reason}": n for reason, n in pair_stats["skipped"].items()},
    }
    card.write_card(folder, card_stats, card_context)
    return {
        "files": sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()),
        "configs": [c["name"] for c in hub.hub_configs(folder)],
        "rows": {name: counts for name, counts in rows.items() if counts},
        "preferences": pair_stats,
        "preferences_skipped": pairs.skipped,
    }


def baseline_attempts(
    kept: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    world_schemas: list[dict[str, Any]],
    roles: Roles,
    log: Log = None,
) -> list[dict[str, Any] | tuple[str, str]]:
    """The baseline's trajectory on every kept task, played the way the ladder plays it.

    The first baseline of `roles.baselines()` (the heuristic offline, sample 0 with an llm)
    plays each task with `roles.user(task)`: deterministic offline, answered from the response
    cache with an llm. A request out of retries gives (`baseline_llm_<kind>`, why) instead.
    """
    worlds = Worlds(tools, world_schemas)

    def attempt(record: dict[str, Any]) -> dict[str, Any] | tuple[str, str]:
        task = dict(record["task"])
        try:
            return run_episode(task, roles.baselines()[0], worlds, user=roles.user(task))
        except RequestFailed as exc:  # this task's pair, not the export
            return f"baseline_llm_{exc.kind}", str(exc)

    progress = Progress(preferences.CONFIG, len(kept), log)
    return in_order(attempt, kept, roles.workers, progress)
