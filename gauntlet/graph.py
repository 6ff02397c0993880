"""The tool graph: which output of one tool can feed which input of another.

Fields are indexed by normalized name (`booking.id` and `booking_id` meet under one key), so
building costs one pass over the tools plus one lookup per parameter: near-linear in the
catalog, never all pairs.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from gauntlet import canonical
from gauntlet.entities import kind_of, singular
from gauntlet.world import shape_of

# Names too generic to mean "this value flows from there to here" unless they are ids.
GENERIC = frozenset(
    "status notes note description name title amount currency quantity date type category "
    "page limit offset query message reason comment price total currency_code count sort "
    "order_by filter start_date end_date email phone city country".split()
)


@dataclass(frozen=True)
class Field:
    """A value a tool returns: where it is (JSON pointer, `*` for array items) and what it is."""

    pointer: str
    name: str
    key: str
    type: str


def normalize(name: str, parent: str | None = None) -> str:
    """`departureDate` -> `departure_date`; an `id` inside `booking` -> `booking_id`."""
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    snake = re.sub(r"[^a-zA-Z0-9]+", "_", snake).strip("_").lower()
    if snake in ("id", "uuid", "key") and parent:
        return f"{singular(normalize(parent))}_id"
    return snake


def fields_of(
    schema: dict[str, Any], pointer: str = "", parent: str | None = None
) -> Iterator[Field]:
    """Every scalar (and array-of-scalar) field of an object schema, depth first."""
    for name, sub in schema.get("properties", {}).items():
        here = f"{pointer}/{name}"
        kind = sub.get("type", "string")
        kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
        if kind == "object":
            yield from fields_of(sub, here, name)
        elif kind == "array" and sub.get("items", {}).get("type") == "object":
            yield from fields_of(sub["items"], f"{here}/*", name)
        else:
            yield Field(here, name, normalize(name, parent), kind)


def _usable(key: str) -> bool:
    return bool(kind_of(key)) or (key not in GENERIC and len(key) > 3)


def build_edges(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dataflow edges by field index, then state edges from writes to what they change.

    Edges stay inside a domain: `session_id` in two APIs names two different things.
    """
    producers: dict[tuple[str, str, str], list[tuple[str, Field]]] = defaultdict(list)
    for tool in tools:
        for f in fields_of(tool["returns"]):
            if _usable(f.key):
                producers[(tool["domain"], f.key, f.type)].append((tool["name"], f))
    edges: dict[tuple[str, str, str | None], dict[str, Any]] = {}
    for tool in tools:
        for param, pschema in tool["parameters"].get("properties", {}).items():
            key = normalize(param)
            ptype = pschema.get("type", "string")
            if isinstance(ptype, list):
                ptype = next((t for t in ptype if t != "null"), "null")
            if not _usable(key):
                continue
            for source, f in producers.get((tool["domain"], key, ptype), ()):
                if source == tool["name"]:
                    continue
                score = 1.0 if f.name == param else 0.9
                if not kind_of(key):
                    score -= 0.3
                edge_key = (source, tool["name"], param)
                if edge_key not in edges or edges[edge_key]["score"] < score:
                    edges[edge_key] = _edge(
                        source, tool["name"], f.pointer, param, "dataflow", score
                    )
    _add_state_edges(tools, edges)
    return [edges[k] for k in sorted(edges, key=lambda k: (k[0], k[1], k[2] or ""))]


def _add_state_edges(tools: list[dict[str, Any]], edges: dict) -> None:
    """A write that changes entity K comes before anything else that reads or acts on K."""
    takers: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for tool in tools:
        for param in tool["parameters"].get("properties", {}):
            kind = kind_of(param)
            if kind:
                takers[(tool["domain"], kind)].append((tool["name"], param))
    for tool in tools:
        shape = shape_of(tool)
        if not shape.target:
            continue
        kind = shape.target[1]
        for target, param in takers.get((tool["domain"], kind), ()):
            if target != tool["name"]:
                edges[(tool["name"], target, f"{param}~state")] = _edge(
                    tool["name"], target, None, param, "state", 0.5
                )


def _edge(source: str, target: str, field: str | None, param: str, kind: str, score: float) -> dict:
    return {
        "source_tool": source,
        "target_tool": target,
        "source_field": field,
        "target_param": param,
        "kind": kind,
        "score": round(score, 3),
    }


def to_networkx(tools: list[dict[str, Any]], edges: list[dict[str, Any]]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for t in tools:
        g.add_node(t["name"], domain=t["domain"], effect=t["effect"])
    for e in edges:
        g.add_edge(e["source_tool"], e["target_tool"], **e)
    return g


def summary(tools: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    g = to_networkx(tools, edges)
    isolated = sorted(n for n in g.nodes if g.degree(n) == 0)
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "dataflow_edges": sum(1 for e in edges if e["kind"] == "dataflow"),
        "state_edges": sum(1 for e in edges if e["kind"] == "state"),
        "components": nx.number_weakly_connected_components(g) if len(g) else 0,
        "isolated": isolated,
        "version": canonical.digest(edges)[:16],
    }


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
