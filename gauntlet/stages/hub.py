"""Stage `hub_dataset`: a day's Hub dataset, gathered from every shard's Hub folder.

Each shard's `adp_dataset` partition holds a Hub folder (`hub/`: the adp, sft and preferences
configs and a card). This stage concatenates them per config and split, in shard order, and
renders the card again with the whole day's statistics and provenance, read from the store.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from gauntlet.export import card, merge
from gauntlet.export import hub as layout
from gauntlet.export.views import preference_totals, read_views
from gauntlet.stages.result import StageResult
from gauntlet.store import Store

GENERATED = (*card.GENERATED_STAGES, "adp_dataset")


def gather_day(
    store: Store, keys: list[dict[str, str]], folder: Path, *, seed: int, code_version: str
) -> StageResult:
    """Merge the shards `keys` into `folder` and write the day's card.

    Records list the folder's files (path, config, split, rows, sha256), so the partition's
    data version follows the bytes. Raises ValueError when no shard exported anything.
    """
    sources = [store.path("adp_dataset", k) / "hub" for k in keys]
    sources = [s for s in sources if layout.hub_configs(s)]  # none: the shard exported 0
    if not sources:
        date = keys[0]["date"] if keys else "?"
        raise ValueError(f"hub_dataset {date}: no shard exported a trajectory; nothing to publish")
    rows = merge.merge_hub_folders(sources, folder)
    stats, context = day_card(store, keys, seed, code_version)
    text = card.write_card(folder, stats, context)
    return StageResult(
        file_records(folder, rows), stats={"rows": rows, "card": text, "sources": len(sources)}
    )


def day_card(
    store: Store, keys: list[dict[str, str]], seed: int, code_version: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The card's statistics and context for a whole day, from its shards' partitions."""
    shards = {name: [store.manifest(name, k) for k in keys] for name in GENERATED}
    kept = [r for k in keys for r in store.read("judged", k) if r["verdict"]["keep"]]
    prefs = preference_totals([read_views(store.path("adp_dataset", k)) for k in keys])
    rejections = card.rejections(shards)
    rejections.update({f"preferences/{r}": n for r, n in prefs["skipped"].items()})
    stats = {
        **layout.record_stats([r for k in keys for r in store.read("adp_dataset", k)]),
        "rejections": rejections,
        "preferences": {"tasks": prefs["tasks"], "pairs": prefs["pairs"]},
    }
    catalogs = {name: store.manifest(name) for name in card.CATALOG_STAGES}
    code = {name: m.code_version for name, m in catalogs.items()}
    code.update({name: card.joined(m.code_version for m in ms) for name, ms in shards.items()})
    context = card.context(
        seed=seed,
        catalogs=catalogs,
        shards=shards,
        records=kept,
        code_version={**code, "hub_dataset": code_version},
        day=True,
    )
    return stats, context


def file_records(folder: Path, rows: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """One record per file of the Hub folder: its path, config, split, rows and sha256."""
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        parts = relative.split("/")
        config = parts[1] if parts[0] == "data" and len(parts) == 3 else None
        match = layout.SHARD_RE.match(parts[-1]) if config else None
        split = match["split"] if match else None
        out.append(
            {
                "id": relative,
                "config": config,
                "split": split,
                "rows": rows.get(config or "", {}).get(split or "") if split else None,
                "bytes": path.stat().st_size,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        )
    return out
