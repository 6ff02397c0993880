"""Dagster assets, one module per stage: read inputs, call `gauntlet.stages`, write, report.

`ALL_ASSETS` is the full list in pipeline order; `pipelines/` wires them into definitions.
`PARTITIONED_ASSETS` are the date x shard stages; `HUB_ASSETS` are per date only (a day's
Hub dataset gathers all of that day's shards).
"""

from assets.adp import adp_dataset
from assets.catalog import tool_catalog
from assets.graph import tool_graph
from assets.hub import hub_dataset
from assets.judged import judged
from assets.rollouts import rollouts
from assets.tasks import tasks
from assets.world import world_schema

CATALOG_ASSETS = [tool_catalog, tool_graph, world_schema]
PARTITIONED_ASSETS = [tasks, rollouts, judged, adp_dataset]
HUB_ASSETS = [hub_dataset]
ALL_ASSETS = CATALOG_ASSETS + PARTITIONED_ASSETS + HUB_ASSETS

__all__ = [
    "ALL_ASSETS",
    "CATALOG_ASSETS",
    "HUB_ASSETS",
    "PARTITIONED_ASSETS",
    "adp_dataset",
    "hub_dataset",
    "judged",
    "rollouts",
    "tasks",
    "tool_catalog",
    "tool_graph",
    "world_schema",
]
