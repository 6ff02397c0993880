"""The dataset card: README.md of a Hub folder, built from what the records and partitions say.

The card's `configs` are discovered from the files under `data/`. Its context (how the data was
made) comes from the partitions' manifests and the exported records' own provenance: each
role's program is read from the records (task writer and baseline from the task, teacher and
simulated user from the trajectory, judge from the verdict), never assumed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gauntlet import __version__, prompts
from gauntlet.export.adp_rules import SCHEMA_VERSION
from gauntlet.export.hub import hub_configs

if TYPE_CHECKING:  # the store brings polars and duckdb: the card only reads manifests' fields
    from gauntlet.store import Manifest

CARD_TEMPLATE = "dataset_card.md.j2"
SIZE_CATEGORIES = (
    (1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
)  # fmt: skip

REQUIRED_CARD_CONTEXT = ("seed", "stages", "backends", "catalog_version", "code_version")
CATALOG_STAGES = ("tool_catalog", "tool_graph")
GENERATED_STAGES = ("tasks", "rollouts", "judged")
STAGES = {  # what each stage's records are, as the card says it
    "tool_catalog": "tools loaded and validated",
    "tool_graph": "data-flow and state edges between tools",
    "tasks": "tasks escalated until the baseline agent failed",
    "rollouts": "teacher trajectories against the simulated user and APIs",
    "judged": "trajectories judged",
    "adp_dataset": "trajectories exported",
}
SIMULATED_APIS = "offline (executable world)"  # the world is the only API backend


def roles(records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each role's program, as the judged records `{task, trajectory, verdict}` name it.

    Distinct values are joined, so a day gathered from differently configured shards says so.
    """
    records = list(records)
    tasks = [r["task"] for r in records]
    trajectories = [r["trajectory"] for r in records]
    return {
        "task writer": joined(t["provenance"].get("writer") for t in tasks),
        "teacher agent": joined(
            f"{t['agent']['name']} ({t['agent']['backend']})" for t in trajectories
        ),
        "simulated user": joined(_user(t.get("user")) for t in trajectories),
        "simulated APIs": SIMULATED_APIS,
        "baseline agent": joined(_baseline(t["provenance"].get("baseline")) for t in tasks),
        "judge": joined(_judge(r["verdict"].get("judge")) for r in records),
    }


def context(
    *,
    seed: int,
    catalogs: Mapping[str, Manifest],
    shards: Mapping[str, list[Manifest]],
    records: list[Mapping[str, Any]],
    code_version: Mapping[str, str],
    day: bool = False,
) -> dict[str, Any]:
    """What the card reports about how this data was made.

    `catalogs` holds the `tool_catalog` and `tool_graph` manifests; `shards` each generated
    stage's manifests, one per shard (a shard's card passes its own; a `day` card every shard
    of the date, and says how many); `records` the judged records behind the trajectories.
    """
    lines = [_stage_line(name, [m], False) for name, m in catalogs.items()]
    lines += [_stage_line(name, manifests, day) for name, manifests in shards.items()]
    if day:
        lines.append("hub_dataset: the shards' Hub folders gathered into this one, in shard order")
    return {
        "seed": seed,
        "stages": lines,
        "backends": roles(records),
        "catalog_version": joined(r["task"]["provenance"]["catalog_version"] for r in records),
        "graph_version": joined(r["task"]["provenance"]["graph_version"] for r in records),
        "code_version": dict(code_version),
        "renamed": catalogs["tool_catalog"].config.get("renamed", {}),
    }


def rejections(shards: Mapping[str, list[Manifest]]) -> dict[str, int]:
    """Every generated stage's rejections, as `stage/reason` -> count over all shards."""
    counts: Counter = Counter()
    for name in GENERATED_STAGES:
        for m in shards.get(name, []):
            counts.update({f"{name}/{reason}": n for reason, n in m.rejected.items()})
    return dict(counts)


def _stage_line(name: str, manifests: list[Manifest], count_shards: bool) -> str:
    """`tasks: 148 tasks escalated ... (12 rejected)`, with the shards counted on a day card."""
    done = sum(m.row_count for m in manifests)
    rejected = sum(m.rejected_count for m in manifests)
    notes = (
        [f"{len(manifests)} shard" + ("s" if len(manifests) > 1 else "")] if count_shards else []
    )
    notes += [f"{rejected} rejected"] if rejected else []
    return f"{name}: {done} {STAGES[name]}" + (f" ({', '.join(notes)})" if notes else "")


def _user(identity: Mapping[str, str] | None) -> str | None:
    return f"{identity['backend']} ({identity['name']})" if identity else None


def _baseline(provenance: str | None) -> str | None:
    """`heuristic` -> `offline (heuristic)`; `llm:<model>` -> `llm (<model>)`."""
    if provenance is None:
        return None
    backend, _, name = provenance.partition(":")
    return f"offline ({backend})" if not name else f"{backend} ({name})"


def _judge(provenance: str | None) -> str | None:
    """`rules` -> `rule checks`; `rules+rubric:llm:<model>` -> `rule checks, then rubric ...`."""
    if provenance is None:
        return None
    _, _, rubric = provenance.partition("+rubric:")
    return "rule checks" + (f", then rubric {_baseline(rubric)}" if rubric else "")


def joined(values: Iterable[Any]) -> str:
    """One value, or the distinct values joined: what the card reports for a mixed run."""
    distinct = sorted({str(v) for v in values if v is not None})
    return ", ".join(distinct) or "unknown"


def size_category(count: int) -> str:
    """The Hub's `size_categories` value for a row count."""
    for bound, label in SIZE_CATEGORIES:
        if count < bound:
            return label
    return "n>1B"


def render_card(
    configs: list[dict[str, Any]], stats: dict[str, Any], context: dict[str, Any]
) -> str:
    """The README.md text: YAML front matter (configs, license, ...) and the run's report."""
    _check_card_context(context)
    total = max((sum(s["rows"] for s in c["splits"]) for c in configs), default=0)
    return (
        prompts.render(
            CARD_TEMPLATE,
            quote=_quote,
            pretty_name=context.get("pretty_name", "Gauntlet tool-use trajectories"),
            license="apache-2.0",
            task_categories=["text-generation"],
            size_category=size_category(total),
            tags=["agents", "tool-use", "synthetic", "adp"],
            configs=configs,
            schema_version=SCHEMA_VERSION,
            homepage=context.get("homepage"),
            generator_version=context.get("generator_version", __version__),
            repo_id=context.get("repo_id", "path/to/this/folder"),
            stages=list(context["stages"]),
            backends=dict(context["backends"]),
            seed=context["seed"],
            catalog_version=context["catalog_version"],
            graph_version=context.get("graph_version"),
            code_version=context["code_version"],
            renamed=dict(sorted(context.get("renamed", {}).items())),
            stats=_card_stats(stats),
            metadata_path=next((c["metadata"] for c in configs if c.get("metadata")), None),
            config_names=[c["name"] for c in configs],
        )
        + "\n"
    )


def write_card(folder: Path, stats: dict[str, Any], card_context: dict[str, Any]) -> str:
    """(Re)write README.md for whatever configs `folder/data` holds now; returns the text."""
    folder = Path(folder)
    text = render_card(hub_configs(folder), stats, card_context)
    staging = folder / ".README.md.staging"
    staging.write_bytes(text.encode("utf-8"))
    os.replace(staging, folder / "README.md")
    return text


def _check_card_context(context: Mapping[str, Any]) -> None:
    missing = [key for key in REQUIRED_CARD_CONTEXT if key not in context]
    if missing:
        raise KeyError(f"card_context is missing {missing} (needs {list(REQUIRED_CARD_CONTEXT)})")


def _quote(value: Any) -> str:
    """A YAML/Python string literal for the card: JSON quoting, readable unicode."""
    return json.dumps(str(value), ensure_ascii=False)


def _md_cell(value: Any) -> str:
    """A Markdown table cell: pipes and newlines would break the row."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _pairs(mapping: Any, sort_numeric: bool = False) -> list[tuple[str, Any]]:
    items = dict(mapping).items() if isinstance(mapping, Mapping) else Counter(mapping).items()
    if sort_numeric:
        ordered = sorted(items, key=lambda kv: _numeric_first(kv[0]))
    else:
        ordered = sorted(items, key=lambda kv: (-kv[1], str(kv[0])))
    return [(_md_cell(k), v) for k, v in ordered]


def _numeric_first(key: Any) -> tuple[int, int, str]:
    text = str(key)
    return (0, int(text), "") if text.lstrip("-").isdigit() else (1, 0, text)


def _card_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Stats as the template wants them: counts, and sorted (label, count) rows per table."""
    return {
        "tasks": stats.get("tasks", 0),
        "trajectories": stats.get("trajectories", 0),
        "tools": stats.get("tools", 0),
        "domains": _pairs(stats.get("domains", {})),
        "difficulty": _pairs(stats.get("difficulty", {}), sort_numeric=True),
        "rejections": _pairs(stats.get("rejections", {})),
        "preferences": dict(stats["preferences"]) if stats.get("preferences") else None,
    }
