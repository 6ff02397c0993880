"""Small charts for asset metadata: a picture says more than a table for a distribution."""

from __future__ import annotations

import io
from collections.abc import Mapping


def bar_png(counts: Mapping[object, int], title: str, xlabel: str, ylabel: str) -> bytes:
    """A bar chart of `counts` (keys in their given order) as PNG bytes, stable for the input."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [str(k) for k in counts]
    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=90)
    bars = ax.bar(labels, list(counts.values()), color="#4C72B0")
    ax.bar_label(bars, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
