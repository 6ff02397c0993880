"""`tool_catalog`: the catalog folder as it is now, validated and normalized into tools."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from assets import io, specs, versions
from assets import metadata as md
from assets.settings import GauntletConfig
from gauntlet.stages.catalog import build_catalog

CODE_VERSION = versions.CATALOG
ISSUE_COLUMNS = ["file", "tool", "field", "message", "reason"]


@asset(
    key="tool_catalog",
    group_name="catalog",
    owners=specs.OWNERS,
    code_version=CODE_VERSION,
    kinds=specs.KINDS,
    description=(
        "Every tool from the catalog folder (GAUNTLET_CATALOGS), checked and normalized: "
        "name, description, parameter and return schemas, read/write effect, domain. Bad files "
        "and tools are rejected with the file, tool and field that is wrong; the rest load."
    ),
)
def tool_catalog(context: AssetExecutionContext, gauntlet: GauntletConfig) -> MaterializeResult:
    store = gauntlet.store()
    result = build_catalog(gauntlet.catalogs_path())
    tools = result.records
    stats = result.stats
    importers = {
        f: {"format": fmt, "tools": stats.get("imported", {}).get(f, 0)}
        for f, fmt in stats.get("formats", {}).items()
    }
    renamed = stats.get("renamed", {})
    manifest = io.write(
        store,
        "tool_catalog",
        None,
        result,
        code_version=CODE_VERSION,
        ids=[t["name"] for t in tools],
        columns={"domain": [t["domain"] for t in tools], "effect": [t["effect"] for t in tools]},
        # the importer per file and the renames ride in the manifest (not in the content hash)
        config={"catalogs": gauntlet.catalogs, "importers": importers, "renamed": renamed},
    )
    issues = result.rejected  # reason is the issue's severity: "rejected" or "warning"
    columns = ISSUE_COLUMNS if any("file" in i for i in issues) else ["id", "reason", "detail"]
    warnings = sum(i.get("reason") == "warning" for i in issues)
    context.log.info(f"{len(tools)} tools, {len(issues) - warnings} issues, {warnings} warnings")
    return io.materialize_result(
        store,
        manifest,
        {
            "tools": len(tools),
            "domains": len({t["domain"] for t in tools}),
            "tools_per_domain": md.md_counts(md.count_by(tools, "domain"), "domain", "tools"),
            "rejected_issues": len(issues) - warnings,
            "warnings": warnings,
            "issues": md.md_table(issues, columns),
            "importers": md.md_table(
                [{"file": f, **v} for f, v in importers.items()], ["file", "format", "tools"]
            ),
            "renamed": md.md_table(
                [{"original": k, "name": v} for k, v in sorted(renamed.items())],
                ["original", "name"],
            ),
            "preview": md.preview(tools, ["name", "domain", "effect", "description"]),
        },
    )
