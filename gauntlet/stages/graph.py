"""Stage `tool_graph`: dataflow and state edges between the catalog's tools."""

from __future__ import annotations

from typing import Any

from gauntlet.graph.analysis import summary
from gauntlet.graph.edges import build_edges
from gauntlet.stages.result import StageResult, validated


def build_graph(tools: list[dict[str, Any]]) -> StageResult:
    """Data-flow and state edges between tools, and the graph's summary."""
    result = StageResult([])
    validated("edge", build_edges(tools), result)
    result.stats = summary(tools, result.records)
    return result
