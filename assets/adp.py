"""`adp_dataset`: the kept trajectories as an ADP 1.5.0 dataset plus its Hugging Face Hub layout."""

from typing import Any

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

import gauntlet as engine
from assets import catalog, checks, graph, io, judged, rollouts, specs, tasks, versions
from assets import metadata as md
from assets.io import open_shard
from assets.role_config import LLMConfig, open_roles, usage_metadata
from assets.settings import GauntletConfig
from gauntlet.export import adp_rules, card
from gauntlet.export.views import write_views
from gauntlet.stages.export import export_dataset

CODE_VERSION = versions.EXPORT
CODE_VERSIONS = {
    "tool_catalog": catalog.CODE_VERSION,
    "tool_graph": graph.CODE_VERSION,
    "tasks": tasks.CODE_VERSION,
    "rollouts": rollouts.CODE_VERSION,
    "judged": judged.CODE_VERSION,
    "adp_dataset": CODE_VERSION,
}


@asset(
    **specs.shard_stage(
        "adp_dataset",
        group="curation",
        code_version=CODE_VERSION,
        kinds={"huggingface"},
        deps=["tool_catalog", "world_schema", "judged"],
        check=("adp_valid", "The adp/ folder passes every ADP 1.5.0 rule (docs/adp.md)."),
    )
)
def adp_dataset(
    context: AssetExecutionContext, gauntlet: GauntletConfig, llm: LLMConfig
) -> MaterializeResult:
    """The kept trajectories exported as an Agent Data Protocol 1.5.0 dataset (adp/:
    metadata.json, trajectories.jsonl, sample_std.json) and as a Hugging Face Hub folder
    (hub/: the adp, sft and preferences configs as Parquet, and a dataset card that reports
    this run and how to reproduce it). Preference pairs re-run the baseline on each kept
    task (an llm, with GAUNTLET_BACKEND=llm: hence the pool)."""
    run = open_shard(context, gauntlet)
    judged_records = run.upstream.read("judged", run.part.key)
    kept = [r for r in judged_records if r["verdict"]["keep"]]
    shards = {name: [run.store.manifest(name, run.part.key)] for name in card.GENERATED_STAGES}
    card_context = card.context(
        seed=gauntlet.seed,
        catalogs={name: run.store.manifest(name) for name in card.CATALOG_STAGES},
        shards=shards,
        records=kept,
        code_version=CODE_VERSIONS,
    )
    with run.store.writer("adp_dataset", run.part.key) as w, open_roles(llm, gauntlet) as roles:
        result = export_dataset(
            run.tools,
            run.world_schemas,
            judged_records,
            w.path,
            generator_version=engine.__version__,
            card_context=card_context,
            stats={"rejections": card.rejections(shards)},
            roles=roles,
            log=context.log.info,
        )
        views = write_views(w.path, result.stats["hub"])
        role_report = roles.report()
        manifest = w.commit(
            result.records,
            code_version=CODE_VERSION,
            rejected=result.rejected,
            upstream=run.upstream.versions,
            config={"generator_version": engine.__version__},
        )
    folder = run.store.path("adp_dataset", run.part.key)
    try:
        check = checks.validity_check("adp_valid", adp_rules.validate_dataset(folder / "adp"))
    except Exception as exc:  # fail closed: a check that could not run is a failed check
        check = checks.validity_check("adp_valid", [], error=f"validator crashed: {exc!r}")
    context.log.info(f"{len(result.records)} trajectories exported to {folder / 'adp'}")
    preferences = views.get("preferences") or {}
    return io.materialize_result(
        run.store,
        manifest,
        {
            "trajectories_exported": len(result.records),
            "kept_by_judge": len(kept),
            "adp_folder": MetadataValue.path(str(folder / "adp")),
            "hub_folder": MetadataValue.path(str(folder / "hub")),
            "hub_rows": hub_rows_table(views.get("rows") or {}),
            "preference_pairs": preferences.get("pairs", 0),
            "preference_skipped": md.md_counts(preferences.get("skipped", {}), "reason", "tasks"),
            "preview": md.preview(
                [_preview_row(r) for r in result.records],
                ["id", "details.task_id", "details.difficulty_level", "content_items", "tools"],
            ),
            **usage_metadata(role_report),
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
    return md.md_table(table, ["config", "split", "rows"])


def _preview_row(record: dict) -> dict[str, Any]:
    return {
        "id": record.get("id"),
        "content_items": len(record.get("content") or []),
        "tools": len(record.get("available_custom_tools") or []),
        "details": record.get("details") or {},
    }
