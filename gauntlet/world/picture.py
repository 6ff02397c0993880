"""A picture of a world schema: one panel per domain, resources and how they relate.

Resources are nodes (the principal ringed), a reference is an arrow labelled by its field,
a child resource nested in its parent is a grey arrow, and ownership by the principal is a
dashed line: the relational shape a user checks before trusting the data, and corrects with
the override file when it is wrong.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

PANEL = 4.2  # inches per domain panel


def schema_png(schemas: list[dict[str, Any]], max_domains: int = 12) -> bytes:
    """PNG bytes, stable for the same schemas (sorted nodes and edges, seeded layout)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = schemas[:max_domains]
    cols = max(1, min(3, len(shown)))
    rows = max(1, -(-len(shown) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(PANEL * cols, PANEL * rows), dpi=80)
    flat = list(axes.flat) if hasattr(axes, "flat") else [axes]
    for ax, schema in zip(flat, shown, strict=False):
        _panel(ax, schema)
    for ax in flat[len(shown) :]:
        ax.axis("off")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _panel(ax: Any, schema: dict[str, Any]) -> None:
    g = nx.DiGraph()
    principal = schema.get("principal")
    for res in sorted(schema["resources"], key=lambda r: r["name"]):
        g.add_node(res["name"])
    refs, children, owned = [], [], []
    for res in sorted(schema["resources"], key=lambda r: r["name"]):
        for field, target in sorted(res["references"].items()):
            refs.append((res["name"], target, field))
        for target in sorted(set(res["children"].values())):
            children.append((res["name"], target))
        owner = res.get("owner")
        if owner and owner["resource"] != res["name"] and not owner.get("field"):
            owned.append((owner["resource"], res["name"]))
    g.add_edges_from(sorted({(a, b) for a, b, _ in refs} | set(children) | set(owned)))
    pos = nx.spring_layout(g, seed=0) if len(g) else {}
    nx.draw_networkx_nodes(
        g,
        pos,
        ax=ax,
        node_size=[900 if n == principal else 500 for n in g.nodes],
        node_color=["#DD8452" if n == principal else "#4C72B0" for n in g.nodes],
    )
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=7)
    nx.draw_networkx_edges(g, pos, ax=ax, edgelist=[(a, b) for a, b, _ in refs], arrowsize=10)
    nx.draw_networkx_edge_labels(
        g, pos, ax=ax, edge_labels={(a, b): f for a, b, f in refs}, font_size=5
    )
    nx.draw_networkx_edges(g, pos, ax=ax, edgelist=children, edge_color="#999999", arrowsize=8)
    nx.draw_networkx_edges(
        g, pos, ax=ax, edgelist=owned, style="dashed", edge_color="#DD8452", arrows=False
    )
    ax.set_title(f"{schema['domain']}: principal {principal or '(none)'}", fontsize=9)
    ax.axis("off")
