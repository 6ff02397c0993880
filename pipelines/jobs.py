"""Jobs: the catalog (unpartitioned), the daily generation (one run per date x shard) and the
day's Hub dataset (one run per date, after all of its shards).

They are separate because a run has one partition key: the catalog assets describe the catalog
folder as it is now, while the generated stages are per date and shard. Running the catalog
in every shard's run would rebuild it once per shard, concurrently.
"""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from assets import CATALOG_ASSETS, HUB_ASSETS, PARTITIONED_ASSETS
from assets.partitions import daily_shards

gauntlet_catalog = define_asset_job(
    "gauntlet_catalog",
    selection=AssetSelection.assets(*CATALOG_ASSETS),
    description="Load and validate the tool catalogs, then build the tool graph.",
)

gauntlet_daily = define_asset_job(
    "gauntlet_daily",
    selection=AssetSelection.assets(*PARTITIONED_ASSETS),
    partitions_def=daily_shards,
    description="Tasks, rollouts, judging and the ADP export for one date x shard.",
)

gauntlet_hub = define_asset_job(
    "gauntlet_hub",
    selection=AssetSelection.assets(*HUB_ASSETS),  # partitioned by date, inferred
    description=(
        "Gather every shard of a date into one Hub dataset and push it when HF_TOKEN and "
        "GAUNTLET_HUB_REPO are set."
    ),
)

JOBS = [gauntlet_catalog, gauntlet_daily, gauntlet_hub]
