"""What a tool answers with: its declared `returns`, or, for a tool that declares none (OpenAI
function lists, MCP servers, BFCL), the row of the resource it acts on.

The catalog gives such a tool a placeholder `{result: string}` marked `x-gauntlet-inferred`;
answering with a made-up sentence would teach nothing and leave nothing to report. A `read_note`
answers with the note (`note_id`, `title`), a `search_notes` with the notes it found, so the
tool can be a task's goal and its answer is the world's data.
"""

from __future__ import annotations

from typing import Any

from gauntlet.names import plural

INFERRED = "x-gauntlet-inferred"  # the catalog's mark on a placeholder `returns`
LISTING = frozenset({"list", "search"})


def answer_schema(tool: dict[str, Any], op: dict[str, Any] | None, resources: dict) -> dict:
    """The schema the world answers `tool` in."""
    returns = tool["returns"]
    res = resources.get((op or {}).get("resource") or "")
    if not returns.get(INFERRED) or res is None:
        return returns
    key = res["key"]["field"]
    props = {} if key is None else {key: {"type": res["key"]["type"] or "string"}}
    props |= {
        f["name"]: f.get("schema") or {"type": f.get("type", "string")}
        for f in res["fields"]
        if f["name"] not in returns.get("properties", {})
    }
    if not props:
        return returns
    row = {"type": "object", "properties": props}
    if op["op"] in LISTING:
        return {
            "type": "object",
            "properties": {plural(res["name"]): {"type": "array", "items": row}},
        }
    return row
