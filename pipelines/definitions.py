"""The code location: `dagster dev -w workspace.yaml` and `dagster definitions validate` load this."""

from __future__ import annotations

from dagster import Definitions

from assets import ALL_ASSETS
from pipelines.jobs import JOBS
from pipelines.resources import resources
from pipelines.schedules import SCHEDULES
from pipelines.sensors import SENSORS

defs = Definitions(
    assets=ALL_ASSETS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=resources(),
)
