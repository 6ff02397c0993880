"""The `adp/` dataset folder: metadata.json, trajectories.jsonl and sample_std.json.

The byte format is part of the contract (docs/adp.md), so the serializers live here and the
validator compares files against them. The folder is built beside its destination and renamed
into place, so a crash never leaves a half-written dataset.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

METADATA_FILE = "metadata.json"
TRAJECTORIES_FILE = "trajectories.jsonl"
SAMPLE_FILE = "sample_std.json"
SAMPLE_MIN, SAMPLE_MAX = 3, 5


def pretty_json(obj: Any) -> str:
    """The format ADP fixes for metadata.json and sample_std.json: 2-space indent + newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def jsonl_line(record: dict[str, Any]) -> str:
    """One trajectories.jsonl line (no newline); key order as the converter built it."""
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


def write_adp_folder(folder: Path, records: list[dict[str, Any]], metadata: dict[str, Any]) -> None:
    """Write the three files of an ADP dataset, replacing `folder` atomically.

    The sample is the first min(5, n) records; with fewer than 3 records the sample is written
    anyway and `adp_rules.validate_dataset` reports it (the writer does not judge).
    """
    folder = Path(folder)
    files = {
        METADATA_FILE: pretty_json(metadata),
        TRAJECTORIES_FILE: "".join(jsonl_line(record) + "\n" for record in records),
        SAMPLE_FILE: pretty_json(list(records[:SAMPLE_MAX])),
    }
    replace_folder(folder, files)


def replace_folder(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write `files` (relative path -> text or bytes) into a fresh folder, then swap it in."""
    folder = Path(folder)
    staging = folder.parent / f".{folder.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        for relative, data in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if folder.exists():
            old = folder.parent / f".{folder.name}.old-{os.getpid()}"
            folder.rename(old)
            staging.rename(folder)
            shutil.rmtree(old)
        else:
            staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
