"""What the tool graph looks like: counts, components, hubs, isolated tools, and pictures."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import networkx as nx

from gauntlet import canonical
from gauntlet.graph.edges import capped_fields, linkable
from gauntlet.graph.fields import fields_of, normalize


def to_networkx(tools: list[dict[str, Any]], edges: list[dict[str, Any]]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for t in tools:
        g.add_node(t["name"], domain=t["domain"], effect=t["effect"])
    for e in edges:
        g.add_edge(e["source_tool"], e["target_tool"], **e)
    return g


def summary(tools: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    # Components and isolation need only who touches whom: a simple undirected graph is
    # enough, and far cheaper than the multigraph when edges number in the hundred thousands.
    g = nx.Graph()
    g.add_nodes_from(t["name"] for t in tools)
    g.add_edges_from((e["source_tool"], e["target_tool"]) for e in edges)
    isolated = sorted(n for n in g.nodes if g.degree(n) == 0)
    return {
        "nodes": g.number_of_nodes(),
        "edges": len(edges),
        "dataflow_edges": sum(1 for e in edges if e["kind"] == "dataflow"),
        "state_edges": sum(1 for e in edges if e["kind"] == "state"),
        "components": nx.number_connected_components(g) if len(g) else 0,
        "isolated": isolated,
        "version": canonical.data_version(edges),
    }


def degrees(tools: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Tool -> (edges in, edges out), every tool present, zeros included."""
    deg = {t["name"]: [0, 0] for t in tools}
    for e in edges:
        deg.setdefault(e["target_tool"], [0, 0])[0] += 1
        deg.setdefault(e["source_tool"], [0, 0])[1] += 1
    return {name: (d[0], d[1]) for name, d in deg.items()}


def hubs(tools: list[dict[str, Any]], edges: list[dict[str, Any]], n: int = 10) -> list[dict]:
    """The `n` tools with the most edges in and out (ties by name): tool, domain, in, out."""
    domain = {t["name"]: t["domain"] for t in tools}
    deg = degrees(tools, edges)
    top = sorted(deg, key=lambda name: (-sum(deg[name]), name))[:n]
    return [
        {"tool": name, "domain": domain.get(name), "in": deg[name][0], "out": deg[name][1]}
        for name in top
        if sum(deg[name])
    ]


def isolated_reasons(tools: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[dict]:
    """Each tool with no edge at all, and why: what a catalog author would change to link it."""
    touched = {e["source_tool"] for e in edges} | {e["target_tool"] for e in edges}
    alone = [t for t in tools if t["name"] not in touched]
    if not alone:
        return []
    per_domain: dict[str, int] = defaultdict(int)
    for t in tools:
        per_domain[t["domain"]] += 1
    capped = {(c["domain"], c["field"]) for c in capped_fields(tools)}
    out = []
    for tool in sorted(alone, key=lambda t: t["name"]):
        names = [f.key for f in fields_of(tool["returns"])]
        names += [normalize(p) for p in tool["parameters"].get("properties", {})]
        usable = sorted({k for k in names if linkable(k)})
        if per_domain[tool["domain"]] == 1:
            reason = "the only tool in its domain"
        elif not names:
            reason = "no parameters and no returned fields"
        elif not usable:
            generic = ", ".join(sorted(set(names))[:4])
            reason = f"only generic fields ({generic})"
        elif any((tool["domain"], k) in capped for k in usable):
            hit = ", ".join(k for k in usable if (tool["domain"], k) in capped)
            reason = f"its shared fields are returned by too many tools to link ({hit})"
        else:
            reason = "no output field another tool takes and no parameter another tool returns"
        out.append({"tool": tool["name"], "domain": tool["domain"], "reason": reason})
    return out


def degree_plot_png(tools: list[dict[str, Any]], edges: list[dict[str, Any]]) -> bytes:
    """Two small histograms, tools by in-degree and by out-degree: deterministic PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    deg = degrees(tools, edges)
    fig, axes = plt.subplots(1, 2, figsize=(7, 2.6), dpi=80, sharey=True)
    for ax, i, label in ((axes[0], 0, "in-degree"), (axes[1], 1, "out-degree")):
        values = [d[i] for d in deg.values()]
        top = max(values, default=0)
        bins = list(range(top + 2)) if top <= 40 else 40
        ax.hist(values, bins=bins, color="#4c72b0" if i == 0 else "#dd8452", align="left")
        ax.set_xlabel(f"{label} (edges)")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel("tools")
    fig.suptitle(f"{len(deg)} tools, {len(edges)} edges", fontsize=9)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def plot_png(
    tools: list[dict[str, Any]], edges: list[dict[str, Any]], max_nodes: int = 400
) -> bytes:
    """A picture of the graph, coloured by domain (first `max_nodes` tools by degree)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = nx.DiGraph(to_networkx(tools, edges))
    if len(g) > max_nodes:
        keep = sorted(g.nodes, key=lambda n: (-g.degree(n), n))[:max_nodes]
        g = _ordered_subgraph(g, keep, nx.DiGraph)
    domains = sorted({d for _, d in g.nodes(data="domain")})
    cmap = plt.get_cmap("tab10")
    colour = {d: cmap(i % 10) for i, d in enumerate(domains)}
    fig, ax = plt.subplots(figsize=(12, 9), dpi=90)
    pos = _domain_grid_layout(g, domains)
    nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.3, arrowsize=6, width=0.6)
    nx.draw_networkx_nodes(
        g, pos, ax=ax, node_size=50, node_color=[colour[g.nodes[n]["domain"]] for n in g.nodes]
    )
    if len(g) <= 120:
        nx.draw_networkx_labels(
            g, {n: (x, y - 0.06) for n, (x, y) in pos.items()}, ax=ax, font_size=5
        )
    for d in domains:
        ax.scatter([], [], color=colour[d], label=d)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_title(f"{len(g)} tools, {g.number_of_edges()} edges")
    ax.axis("off")
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _domain_grid_layout(g: nx.DiGraph, domains: list[str]) -> dict[str, tuple[float, float]]:
    """Each domain laid out on its own in a cell of a grid: readable, and stable for a seed."""
    cols = max(1, int(len(domains) ** 0.5 + 0.999))
    pos = {}
    for i, domain in enumerate(domains):
        nodes = sorted(n for n, d in g.nodes(data="domain") if d == domain)
        sub = nx.spring_layout(_ordered_subgraph(g, nodes, nx.Graph), seed=0)
        ox, oy = (i % cols) * 2.6, -(i // cols) * 2.6
        pos.update({n: (ox + x, oy + y) for n, (x, y) in sub.items()})
    return pos


def _ordered_subgraph(g: nx.DiGraph, nodes: list[str], kind: type) -> nx.Graph:
    """A subgraph whose node and edge order is sorted, not set order: layouts depend on it,
    and set order changes from process to process."""
    keep = set(nodes)
    sub = kind()
    for n in sorted(keep):
        sub.add_node(n, **g.nodes[n])
    sub.add_edges_from(sorted((u, v) for u, v in g.edges() if u in keep and v in keep))
    return sub
