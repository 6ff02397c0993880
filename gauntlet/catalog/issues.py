"""A problem found while loading a catalog, named by file, tool and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem found while loading: `severity` is `rejected` (dropped) or `warning` (kept)."""

    file: str
    tool: str | None
    field: str
    message: str
    severity: str = "rejected"

    def __str__(self) -> str:
        where = f"{self.file}" + (f", tool {self.tool!r}" if self.tool else "")
        return f"{where}, field {self.field}: {self.message} ({self.severity})"
