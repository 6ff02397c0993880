"""Stage `world_schema`: the world each domain's tools imply, with the user's corrections."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from gauntlet.stages.result import StageResult, validated
from gauntlet.world import override
from gauntlet.world.schema import infer


def build_world_schema(tools: list[dict[str, Any]], override_file: Path | None) -> StageResult:
    """One world schema per domain; every inference gap is listed as `unresolved`.

    A `world.yaml` that cannot apply raises `OverrideError` naming the file and the path: a
    correction silently dropped would be worse than a failed step.
    """
    schemas = infer(tools)
    doc = override.load(override_file) if override_file else {}
    changed = override.apply(schemas, doc, override_file.name if override_file else "")
    for schema in schemas:
        schema["overridden"] = [c for c in changed if c.split(".", 1)[0] == schema["domain"]]
    result = StageResult([])
    validated("world_schema", schemas, result, id_field="domain")
    result.rejected += [
        {
            "id": f"{s['domain']}:{u.get('tool') or u.get('resource')}",
            "reason": "unresolved",
            "detail": u["what"],
        }
        for s in schemas
        for u in s["unresolved"]
    ]
    result.stats = {
        "domains": len(schemas),
        "principals": {s["domain"]: s["principal"] for s in schemas},
        "resources": sum(len(s["resources"]) for s in schemas),
        "lifecycles": sum(1 for s in schemas for r in s["resources"] if r["lifecycle"]),
        "operations": dict(
            sorted(Counter(o["op"] for s in schemas for o in s["operations"]).items())
        ),
        "overridden": changed,
    }
    return result
