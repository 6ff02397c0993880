"""The tool graph: which output of one tool can feed which input of another.

Fields are indexed by normalized name (`booking.id` and `booking_id` meet under one key), so
building costs one pass over the tools plus one lookup per parameter: near-linear in the
catalog, never all pairs.
"""

from __future__ import annotations

import functools
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


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^a-zA-Z0-9]+")


@functools.lru_cache(maxsize=65536)
def normalize(name: str, parent: str | None = None) -> str:
    """`departureDate` -> `departure_date`; an `id` inside `booking` -> `booking_id`."""
    snake = _NON_WORD.sub("_", _CAMEL.sub(r"\1_\2", name)).strip("_").lower()
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


# Fan-out bounds: what keeps a build near-linear when one domain has thousands of tools.
# A non-id value (`capacity`, `rating`) returned by more than WEAK_FANOUT tools of a domain is
# an attribute many records share, not a handoff: it links nothing. An id taken from more
# than ID_FANOUT producers keeps the ID_FANOUT best (exact name first, shallowest field, then
# tool name); a write's state edges go to at most STATE_FANOUT tools (readers first, by name).
WEAK_FANOUT = 8
ID_FANOUT = 32
STATE_FANOUT = 32


def _usable(key: str) -> bool:
    return bool(kind_of(key)) or (key not in GENERIC and len(key) > 3)


def _param_type(pschema: dict[str, Any]) -> str:
    ptype = pschema.get("type", "string")
    if isinstance(ptype, list):
        ptype = next((t for t in ptype if t != "null"), "null")
    return ptype


def _producers(tools: list[dict[str, Any]]) -> dict[tuple[str, str, str], list[tuple[str, Field]]]:
    """(domain, normalized name, type) -> the tools returning it, in tool-name order."""
    producers: dict[tuple[str, str, str], list[tuple[str, Field]]] = defaultdict(list)
    for tool in sorted(tools, key=lambda t: t["name"]):
        for f in fields_of(tool["returns"]):
            if _usable(f.key):
                producers[(tool["domain"], f.key, f.type)].append((tool["name"], f))
    return producers


def _distinct(producers: dict) -> dict[tuple[str, str, str], int]:
    """How many different tools return each indexed field."""
    return {k: len({name for name, _ in v}) for k, v in producers.items()}


def _score(param: str, key: str, f: Field) -> float:
    score = 1.0 if f.name == param else 0.9
    return score if kind_of(key) else score - 0.3


def build_edges(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dataflow edges by field index, then state edges from writes to what they change.

    Edges stay inside a domain: `session_id` in two APIs names two different things. Fan-out
    is bounded (WEAK_FANOUT, ID_FANOUT, STATE_FANOUT) so the edge count stays linear in the
    number of parameters; `capped_fields` says which fields hit a bound.
    """
    producers = _producers(tools)
    counts = _distinct(producers)
    edges: dict[tuple[str, str, str | None], dict[str, Any]] = {}
    for tool in tools:
        for param, pschema in tool["parameters"].get("properties", {}).items():
            key = normalize(param)
            if not _usable(key):
                continue
            index = (tool["domain"], key, _param_type(pschema))
            if not kind_of(key) and counts.get(index, 0) > WEAK_FANOUT:
                continue
            found = producers.get(index, ())
            best: dict[str, tuple[float, Field]] = {}
            for source, f in found:
                if source == tool["name"]:
                    continue
                score = _score(param, key, f)
                if source not in best or best[source][0] < score:
                    best[source] = (score, f)
            ranked = sorted(
                best.items(), key=lambda kv: (-kv[1][0], kv[1][1].pointer.count("/"), kv[0])
            )
            for source, (score, f) in ranked[:ID_FANOUT]:
                edges[(source, tool["name"], param)] = _edge(
                    source, tool["name"], f.pointer, param, "dataflow", score
                )
    _add_state_edges(tools, edges)
    return [edges[k] for k in sorted(edges, key=lambda k: (k[0], k[1], k[2] or ""))]


def _takers(tools: list[dict[str, Any]]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(domain, entity kind) -> (tool, param) taking its id: readers first, then by name."""
    takers: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    order = sorted(tools, key=lambda t: (t["effect"] != "read", t["name"]))
    for tool in order:
        for param in tool["parameters"].get("properties", {}):
            kind = kind_of(param)
            if kind:
                takers[(tool["domain"], kind)].append((tool["name"], param))
    return takers


def _add_state_edges(tools: list[dict[str, Any]], edges: dict) -> None:
    """A write that changes entity K comes before anything else that reads or acts on K."""
    takers = _takers(tools)
    for tool in tools:
        shape = shape_of(tool)
        if not shape.target:
            continue
        kind = shape.target[1]
        targets = [t for t in takers.get((tool["domain"], kind), ()) if t[0] != tool["name"]]
        for target, param in targets[:STATE_FANOUT]:
            edges[(tool["name"], target, f"{param}~state")] = _edge(
                tool["name"], target, None, param, "state", 0.5
            )


def capped_fields(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields whose fan-out hit a bound in `build_edges`, with what was dropped and why."""
    counts = _distinct(_producers(tools))
    takers: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for tool in tools:
        for param, pschema in tool["parameters"].get("properties", {}).items():
            key = normalize(param)
            if _usable(key):
                takers[(tool["domain"], key, _param_type(pschema))].add(tool["name"])
    out = []
    for (domain, key, ptype), names in sorted(takers.items()):
        n = counts.get((domain, key, ptype), 0)
        if not kind_of(key) and n > WEAK_FANOUT:
            reason = f"returned by {n} tools (> {WEAK_FANOUT}): a shared attribute, not linked"
        elif kind_of(key) and n > ID_FANOUT:
            reason = f"returned by {n} tools: each taker keeps the best {ID_FANOUT}"
        else:
            continue
        out.append(
            {"domain": domain, "field": key, "producers": n, "takers": len(names), "reason": reason}
        )
    return out


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
        "version": canonical.digest(edges)[:16],
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
        usable = sorted({k for k in names if _usable(k)})
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
