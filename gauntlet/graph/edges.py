"""Edges between tools: dataflow (an output feeds an input) and state (a write changes what
another tool reads).

Fields are indexed by normalized name, so building costs one pass over the tools plus one
lookup per parameter: near-linear in the catalog, never all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from gauntlet.catalog.shapes import shape_of
from gauntlet.graph.fields import Field, fields_of, normalize
from gauntlet.names import kind_of

# Names too generic to mean "this value flows from there to here" unless they are ids.
GENERIC = frozenset(
    "status notes note description name title amount currency quantity date type category "
    "page limit offset query message reason comment price total currency_code count sort "
    "order_by filter start_date end_date email phone city country".split()
)


# Fan-out bounds: what keeps a build near-linear when one domain has thousands of tools.
# A non-id value (`capacity`, `rating`) returned by more than WEAK_FANOUT tools of a domain is
# an attribute many records share, not a handoff: it links nothing. An id taken from more
# than ID_FANOUT producers keeps the ID_FANOUT best (exact name first, shallowest field, then
# tool name); a write's state edges go to at most STATE_FANOUT tools (readers first, by name).
WEAK_FANOUT = 8
ID_FANOUT = 32
STATE_FANOUT = 32


def linkable(key: str) -> bool:
    """Ids always link; other names only when specific enough to mean a handoff."""
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
            if linkable(f.key):
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
            if not linkable(key):
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
            if linkable(key):
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
