"""The tool graph stays linear in size: a sanity check on generated catalogs (no timing).

`benchmarks/graph.py` measures time and memory at 20,000 tools; here a few hundred tools
show the shape of it: edges per tool do not grow with the catalog, and a field many tools
of one domain return (`capacity`, `rating`) is not linked from all of them to all of them.
"""

from __future__ import annotations

import random

from gauntlet.graph.edges import ID_FANOUT, STATE_FANOUT, WEAK_FANOUT, build_edges, capped_fields
from gauntlet.testing.catalogs import DOMAINS, make_catalog, make_catalogs


def _tools(catalogs: list[dict]) -> list[dict]:
    return [{**t, "domain": c["domain"]} for c in catalogs for t in c["tools"]]


def _one_domain(n_entities: int) -> list[dict]:
    words = DOMAINS["observatory"]
    entities = [f"{words[i % len(words)]}{i // len(words)}" for i in range(n_entities)]
    return _tools([make_catalog("observatory", entities)])


def test_edges_per_tool_stay_flat_as_domains_are_added():
    small, large = _tools(make_catalogs(4)), _tools(make_catalogs(32))

    per_tool = [len(build_edges(t)) / len(t) for t in (small, large)]

    assert per_tool[1] <= per_tool[0] * 1.2


def test_one_wide_domain_grows_linearly_not_quadratically():
    small, large = _one_domain(25), _one_domain(100)

    ratio = len(build_edges(large)) / len(build_edges(small))

    assert len(large) / len(small) > 3.9
    assert ratio < 5  # 4x the tools: about 4x the edges, not 16x


def test_every_parameter_is_fed_by_a_bounded_number_of_tools():
    tools = _one_domain(100)
    params = sum(len(t["parameters"].get("properties", {})) for t in tools)
    writes = sum(t["effect"] == "write" for t in tools)

    assert len(build_edges(tools)) <= ID_FANOUT * params + STATE_FANOUT * writes


def test_a_widely_shared_plain_field_is_reported_and_left_unlinked():
    tools = _one_domain(100)

    capped = capped_fields(tools)
    edges = build_edges(tools)

    assert capped and all(c["producers"] > WEAK_FANOUT for c in capped)
    assert {c["field"] for c in capped} <= {"capacity", "rating", "contact_email", "tags"}
    assert not [e for e in edges if e["target_param"] in {c["field"] for c in capped}]


def test_capped_build_is_deterministic_and_ignores_tool_order():
    tools = _one_domain(60)
    shuffled = tools[:]
    random.Random(7).shuffle(shuffled)

    assert build_edges(tools) == build_edges(shuffled)
