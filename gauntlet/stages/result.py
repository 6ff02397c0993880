"""What a stage returns, and the schema gate every record crosses on its way out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gauntlet import records

Log = Callable[[str], None] | None


@dataclass
class StageResult:
    records: list[dict[str, Any]]
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"id", "reason", "detail"}
    stats: dict[str, Any] = field(default_factory=dict)
    # records stored beside the stage's own, by file stem (the tasks' base worlds)
    attachments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def rejection_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(r["reason"] for r in self.rejected).items()))


def validated(
    kind: str, items: list[dict[str, Any]], result: StageResult, id_field: str = "id"
) -> None:
    """Move every record that fails its schema from `items` into the rejections."""
    for item in items:
        problems = records.errors(kind, item)
        if problems:
            result.rejected.append(
                {"id": item.get(id_field, "?"), "reason": "schema_invalid", "detail": problems[0]}
            )
        else:
            result.records.append(item)
