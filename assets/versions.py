"""Code versions that follow the code: a manual number plus a hash of the sources an asset runs.

Dagster marks an asset stale when its code version changes. Bumping by hand is easy to forget,
so each asset's version is `<manual>-<hash>` over the engine modules, prompts and schemas it
depends on: any change to them makes the asset, and everything downstream, show as stale.
Bump the manual number for a change of meaning the sources alone do not show.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".py", ".j2", ".json"}


def source_hash(*paths: str, root: Path = ROOT) -> str:
    """sha256 over the relative path and bytes of every source file under `paths`."""
    digest = hashlib.sha256()
    files: set[Path] = set()
    for rel in paths:
        target = root / rel
        if target.is_file():
            files.add(target)
        else:
            files.update(
                p
                for p in target.rglob("*")
                if p.suffix in SUFFIXES and p.is_file() and "__pycache__" not in p.parts
            )
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def code_version(manual: str, *paths: str) -> str:
    return f"{manual}-{source_hash(*paths)[:10]}"


CORE = (
    "gauntlet/__init__.py",
    "gauntlet/canonical.py",
    "gauntlet/names.py",
    "gauntlet/records.py",
    "gauntlet/seeds.py",
    "gauntlet/stages",
    "schemas",
)
CATALOG = code_version("1", *CORE, "gauntlet/catalog")
GRAPH = code_version("1", *CORE, "gauntlet/graph", "gauntlet/catalog")
WORLD = code_version("1", *CORE, "gauntlet/world", "gauntlet/catalog", "data/words")
# synthesis and judging run most of the engine (world, agents, users, llm roles, prompts)
SYNTHESIS = code_version("2", "gauntlet", "prompts", "schemas")
# the export re-runs the baseline for preference pairs: it runs most of the engine too
EXPORT = code_version("2", "gauntlet", "prompts", "schemas")
