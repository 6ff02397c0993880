"""What assets show a person: markdown tables, counts, previews, inline pictures."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster import MetadataValue

PREVIEW_ROWS = 5


def md_cell(value: Any, width: int = 80) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def md_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> MetadataValue:
    """A markdown table of `columns` (dotted paths into each row)."""
    if not rows:
        return MetadataValue.md("_none_")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(md_cell(pick(row, c)) for c in columns) + " |")
    return MetadataValue.md("\n".join(lines))


def md_counts(counts: Mapping[Any, int], key: str, value: str = "count") -> MetadataValue:
    """A two-column markdown table, e.g. rejection reason -> count (sorted by key)."""
    rows = [{key: k, value: v} for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))]
    return md_table(rows, [key, value])


def preview(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> MetadataValue:
    return md_table(records[:PREVIEW_ROWS], columns)


def pick(record: Any, path: str) -> Any:
    """`record["a"]["b"]` for path "a.b"; None when any step is missing."""
    value = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def count_by(records: Iterable[Mapping[str, Any]], path: str) -> dict[Any, int]:
    return dict(Counter(pick(r, path) for r in records))


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


INLINE_IMAGE_LIMIT = 1_500_000  # bytes; a bigger picture is only linked by path


def image_md(png: bytes, alt: str) -> MetadataValue | None:
    """A PNG inline in markdown metadata, which the UI renders as a picture."""
    if len(png) > INLINE_IMAGE_LIMIT:
        return None
    return MetadataValue.md(
        f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"
    )


def picture(png: bytes | None, path: Path, key: str, alt: str) -> dict[str, MetadataValue]:
    """`<key>` inline (when small enough to inline) and `<key>_path`; nothing without a PNG."""
    if png is None:
        return {}
    out = {f"{key}_path": MetadataValue.path(str(path))}
    inline = image_md(png, alt)
    if inline is not None:
        out[key] = inline
    return out
