"""`make run`: materialize the whole pipeline for today (UTC) in-process, then print a summary.

Runs are recorded in a persistent Dagster instance (DAGSTER_HOME, default `.dagster_home/`),
so `make ui` shows them afterwards. The summary is read back from the partition store
(manifests and records), the same files a notebook or the next stage would read.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from dagster import DagsterInstance, ExecuteInProcessResult, materialize

from assets import ALL_ASSETS, CATALOG_ASSETS, HUB_ASSETS, PARTITIONED_ASSETS
from assets.hub import HubPublisher
from assets.partitions import START_DATE, date_partitions, keys_for_date, shard_keys
from assets.role_config import LLMConfig
from assets.settings import base_dir
from gauntlet.export.hub import hub_configs
from gauntlet.export.views import preference_totals, read_views
from gauntlet.store import MissingPartitionError, Store
from pipelines.resources import gauntlet_config

DAGSTER_YAML = (
    "# Written by pipelines/run.py; shared with `make ui`.\ntelemetry:\n  enabled: false\n"
)
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
MAX_ISSUES_SHOWN = 10


def dagster_home() -> Path:
    """DAGSTER_HOME (default `<project>/.dagster_home`), created with a dagster.yaml if needed."""
    home = Path(os.environ.get("DAGSTER_HOME") or base_dir() / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def failure_message(result: ExecuteInProcessResult) -> str:
    """The failed steps' errors and any failed checks, as a person would want to read them."""
    lines = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data is not None:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:  # the user code's own error
                error = error.cause
            text = error.message.strip() if error is not None else "unknown error"
            lines.append(f"  step {event.step_key} failed: {text}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            meta = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
            detail = meta.get("error") or meta.get("first_problems") or ""
            lines.append(
                f"  check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} "
                f"failed ({meta.get('problems', '?')} problem(s))\n    "
                + str(detail).replace("\n", "\n    ")
            )
    return "\n".join(lines) or "  (no step failure recorded; see the run in `make ui`)"


def run_pipeline(date: str) -> tuple[Store, str]:
    """Materialize the catalog, every shard of `date`, then the day's Hub dataset.

    Returns the store and what became of the Hub push (`pushed: <commit url>` or
    `skipped: <why>`); raises SystemExit on failure.
    """
    home = dagster_home()
    instance = DagsterInstance.get()
    config = gauntlet_config()
    resources = {"gauntlet": config, "llm": LLMConfig(), "hub": HubPublisher()}
    names = ", ".join(a.key.to_user_string() for a in PARTITIONED_ASSETS)
    catalog = ", ".join(a.key.to_user_string() for a in CATALOG_ASSETS)
    steps = [(catalog, CATALOG_ASSETS, None)] + [
        (f"{names} for {key}", PARTITIONED_ASSETS, key) for key in keys_for_date(date)
    ]
    steps.append((f"hub_dataset for {date}", HUB_ASSETS, date))
    published = "not run"
    print(
        f"gauntlet: date {date}, seed {config.seed}, {config.tasks} tasks, lake {config.store().root}"
    )
    print(f"gauntlet: dagster home {home}")
    for index, (label, selection, key) in enumerate(steps, start=1):
        print(f"[{index}/{len(steps)}] {label} ...", flush=True)
        started = time.perf_counter()
        result = materialize(
            ALL_ASSETS,
            selection=selection,
            partition_key=str(key) if key is not None else None,
            instance=instance,
            resources=resources,
            run_config=QUIET_LOGS,
            raise_on_error=False,
            tags={"gauntlet/entry": "make run", "gauntlet/date": date},
        )
        if not result.success:
            print(
                f"gauntlet: FAILED at step {index} ({label}), run {result.run_id}:\n"
                f"{failure_message(result)}",
                file=sys.stderr,
            )
            raise SystemExit(1)
        print(f"      ok in {time.perf_counter() - started:.1f}s (run {result.run_id[:8]})")
        if selection is HUB_ASSETS:
            published = _published(result)
    return config.store(), published


def _published(result: ExecuteInProcessResult) -> str:
    """The hub_dataset materialization's push outcome, as its metadata reports it."""
    meta = result.asset_materializations_for_node("hub_dataset")[0].metadata
    status = str(getattr(meta.get("published"), "value", "unknown"))
    url = getattr(meta.get("commit_url"), "value", None)
    return f"{status}: {url}" if url else status


def summary(store: Store, date: str, published: str | None = None) -> str:
    """The run in numbers, from the store's manifests and records."""
    catalog = store.manifest("tool_catalog")
    issues = store.read_rejected("tool_catalog")
    tools = store.read("tool_catalog")
    lines = [
        "",
        f"Gauntlet summary for {date} ({len(shard_keys())} shard(s))",
        _row(
            "tools",
            f"{catalog.row_count} in {len({t.get('domain') for t in tools})} domain(s); "
            f"{sum(i.get('reason') != 'warning' for i in issues)} catalog issue(s) rejected, "
            f"{sum(i.get('reason') == 'warning' for i in issues)} warning(s)",
        ),
    ]
    importers = catalog.config.get("importers") or {}
    if importers:
        formats: Counter = Counter()
        for entry in importers.values():
            formats[entry.get("format", "?")] += entry.get("tools", 0)
        lines.append(
            _row(
                "importers",
                ", ".join(f"{fmt}: {n} tool(s)" for fmt, n in sorted(formats.items()))
                + f" from {len(importers)} file(s)",
            )
        )
    for issue in issues[:MAX_ISSUES_SHOWN]:
        lines.append(_row("", f"- {_issue_text(issue)}"))
    if len(issues) > MAX_ISSUES_SHOWN:
        lines.append(_row("", f"... and {len(issues) - MAX_ISSUES_SHOWN} more"))
    lines.append(_row("edges", store.manifest("tool_graph").row_count))
    keys = [k.keys_by_dimension for k in keys_for_date(date)]
    levels: Counter = Counter()
    for key in keys:
        levels.update(str(t.get("difficulty", {}).get("level")) for t in store.read("tasks", key))
    for asset, verb in (
        ("tasks", "synthesized"),
        ("rollouts", "rolled out"),
        ("judged", "judged"),
        ("adp_dataset", "exported"),
    ):
        manifests = [store.manifest(asset, key) for key in keys]
        rejected: Counter = Counter()
        for m in manifests:
            rejected.update(m.rejected)
        lines.append(
            _row(
                asset,
                f"{sum(m.row_count for m in manifests)} {verb}, "
                f"{sum(rejected.values())} rejected" + _reasons(rejected),
            )
        )
        if asset == "tasks":
            histogram = ", ".join(
                f"level {lvl}: {n}" for lvl, n in sorted(levels.items(), key=_num)
            )
            lines.append(_row("difficulty", histogram or "(no tasks)"))
        if asset == "judged":
            kept = sum(
                bool(r["verdict"].get("keep")) for key in keys for r in store.read("judged", key)
            )
            lines.append(_row("kept", f"{kept} trajectories passed the judge"))
    for key in keys:
        folder = store.path("adp_dataset", key)
        lines.append(_row(f"shard {key['shard']}", f"ADP dataset  {folder / 'adp'}"))
        lines.append(_row("", f"Hub folder   {folder / 'hub'}"))
    lines += _hub_rows(store, date, keys, published)
    lines.append(_row("lake", f"{store.root}  (SQL: gauntlet.store.Store(root).duckdb())"))
    return "\n".join(lines)


def _hub_rows(store: Store, date: str, keys: list, published: str | None) -> list[str]:
    """The day's Hub dataset: rows per config and split, preference pairs, folder, push."""
    folder = store.path("hub_dataset", {"date": date})
    if not store.exists("hub_dataset", {"date": date}):
        return [_row("hub_dataset", "(not materialized)")]
    lines = []
    for config in hub_configs(folder):
        splits = ", ".join(f"{s['name']} {s['rows']}" for s in config["splits"])
        total = sum(s["rows"] for s in config["splits"])
        lines.append(
            _row("hub_dataset" if not lines else "", f"{config['name']}: {total} ({splits})")
        )
    prefs = preference_totals([read_views(store.path("adp_dataset", key)) for key in keys])
    skipped = Counter(prefs["skipped"])
    lines.append(
        _row(
            "preferences",
            f"{prefs['pairs']} pairs from {prefs['tasks']} kept tasks, "
            f"{sum(skipped.values())} skipped" + _reasons(skipped),
        )
    )
    lines.append(_row("Hub dataset", folder))
    lines.append(_row("", f"push         {published or 'unknown'}"))
    return lines


def _issue_text(issue: dict) -> str:
    """`file, tool 'x', field f: message` for catalog issues; id/reason/detail otherwise."""
    if "file" in issue:
        where = issue["file"] + (f", tool {issue['tool']!r}" if issue.get("tool") else "")
        severity = " (warning)" if issue.get("reason") == "warning" else ""
        return f"{where}, field {issue.get('field')}: {issue.get('message')}{severity}"
    return f"{issue.get('id')}: {issue.get('reason')} {issue.get('detail') or ''}".strip()


def _row(label: str, text: object) -> str:
    return f"  {label + ':' if label else '':<13}{text}"


def _reasons(counts: Counter) -> str:
    return " (" + ", ".join(f"{r}: {n}" for r, n in sorted(counts.items())) + ")" if counts else ""


def _num(item: tuple[str, int]) -> tuple[int, str]:
    return (int(item[0]), "") if item[0].lstrip("-").isdigit() else (1 << 30, item[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.run", description=__doc__)
    parser.add_argument(
        "--date",
        default=datetime.now(UTC).date().isoformat(),
        help="date partition to materialize (default: today, UTC)",
    )
    args = parser.parse_args(argv)
    try:
        datetime.strptime(args.date, "%Y-%m-%d")
    except ValueError:
        parser.error(f"--date must be YYYY-MM-DD, got {args.date!r}")
    if not date_partitions().has_partition_key(args.date):
        parser.error(f"--date {args.date} is not a date partition (from {START_DATE} to today)")
    store, published = run_pipeline(args.date)
    try:
        print(summary(store, args.date, published))
    except MissingPartitionError as exc:
        print(f"gauntlet: could not summarize: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
