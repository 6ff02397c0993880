"""Stage `tool_catalog`: every catalog file in a folder, loaded, validated and normalized."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from gauntlet.catalog import load_folder
from gauntlet.stages.result import StageResult, validated


def build_catalog(folder: str | Path) -> StageResult:
    """Load and normalize every catalog in `folder`; rejected = every catalog issue."""
    load = load_folder(folder)
    result = StageResult([])
    validated("tool", load.tools, result)
    for issue in load.issues:
        result.rejected.append(
            {
                "id": f"{issue.file}:{issue.tool or '-'}",
                "reason": issue.severity,
                "detail": str(issue),
                "file": issue.file,
                "tool": issue.tool,
                "field": issue.field,
                "message": issue.message,
            }
        )
    result.stats = {
        "version": load.version,
        "files": load.files,
        "tools_per_domain": dict(sorted(Counter(t["domain"] for t in result.records).items())),
        "renamed": load.renamed,
        "formats": load.formats,
        "imported": load.imported,
    }
    return result
