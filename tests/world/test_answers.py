"""A tool that declares no output answers with the row it acts on, so it can be a goal."""

from __future__ import annotations

import datetime as dt

from gauntlet.catalog import load_folder
from gauntlet.testing.specs import write_samples
from gauntlet.world.answers import INFERRED
from gauntlet.world.schema import infer
from gauntlet.world.worlds import Worlds


def test_an_mcp_tool_without_an_output_schema_answers_with_its_note(tmp_path):
    tools = [t for t in load_folder(write_samples(tmp_path)).tools if t["domain"] == "notes_server"]
    read_note = next(t for t in tools if t["name"] == "read_note")
    assert read_note["returns"][INFERRED]  # the catalog's placeholder, marked as such
    worlds = Worlds(tools, infer(tools))
    recipe = worlds.recipe("notes_server", 1, dt.date(2026, 11, 21), pick=1)
    world = worlds.open(recipe)
    note_id, note = next(iter(world.initial.table("note").items()))
    answer = world.call("read_note", {"note_id": note_id})
    assert answer == {"note_id": note_id, "title": note["title"]}
    found = world.call("search_notes", {"query": note["title"]})
    assert {"note_id": note_id, "title": note["title"]} in found["notes"]
