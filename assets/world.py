"""`world_schema`: the world each domain's tools imply, as a picture and tables a person checks."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from assets import io, specs, versions
from assets import metadata as md
from assets.settings import GauntletConfig
from gauntlet.names import WORLD_OVERRIDE
from gauntlet.stages.world import build_world_schema
from gauntlet.world.picture import schema_png

CODE_VERSION = versions.WORLD
PICTURE_FILE = "world.png"


@asset(
    key="world_schema",
    group_name="catalog",
    owners=specs.OWNERS,
    code_version=CODE_VERSION,
    kinds=specs.KINDS | {"networkx"},
    deps=["tool_catalog"],
)
def world_schema(context: AssetExecutionContext, gauntlet: GauntletConfig) -> MaterializeResult:
    """The world each domain's tools imply: resources with typed keys and value kinds, the
    relations between them, the principal ("my" account) and what it owns, each tool's
    operation (create, get, list, search, update, delete, status action, sign-in) and status
    lifecycles. Correct it with world.yaml beside the catalogs; what could not be inferred is
    listed."""
    store = gauntlet.store()
    upstream = io.Upstream(store)
    tools = upstream.read("tool_catalog")
    override = gauntlet.catalogs_path() / WORLD_OVERRIDE
    override = override if override.is_file() else None
    result = build_world_schema(tools, override)
    schemas = result.records
    png = schema_png(schemas) if schemas else None

    manifest = io.write(
        store,
        "world_schema",
        None,
        result,
        code_version=CODE_VERSION,
        upstream=upstream,
        ids=[s["domain"] for s in schemas],
        columns={"principal": [s["principal"] for s in schemas]},
        config={"override": override.name if override else None},
        extra_files=io.file_writer(PICTURE_FILE, png),
    )
    context.log.info(f"{len(schemas)} domain(s), {result.stats['resources']} resources")
    metadata = {
        "domains": len(schemas),
        "resources": result.stats["resources"],
        "lifecycles": result.stats["lifecycles"],
        "principals": md.md_table(
            [{"domain": s["domain"], "principal": s["principal"] or "(none)"} for s in schemas],
            ["domain", "principal"],
        ),
        "resource_table": md.md_table(_resource_rows(schemas), RESOURCE_COLUMNS),
        "operations": md.md_counts(result.stats["operations"], "operation", "tools"),
        "unresolved": md.md_table(result.rejected, ["id", "detail"]),
        "overridden": md.md_table([{"path": p} for p in result.stats["overridden"]], ["path"]),
    }
    path = store.path("world_schema") / PICTURE_FILE
    metadata.update(md.picture(png, path, "picture", "world schema"))
    return io.materialize_result(store, manifest, metadata)


RESOURCE_COLUMNS = ["domain", "resource", "key", "fields", "references", "owner", "lifecycle"]


def _resource_rows(schemas: list[dict]) -> list[dict]:
    return [
        {
            "domain": s["domain"],
            "resource": r["name"],
            "key": f"{r['key']['field']} ({r['key']['type']})",
            "fields": len(r["fields"]),
            "references": ", ".join(f"{f}->{t}" for f, t in r["references"].items()),
            "owner": (r["owner"] or {}).get("resource", ""),
            "lifecycle": " > ".join((r["lifecycle"] or {}).get("values", [])),
        }
        for s in schemas
        for r in s["resources"]
    ]
