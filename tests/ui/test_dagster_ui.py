"""The Dagster UI, end to end in a real browser: `dagster dev` on a fresh instance, the asset
graph, a date x shard partition of the generated stages launched by clicking through the
launch dialog, and the ADP export's metadata on its asset page once the run succeeded.

The catalog assets are materialized in-process beforehand (the `instance` fixture), so the run
launched from the UI is the `gauntlet_daily` job: tasks, rollouts, judged and adp_dataset.
Screenshots land in `<tmp_path>/screenshots/`; their paths are printed (`pytest -s`).
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from assets import ALL_ASSETS, PARTITIONED_ASSETS

if TYPE_CHECKING:
    from conftest import Instance, Server

RUN_TIMEOUT_S = 120
STATUS_WAIT_MS = 10_000
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

RUNS_QUERY = """
{
  runsOrError {
    __typename
    ... on Runs { results { runId jobName status tags { key value } } }
  }
}
"""
RUN_QUERY = """
query Run($runId: ID!) {
  runOrError(runId: $runId) { __typename ... on Run { runId status } }
}
"""
FAILURE_QUERY = """
query Failure($runId: ID!) {
  logsForRun(runId: $runId) {
    __typename
    ... on EventConnection {
      events {
        __typename
        ... on MessageEvent { message stepKey }
        ... on ExecutionStepFailureEvent { error { message causes { message } } }
      }
    }
  }
}
"""


@pytest.mark.ui
def test_materialize_a_partition_from_the_ui(
    page: Page, dagster_ui: Server, instance: Instance
) -> None:
    url = dagster_ui.url

    # The asset graph ("Global asset lineage"), every group expanded.
    page.goto(f"{url}/asset-groups")
    expect(page.get_by_text("Global asset lineage")).to_be_visible()
    page.get_by_role("button", name="settings", exact=True).click()  # the graph's settings
    page.get_by_role("menuitem", name="Expand all groups").click()
    page.keyboard.press("Escape")
    for asset in ALL_ASSETS:
        expect(page.get_by_text(asset.key.to_user_string(), exact=True).first).to_be_visible()
    # Cosmetic: let the live status arrive, so the screenshot shows the catalog as materialized
    # (green). Only a style detail tells, so this waits for it without failing on it.
    green = page.locator('[style*="--color-background-green"]', has_text="tool_catalog")
    with contextlib.suppress(PlaywrightTimeoutError):
        green.first.wait_for(timeout=STATUS_WAIT_MS)
    _screenshot(page, instance, "asset_graph.png")

    # The daily job holds exactly the partitioned assets; launch one date x shard of it.
    page.get_by_role("link", name=re.compile(r"\bJobs$")).click()  # the navigation
    page.get_by_role("link", name="gauntlet_daily").click()  # "job gauntlet_daily"
    page.get_by_role("button", name=re.compile(r"Materialize all")).click()
    title = f"Launch runs to materialize {len(PARTITIONED_ASSETS)} assets"
    dialog = page.get_by_role("dialog").filter(has_text=title)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Latest", exact=True).click()  # today's date (UTC)
    date = dialog.get_by_placeholder(re.compile(r"^ex: ")).input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), f"unexpected latest date {date!r}"
    dialog.get_by_text("Select a partition or create one").click()  # the shard selector
    page.get_by_role("menuitem").filter(has=page.locator('[title="0"]')).click()
    dialog.get_by_text("Launch runs to materialize").click()  # close the shard list
    expect(page.get_by_placeholder("Filter partitions")).to_be_hidden()
    expect(dialog.get_by_text("1 partition", exact=True)).to_be_visible()
    _screenshot(page, instance, "launch_dialog.png")
    before = {run["runId"] for run in _runs(dagster_ui)}
    dialog.get_by_role("button", name="Launch 1 run").click()
    toast = page.get_by_text(re.compile(r"Launched run [0-9a-f]{8}"))
    expect(toast).to_be_visible()
    prefix = re.search(r"Launched run ([0-9a-f]{8})", toast.inner_text()).group(1)

    run = next(r for r in _runs(dagster_ui) if r["runId"].startswith(prefix))
    assert run["runId"] not in before
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    assert run["jobName"] == "gauntlet_daily"
    assert tags.get("dagster/from_ui") == "true"
    assert tags.get("dagster/partition") == f"{date}|0", tags
    _wait_for_success(dagster_ui, run["runId"])

    # The export's latest materialization, with its metadata, on the asset page.
    adp = instance.lake / "adp_dataset" / f"date={date}" / "shard=0" / "adp"
    exported = len((adp / "trajectories.jsonl").read_text(encoding="utf-8").splitlines())
    assert exported > 0
    page.goto(f"{url}/assets/adp_dataset")
    expect(page.get_by_text(f"{date}|0", exact=True).first).to_be_visible()  # its partition
    key = page.get_by_text("trajectories_exported", exact=True)
    expect(key).to_be_visible()
    row = page.get_by_role("row").filter(has=key)
    expect(row.get_by_role("cell").last).to_have_text(str(exported))
    shot = _screenshot(page, instance, "adp_dataset.png")
    assert shot.read_bytes().startswith(PNG_MAGIC)


def _screenshot(page: Page, instance: Instance, name: str) -> Path:
    path = instance.shots / name
    page.screenshot(path=path)
    assert path.is_file() and path.stat().st_size > 0
    print(f"screenshot: {path}")
    return path


def _runs(server: Server) -> list[dict]:
    runs = server.graphql(RUNS_QUERY)["runsOrError"]
    assert runs["__typename"] == "Runs", runs
    return runs["results"]


def _wait_for_success(server: Server, run_id: str) -> None:
    """Poll the run until it ends; fail with its step errors (and the server log) if not SUCCESS."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    status = None
    while time.monotonic() < deadline:
        status = server.graphql(RUN_QUERY, {"runId": run_id})["runOrError"].get("status")
        if status in TERMINAL:
            break
        time.sleep(1)
    if status == "SUCCESS":
        return
    outcome = f"ended {status}" if status in TERMINAL else f"not done after {RUN_TIMEOUT_S}s"
    pytest.fail(
        f"run {run_id} {outcome}:\n{_failure(server, run_id)}\n"
        f"--- dagster dev log ---\n{server.log_tail()}"
    )


def _failure(server: Server, run_id: str) -> str:
    logs = server.graphql(FAILURE_QUERY, {"runId": run_id})["logsForRun"]
    lines = []
    for event in logs.get("events", []):
        if event["__typename"] == "ExecutionStepFailureEvent":
            error = event["error"] or {}
            causes = " <- ".join(c["message"].strip() for c in error.get("causes") or [])
            lines.append(f"step {event['stepKey']}: {error.get('message', '').strip()} {causes}")
        elif event["__typename"] == "RunFailureEvent":
            lines.append(f"run: {event['message']}")
    return "\n".join(lines) or "(no step failure recorded)"
