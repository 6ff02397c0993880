"""TF-IDF retrieval over tool names and descriptions.

The heuristic baseline uses it to pick tools from what the user wrote, and the task
generator uses it to find the distractors most likely to fool that retrieval.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from gauntlet.names import label

STOP = frozenset(
    "a an the and or of to for in on at by with from my your our is are be it this that i me "
    "we you please can could would will need want like also then do does into as its their "
    "them they all any some one".split()
)


def terms(text: str) -> list[str]:
    """Lowercased word stems: `Bookings` and `booking` meet; stop words dropped."""
    return list(_terms(text))


@lru_cache(maxsize=1 << 16)
def _terms(text: str) -> tuple[str, ...]:
    # tool texts and requests come back on every episode: stem each text once
    words = re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower())
    out = []
    for w in words:
        if w in STOP or len(w) < 2:
            continue
        for suffix in ("ings", "ing", "ies", "es", "ed", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
                break
        out.append(w)
    return tuple(out)


def tool_text(tool: dict[str, Any]) -> str:
    return f"{label(tool['name'])} {tool['description']}"


class Index:
    """A TF-IDF index of tools; `rank(query)` gives tool names best first (ties by name).

    Built per menu (every episode has its own), so it keeps postings per term and remembers
    the queries it has scored: the baseline scores the same request once per parameter."""

    def __init__(self, tools: list[dict[str, Any]]) -> None:
        self.names = [t["name"] for t in tools]
        docs = [Counter(_terms(tool_text(t))) for t in tools]
        df = Counter(term for d in docs for term in d)
        n = len(docs)
        self.idf = {term: math.log((1 + n) / (1 + c)) + 1 for term, c in df.items()}
        self.postings: dict[str, list[tuple[str, float]]] = {}
        for name, doc in zip(self.names, docs, strict=True):
            for term, weight in self._weigh(doc).items():
                self.postings.setdefault(term, []).append((name, weight))
        self._scored: dict[str, dict[str, float]] = {}

    def _weigh(self, counts: Counter) -> dict[str, float]:
        vec = {t: c * self.idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def scores(self, query: str) -> dict[str, float]:
        if query not in self._scored:
            # each name's sum is taken in the query's term order, as a dense dot product would
            scored = dict.fromkeys(self.names, 0.0)
            for term, w in self._weigh(Counter(_terms(query))).items():
                for name, weight in self.postings.get(term, ()):
                    scored[name] += w * weight
            self._scored[query] = scored
        return dict(self._scored[query])

    def rank(self, query: str) -> list[str]:
        s = self.scores(query)
        return sorted(self.names, key=lambda n: (-s[n], n))
