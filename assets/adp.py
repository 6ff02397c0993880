"""`adp_dataset`: the kept trajectories as an ADP 1.5.0 dataset plus its Hugging Face Hub layout."""

from typing import Any

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

import gauntlet as engine
from assets import catalog, graph, judged, lake, rollouts, tasks, versions
from assets.backends import LLMConfig, open_backends, usage_metadata
from gauntlet import stages
from gauntlet.export import adp_rules
from gauntlet.export.folder import pretty_json
from gauntlet.store import Manifest

CODE_VERSION = versions.EXPORT
# Beside adp/ and hub/: rows per Hub config and split, and the preference pairs made and
# skipped (with reasons), which `hub_dataset` sums over a day's shards.
VIEWS_FILE = "views.json"
STAGES = {  # what each upstream stage's records are, for the dataset card
    "tool_catalog": "tools loaded and validated",
    "tool_graph": "data-flow and state edges between tools",
    "tasks": "tasks escalated until the baseline agent failed",
    "rollouts": "teacher trajectories against the simulated user and APIs",
    "judged": "trajectories judged",
}
CODE_VERSIONS = {
    "tool_catalog": catalog.CODE_VERSION,
    "tool_graph": graph.CODE_VERSION,
    "tasks": tasks.CODE_VERSION,
    "rollouts": rollouts.CODE_VERSION,
    "judged": judged.CODE_VERSION,
    "adp_dataset": CODE_VERSION,
}
# Roles whose backend the records do not name; the offline backends are the default.
DEFAULT_BACKENDS = {
    "simulated user": "offline (scripted)",
    "simulated APIs": "offline (world simulator)",
    "baseline agent": "offline (heuristic)",
    "judge": "rule checks",
}


@asset(
    key="adp_dataset",
    group_name="curation",
    owners=lake.OWNERS,
    code_version=CODE_VERSION,
    kinds=lake.KINDS | {"huggingface"},
    partitions_def=lake.daily_shards,
    pool="llm",  # the preference pairs re-run the baseline, an llm with GAUNTLET_BACKEND=llm
    deps=["tool_catalog", "judged"],
    check_specs=[
        lake.records_check(
            "adp_valid", "adp_dataset", "The adp/ folder passes every ADP 1.5.0 rule (ADP.md)."
        )
    ],
    description=(
        "The kept trajectories exported as an Agent Data Protocol 1.5.0 dataset (adp/: "
        "metadata.json, trajectories.jsonl, sample_std.json) and as a Hugging Face Hub folder "
        "(hub/: the adp, sft and preferences configs as Parquet, and a dataset card that reports "
        "this run and how to reproduce it). Preference pairs re-run the baseline on each kept task."
    ),
)
def adp_dataset(
    context: AssetExecutionContext, gauntlet: lake.GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    part = lake.shard_of(context)
    store = gauntlet.store()
    upstream = lake.Upstream(store)
    tools = upstream.read("tool_catalog")
    judged_records = upstream.read("judged", part.key)
    manifests = {name: _manifest(store, name, part) for name in STAGES}
    context_for_card = _card_context(gauntlet.seed, manifests, judged_records)
    with store.writer("adp_dataset", part.key) as w, open_backends(llm, gauntlet) as backends:
        result = stages.export_adp(
            tools,
            judged_records,
            w.path,
            generator_version=engine.__version__,
            card_context=context_for_card,
            stats={"rejections": _rejections(manifests)},
            backends=backends,
            log=context.log.info,
        )
        views = result.stats["hub"]
        (w.path / VIEWS_FILE).write_text(
            pretty_json({k: views.get(k) for k in ("rows", "preferences", "preferences_skipped")}),
            encoding="utf-8",
        )
        llm_stats = {"backends": backends.describe(), "llm": backends.usage()}
        manifest = w.commit(
            result.records,
            code_version=CODE_VERSION,
            rejected=result.rejected,
            upstream=upstream.versions,
            config={"generator_version": engine.__version__},
        )
    folder = store.path("adp_dataset", part.key)
    try:
        check = lake.validity_check("adp_valid", adp_rules.validate_dataset(folder / "adp"))
    except Exception as exc:  # fail closed: a check that could not run is a failed check
        check = lake.validity_check("adp_valid", [], error=f"validator crashed: {exc!r}")
    kept = sum(bool(lake.pick(r, "verdict.keep")) for r in judged_records)
    context.log.info(f"{len(result.records)} trajectories exported to {folder / 'adp'}")
    return lake.materialize_result(
        store,
        manifest,
        {
            "trajectories_exported": len(result.records),
            "kept_by_judge": kept,
            "adp_folder": MetadataValue.path(str(folder / "adp")),
            "hub_folder": MetadataValue.path(str(folder / "hub")),
            "hub_rows": hub_rows_table(views.get("rows", {})),
            "preference_pairs": views.get("preferences", {}).get("pairs", 0),
            "preference_skipped": lake.md_counts(
                views.get("preferences", {}).get("skipped", {}), "reason", "tasks"
            ),
            "preview": lake.preview(
                [_preview_row(r) for r in result.records],
                ["id", "details.task_id", "details.difficulty_level", "content_items", "tools"],
            ),
            **usage_metadata(llm_stats),
        },
        [check],
    )


def hub_rows_table(rows: dict[str, dict[str, int]]) -> MetadataValue:
    """Rows per Hub config and split, as a markdown table."""
    table = [
        {"config": name, "split": split, "rows": count}
        for name, splits in rows.items()
        for split, count in splits.items()
    ]
    return lake.md_table(table, ["config", "split", "rows"])


def _manifest(store: Any, name: str, part: lake.Shard) -> Manifest:
    return store.manifest(name, None if name in ("tool_catalog", "tool_graph") else part.key)


def _card_context(
    seed: int, manifests: dict[str, Manifest], judged_records: list[dict]
) -> dict[str, Any]:
    """What the dataset card reports about how this data was made."""
    stages_text = [
        f"{name}: {m.row_count} {STAGES[name]}"
        + (f" ({m.rejected_count} rejected)" if m.rejected else "")
        for name, m in manifests.items()
    ]
    return {
        "seed": seed,
        "stages": stages_text,
        "backends": _backends(judged_records),
        "catalog_version": manifests["tool_catalog"].content_hash[:16],
        "graph_version": manifests["tool_graph"].content_hash[:16],
        "code_version": CODE_VERSIONS,
        "renamed": manifests["tool_catalog"].config.get("renamed", {}),
    }


def _rejections(manifests: dict[str, Manifest]) -> dict[str, int]:
    """Every generated stage's rejections for the card, as `stage/reason` -> count."""
    return {
        f"{name}/{reason}": count
        for name in ("tasks", "rollouts", "judged")
        for reason, count in manifests[name].rejected.items()
    }


def _backends(judged_records: list[dict]) -> dict[str, str]:
    """Backends as the records name them (task writer, teacher), defaults for the rest."""
    writers = sorted({str(lake.pick(r, "task.provenance.writer")) for r in judged_records})
    teachers = sorted(
        {f"{lake.pick(r, 'trajectory.agent.name')} ({lake.pick(r, 'trajectory.agent.backend')})"
         for r in judged_records}
    )  # fmt: skip
    return {
        "task writer": ", ".join(writers) or "offline",
        "teacher agent": ", ".join(teachers) or "offline (oracle)",
        **DEFAULT_BACKENDS,
    }


def _preview_row(record: dict) -> dict:
    return {
        "id": record.get("id"),
        "content_items": len(record.get("content") or []),
        "tools": len(record.get("available_custom_tools") or []),
        "details": record.get("details") or {},
    }
