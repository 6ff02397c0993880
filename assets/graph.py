"""`tool_graph`: which output of one tool can feed which input of another (and state edges)."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets import io, specs, versions
from assets import metadata as md
from assets.settings import GauntletConfig
from gauntlet.graph.analysis import degree_plot_png, hubs, isolated_reasons, plot_png
from gauntlet.graph.edges import capped_fields
from gauntlet.stages.graph import build_graph

CODE_VERSION = versions.GRAPH
PLOT_FILE = "graph.png"
HUBS = 10
ISOLATED_ROWS = 50


def edge_id(edge: dict) -> str:
    """Stable, readable id: `source.field -> target.param (kind)`."""
    return (
        f"{edge['source_tool']}.{edge.get('source_field') or '-'}->"
        f"{edge['target_tool']}.{edge.get('target_param') or '-'}:{edge['kind']}"
    )


@asset(
    key="tool_graph",
    group_name="catalog",
    owners=specs.OWNERS,
    code_version=CODE_VERSION,
    kinds=specs.KINDS | {"networkx"},
    deps=["tool_catalog"],
    description=(
        "Edges between catalog tools: a data-flow edge says an output field of one tool can "
        "feed a parameter of another; a state edge says one tool's write changes what another "
        "reads. Task synthesis walks this graph for chains and joins. Includes a plot."
    ),
)
def tool_graph(context: AssetExecutionContext, gauntlet: GauntletConfig) -> MaterializeResult:
    store = gauntlet.store()
    upstream = io.Upstream(store)
    tools = upstream.read("tool_catalog")
    result = build_graph(tools)
    edges = result.records
    png = plot_png(tools, edges) if tools else None

    manifest = io.write(
        store,
        "tool_graph",
        None,
        result,
        code_version=CODE_VERSION,
        upstream=upstream,
        ids=[edge_id(e) for e in edges],
        columns={
            "source_tool": [e["source_tool"] for e in edges],
            "target_tool": [e["target_tool"] for e in edges],
            "kind": [e["kind"] for e in edges],
        },
        extra_files=io.file_writer(PLOT_FILE, png),
    )
    stats = result.stats
    metadata = {
        "nodes": stats.get("nodes", len(tools)),
        "edges": len(edges),
        "components": stats.get("components", MetadataValue.text("n/a")),
        "edges_by_kind": md.md_counts(md.count_by(edges, "kind"), "kind", "edges"),
        "isolated_tools": len(stats.get("isolated", [])),
        "preview": md.preview(
            edges, ["source_tool", "source_field", "target_tool", "target_param", "kind", "score"]
        ),
    }
    metadata.update(_shape_metadata(tools, edges))
    metadata.update(md.picture(png, store.path("tool_graph") / PLOT_FILE, "plot", "tool graph"))
    context.log.info(f"{len(tools)} tools, {len(edges)} edges")
    return io.materialize_result(store, manifest, metadata)


def _shape_metadata(tools: list[dict], edges: list[dict]) -> dict:
    """Degree distribution (a picture), hub tools, and each isolated tool with its reason."""
    out: dict = {
        "hub_tools": md.md_table(hubs(tools, edges, HUBS), ["tool", "domain", "in", "out"]),
    }
    isolated = isolated_reasons(tools, edges)
    out["isolated_tools_why"] = md.md_table(isolated[:ISOLATED_ROWS], ["tool", "domain", "reason"])
    capped = capped_fields(tools)
    if capped:
        out["capped_fields"] = md.md_table(
            capped, ["domain", "field", "producers", "takers", "reason"]
        )
    if tools:
        picture = md.image_md(degree_plot_png(tools, edges), "degree distribution")
        if picture is not None:
            out["degree_distribution"] = picture
    return out
