"""world.yaml corrects the inferred world schema, and says clearly when it cannot."""

from __future__ import annotations

import pytest

from gauntlet.world import override
from gauntlet.world.schema import infer


@pytest.fixture
def schemas(default_tools) -> list[dict]:
    return infer(default_tools)


def clinic(schemas: list[dict]) -> dict:
    return next(s for s in schemas if s["domain"] == "clinic")


def test_a_correction_applies_and_is_reported(schemas, tmp_path):
    (tmp_path / "world.yaml").write_text(
        "clinic:\n"
        "  resources:\n"
        "    appointment:\n"
        "      fields: {reason: free_text}\n"
        "      lifecycle: {terminal: [completed, cancelled]}\n"
        "  operations:\n"
        "    find_doctors: {op: list}\n"
    )

    changed = override.apply(schemas, override.load(tmp_path / "world.yaml"))

    appointment = next(r for r in clinic(schemas)["resources"] if r["name"] == "appointment")
    assert {f["name"]: f["kind"] for f in appointment["fields"]}["reason"] == "free_text"
    assert appointment["lifecycle"]["terminal"] == ["completed", "cancelled"]
    assert (
        next(o for o in clinic(schemas)["operations"] if o["tool"] == "find_doctors")["op"]
        == "list"
    )
    assert changed == [
        "clinic.resources.appointment.fields",
        "clinic.resources.appointment.lifecycle",
        "clinic.operations.find_doctors.op",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zoo: {principal: keeper}\n", "world.yaml: zoo: no such domain"),
        ("clinic: {principal: dentist}\n", "clinic.principal: no resource 'dentist'"),
        (
            "clinic: {resources: {appointment: {fields: {nope: email}}}}\n",
            "fields.nope: no such field",
        ),
        ("clinic: {resources: {appointment: {fields: {reason: vibes}}}}\n", "unknown kind 'vibes'"),
        ("clinic: {operations: {fly: {op: get}}}\n", "operations.fly: no such tool"),
        ("clinic: [1, 2]\n", "world.yaml: clinic: expected a dict"),
        ("clinic: {resources: {appointment: {colour: red}}}\n", "appointment.colour: unknown key"),
    ],
)
def test_a_correction_that_cannot_apply_names_the_file_and_the_path(
    schemas, tmp_path, text, message
):
    (tmp_path / "world.yaml").write_text(text)

    with pytest.raises(override.OverrideError, match=message.replace("(", r"\(")):
        override.apply(schemas, override.load(tmp_path / "world.yaml"))


def test_no_file_is_no_correction(tmp_path):
    assert override.load(tmp_path / "world.yaml") == {}
