"""Exact and near-duplicate detection over task texts (MinHash LSH from datasketch).

Near duplicates are found by banded LSH, not by comparing all pairs, so the cost grows
linearly with the number of records.
"""

from __future__ import annotations

import re

from datasketch import MinHash, MinHashLSH

from gauntlet import canonical

NUM_PERM = 64
THRESHOLD = 0.85


def shingles(text: str, n: int = 3) -> set[bytes]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    if len(words) < n:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


def clusters(texts: dict[str, str], threshold: float = THRESHOLD) -> dict[str, tuple[str, str]]:
    """id -> (cluster id, how it joined: `self` | `exact` | `near`); first id (sorted) leads."""
    out: dict[str, tuple[str, str]] = {}
    exact: dict[str, str] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for rid in sorted(texts):
        text = " ".join(texts[rid].lower().split())
        key = canonical.digest(text)
        if key in exact:
            out[rid] = (exact[key], "exact")
            continue
        mh = MinHash(num_perm=NUM_PERM, seed=1)
        mh.update_batch(list(shingles(text)))
        near = sorted(lsh.query(mh))
        if near:
            out[rid] = (out[near[0]][0], "near")
        else:
            lsh.insert(rid, mh)
            out[rid] = (rid, "self")
        exact[key] = out[rid][0]  # later copies join the leader, not this member
    return out
