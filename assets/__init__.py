"""Dagster assets, one module per stage: read inputs, call `gauntlet.stages`, write, report.

`ALL_ASSETS` is the full list in pipeline order; `pipelines/` wires them into definitions.
"""

from assets.adp import adp_dataset
from assets.catalog import tool_catalog
from assets.graph import tool_graph
from assets.judged import judged
from assets.rollouts import rollouts
from assets.tasks import tasks

CATALOG_ASSETS = [tool_catalog, tool_graph]
PARTITIONED_ASSETS = [tasks, rollouts, judged, adp_dataset]
ALL_ASSETS = CATALOG_ASSETS + PARTITIONED_ASSETS

__all__ = [
    "ALL_ASSETS",
    "CATALOG_ASSETS",
    "PARTITIONED_ASSETS",
    "adp_dataset",
    "judged",
    "rollouts",
    "tasks",
    "tool_catalog",
    "tool_graph",
]
