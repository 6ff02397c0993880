"""What a task did to the world: rows inserted, updated and deleted, and the checks on it.

A task's expected outcome is the diff its reference run made; an attempt passes when its own
diff is the same and the witness rows (live rows of the same tables the reference left alone,
another person's among them) are still untouched. A read-only task's diff is empty, and it is
checked on the answer's facts instead. Open sessions are not part of the diff: signing in
changes nothing a user cares about.
"""

from __future__ import annotations

from typing import Any

from gauntlet.world.state import Key, WorldState

WITNESSES = 3


def diff(before: WorldState, after: WorldState) -> dict[str, Any]:
    """`{"inserted": {table: [row]}, "updated": {table: [{key, changes}]}, "deleted": {table: [key]}}`
    with tables, rows and keys in a stable order (empty tables left out)."""
    out: dict[str, dict[str, list]] = {"inserted": {}, "updated": {}, "deleted": {}}
    for name in sorted(set(before.tables) | set(after.tables)):
        old, new = before.tables.get(name, {}), after.tables.get(name, {})
        if old is new:  # a fork shares every table it has not written
            continue
        added = [new[k] for k in _sorted(set(new) - set(old))]
        removed = _sorted(set(old) - set(new))
        changed = []
        for k in _sorted(set(old) & set(new)):
            if old[k] is not new[k] and old[k] != new[k]:
                fields = sorted(set(old[k]) | set(new[k]))
                changes = {
                    f: [old[k].get(f), new[k].get(f)]
                    for f in fields
                    if old[k].get(f) != new[k].get(f)
                }
                changed.append({"key": k, "changes": changes})
        for part, items in (("inserted", added), ("updated", changed), ("deleted", removed)):
            if items:
                out[part][name] = items
    return out


def is_empty(change: dict[str, Any]) -> bool:
    return not any(change[part] for part in ("inserted", "updated", "deleted"))


def touched(change: dict[str, Any]) -> dict[str, set[Key]]:
    """Per table, the keys a diff inserted, updated or deleted."""
    out: dict[str, set[Key]] = {}
    for name, rows in change["updated"].items():
        out.setdefault(name, set()).update(r["key"] for r in rows)
    for name, keys in change["deleted"].items():
        out.setdefault(name, set()).update(keys)
    return out


def witnesses(before: WorldState, change: dict[str, Any], n: int = WITNESSES) -> list[dict]:
    """Rows of the tables the reference changed that it left alone: they must stay as they are
    (the careless agent's wrong target is usually one of them)."""
    out = []
    hit = touched(change)
    for name in sorted(hit):
        spare = [k for k in _sorted(set(before.table(name)) - hit[name])][:n]
        out += [{"table": name, "key": k, "row": before.table(name)[k]} for k in spare]
    return out


def explain(expected: dict[str, Any], actual: dict[str, Any]) -> str | None:
    """Why an attempt's diff is not the expected one, or None when it is."""
    for part in ("inserted", "updated", "deleted"):
        for name in sorted(set(expected[part]) | set(actual[part])):
            want, got = expected[part].get(name, []), actual[part].get(name, [])
            if len(want) != len(got):
                return f"{part} {len(got)} {name} row(s), expected {len(want)}"
            if want != got:
                return f"{name} not {part} as expected"
    return None


def compare(
    expected: dict[str, Any], actual: dict[str, Any], kept: list[dict], after: WorldState
) -> str | None:
    """`explain`, and the witness rows must be as they were in `after`."""
    why = explain(expected, actual)
    if why is not None:
        return why
    for witness in kept:
        if after.row(witness["table"], witness["key"]) != witness["row"]:
            return f"{witness['table']} {witness['key']} was changed, and should not have been"
    return None


def _sorted(keys: set[Key]) -> list[Key]:
    return sorted(keys, key=lambda k: (isinstance(k, str), str(k) if isinstance(k, str) else k))
