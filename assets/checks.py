"""Asset checks: blocking specs, and results that fail closed when the check could not run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue

from assets.metadata import md_cell

MAX_PROBLEMS = 20


def validity_check(
    name: str, problems: Sequence[str] | None, error: str | None = None
) -> AssetCheckResult:
    """Pass only when the check ran (`error` is None) and found no problem: fail closed."""
    problems = list(problems or [])
    metadata: dict[str, Any] = {"problems": len(problems)}
    if error is not None:
        metadata["error"] = MetadataValue.text(error)
    if problems:
        shown = "\n".join(f"- {md_cell(p, 300)}" for p in problems[:MAX_PROBLEMS])
        metadata["first_problems"] = MetadataValue.md(shown)
    return AssetCheckResult(
        check_name=name,
        passed=error is None and not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata=metadata,
        description=error or (f"{len(problems)} problem(s)" if problems else "all valid"),
    )


def schema_problems(
    records: Iterable[Mapping[str, Any]],
    errors_of: Callable[[Mapping[str, Any]], list[str]],
    label: Callable[[Mapping[str, Any]], str],
) -> list[str]:
    """`<record label>: <field>: <message>` for every schema violation."""
    out = []
    for index, record in enumerate(records):
        name = _safe(lambda r=record: label(r)) or f"#{index}"
        out += [f"{name}: {problem}" for problem in errors_of(record)]
    return out


def _safe(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception:  # a record too broken to label is still reported, by index
        return None
