"""`hub_dataset`: one day's Hugging Face Hub dataset, gathered from all its shards, and pushed.

Each `adp_dataset` shard already holds a Hub folder (`hub/`: the adp, sft and preferences
configs and a card). This asset, partitioned by date only, concatenates those folders per
config and split in shard order into `<data_root>/hub_dataset/date=<date>/`, re-renders the
card with the day's combined statistics, then hands the folder to the `hub` resource
(`HubPublisher`), which pushes it when a token and a repo are configured and says why it
did not otherwise. The folder is a Store partition (built in staging, renamed into place);
its records list the files with their row counts and hashes, so the data version follows
the bytes. The Store's own files stay local: the push ignores them.
"""

import os
import warnings
from pathlib import Path
from typing import Any

from dagster import (
    AssetDep,
    AssetExecutionContext,
    BetaWarning,
    ConfigurableResource,
    DataVersion,
    MaterializeResult,
    MetadataValue,
    MultiToSingleDimensionPartitionMapping,
    asset,
)
from pydantic import Field

from assets import adp, partitions, specs, versions
from assets.settings import GauntletConfig, Settings
from gauntlet.llm.errors import redact
from gauntlet.stages.hub import gather_day
from gauntlet.store import MANIFEST_FILE, RECORDS_FILE, REJECTED_FILE, Manifest, Store

CODE_VERSION = versions.code_version(
    "1", *versions.CORE, "gauntlet/export", "prompts/dataset_card.md.j2", "assets/hub.py"
)
DELETE_PATTERNS = ("data/**",)  # remote shards the new commit does not rewrite are stale
STORE_FILES = (MANIFEST_FILE, RECORDS_FILE, REJECTED_FILE)  # the lake's bookkeeping, not data
CARD_PREVIEW_CHARS = 4000
with warnings.catch_warnings():  # beta in this Dagster; the behaviour we rely on is stable
    warnings.simplefilter("ignore", BetaWarning)
    BY_DATE = MultiToSingleDimensionPartitionMapping(partition_dimension_name="date")


class HubPublisher(ConfigurableResource):
    """Pushes a Hub folder to a Hugging Face dataset repo. The token is read from HF_TOKEN at
    push time and never stored, logged or put in metadata."""

    repo_id: str = Field(
        default_factory=lambda: Settings.from_env().hub_repo,
        description="Dataset repo `org/name` (default: GAUNTLET_HUB_REPO); empty: no push.",
    )
    private: bool = Field(
        default=False,
        description="Create the repo private when it does not exist yet.",
    )

    def api(self, token: str) -> Any:
        """The Hub client (tests replace this with a recorder)."""
        from huggingface_hub import HfApi

        return HfApi(token=token)

    def publish(self, folder: Path, commit_message: str) -> dict[str, str]:
        """Push `folder` in one commit that also deletes remote `data/**` files it does not
        rewrite; `{"status": "pushed", "repo", "commit_url"}` or `{"status": "skipped: ..."}`.
        """
        token = os.environ.get("HF_TOKEN", "")
        if not token:
            return {"status": "skipped: no token"}
        if not self.repo_id:
            return {"status": "skipped: no repo"}
        try:
            api = self.api(token)
            api.create_repo(self.repo_id, repo_type="dataset", exist_ok=True, private=self.private)
            info = api.upload_folder(
                folder_path=str(folder),
                repo_id=self.repo_id,
                repo_type="dataset",
                commit_message=commit_message,
                delete_patterns=list(DELETE_PATTERNS),
                ignore_patterns=list(STORE_FILES),
            )
        except Exception as exc:  # the message may echo a request; never the token
            raise RuntimeError(
                f"pushing {folder} to the dataset repo {self.repo_id} failed: "
                f"{redact(f'{type(exc).__name__}: {exc}', token)}"
            ) from None
        url = getattr(info, "commit_url", None) or str(info)
        return {"status": "pushed", "repo": self.repo_id, "commit_url": url}


@asset(
    key="hub_dataset",
    group_name="publishing",
    owners=specs.OWNERS,
    code_version=CODE_VERSION,
    kinds={"python", "huggingface"},
    partitions_def=partitions.daily,
    deps=[AssetDep("adp_dataset", partition_mapping=BY_DATE)],
    description=(
        "One day's Hugging Face Hub dataset: every shard's hub/ folder (adp, sft and preferences "
        "configs, train and validation split by task) concatenated in shard order, with a card "
        "that reports the whole day. Pushed to GAUNTLET_HUB_REPO when HF_TOKEN is set (stale "
        "data files are deleted in the same commit); otherwise the metadata says why not."
    ),
)
def hub_dataset(
    context: AssetExecutionContext, gauntlet: GauntletConfig, hub: HubPublisher
) -> MaterializeResult:
    date = context.partition_key
    store = gauntlet.store()
    keys = day_shards(store, date)
    with store.writer("hub_dataset", {"date": date}) as w:
        result = gather_day(store, keys, w.path, seed=gauntlet.seed, code_version=CODE_VERSION)
        manifest = w.commit(
            result.records,
            code_version=CODE_VERSION,
            upstream={
                f"adp_dataset/shard={k['shard']}": store.manifest("adp_dataset", k).content_hash
                for k in keys
            },
            seed=gauntlet.seed,
            config={"shards": [k["shard"] for k in keys]},
        )
    rows = result.stats["rows"]
    folder = store.path("hub_dataset", {"date": date})
    totals = ", ".join(f"{name} {sum(s.values())}" for name, s in rows.items())
    outcome = hub.publish(folder, f"Gauntlet dataset for {date} ({totals} rows)")
    context.log.info(f"hub dataset for {date} in {folder}: {totals}; {outcome['status']}")
    return MaterializeResult(
        metadata=metadata(
            folder, manifest, rows, outcome, result.stats["card"], result.stats["sources"]
        ),
        data_version=DataVersion(manifest.content_hash),
    )


def day_shards(store: Store, date: str) -> list[dict[str, str]]:
    """Every shard of `date`, in shard order; all must be materialized (a partial day is not
    published)."""
    keys = [{"date": date, "shard": s} for s in partitions.shard_keys()]
    missing = [k["shard"] for k in keys if not store.exists("adp_dataset", k)]
    if missing:
        raise FileNotFoundError(
            f"hub_dataset {date}: adp_dataset has no partition for shard(s) {missing} under "
            f"{store.root}; materialize adp_dataset for {', '.join(f'{date}|{s}' for s in missing)}"
            " first"
        )
    return keys


def metadata(
    folder: Path,
    manifest: Manifest,
    rows: dict[str, dict[str, int]],
    outcome: dict[str, str],
    card_text: str,
    shards: int,
) -> dict[str, Any]:
    """Rows per config and split, the folder, the push (commit URL or why not), the card."""
    table = adp.hub_rows_table(rows)
    out: dict[str, Any] = {
        "shards_gathered": shards,
        "hub_rows": table,
        **{f"rows_{name}_{split}": n for name, s in rows.items() for split, n in s.items()},
        "path": MetadataValue.path(str(folder)),
        "content_hash": MetadataValue.text(manifest.content_hash),
        "published": MetadataValue.text(outcome["status"]),
    }
    if "commit_url" in outcome:
        out["commit_url"] = MetadataValue.url(outcome["commit_url"])
        out["repo"] = MetadataValue.text(outcome["repo"])
    body = card_text.split("\n---\n", 1)[-1].strip()  # the front matter is YAML, not Markdown
    if len(body) > CARD_PREVIEW_CHARS:
        body = body[:CARD_PREVIEW_CHARS].rsplit("\n", 1)[0] + "\n\n…"
    out["card_preview"] = MetadataValue.md(body)
    return out
