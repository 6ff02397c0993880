"""The dataset card's context: every role's program read from the records' own provenance."""

from __future__ import annotations

from gauntlet.export import card
from gauntlet.store import Manifest


def record(*, writer="offline-template", baseline="heuristic", teacher=("oracle", "offline"),
           user=("scripted", "offline"), judge="rules", catalog="cat-1") -> dict:  # fmt: skip
    return {
        "task": {
            "provenance": {
                "writer": writer,
                "baseline": baseline,
                "catalog_version": catalog,
                "graph_version": "graph-1",
            }
        },
        "trajectory": {
            "agent": {"name": teacher[0], "backend": teacher[1]},
            "user": {"name": user[0], "backend": user[1]},
        },
        "verdict": {"judge": judge},
    }


def manifest(asset: str, rows: int, rejected: dict | None = None) -> Manifest:
    return Manifest(
        asset=asset,
        partition="date=2026-11-21/shard=0",
        row_count=rows,
        content_hash="0" * 64,
        code_version="1-abc",
        upstream={},
        seed=None,
        config={"renamed": {"docs.web_read": "docs_web_read"}} if asset == "tool_catalog" else {},
        rejected=rejected or {},
        columns=[],
        files={},
    )


def test_an_offline_run_is_described_as_offline():
    assert card.roles([record()]) == {
        "task writer": "offline-template",
        "teacher agent": "oracle (offline)",
        "simulated user": "offline (scripted)",
        "simulated APIs": "offline (executable world)",
        "baseline agent": "offline (heuristic)",
        "judge": "rule checks",
    }


def test_an_llm_baseline_user_and_judge_are_named_with_their_models():
    roles = card.roles(
        [
            record(
                baseline="llm:qwen3-8b",
                user=("gpt-4.1-mini", "llm"),
                judge="rules+rubric:llm:gpt-4.1",
            )
        ]
    )

    assert roles["baseline agent"] == "llm (qwen3-8b)"
    assert roles["simulated user"] == "llm (gpt-4.1-mini)"
    assert roles["judge"] == "rule checks, then rubric llm (gpt-4.1)"


def test_a_mixed_day_lists_every_program_it_used():
    roles = card.roles([record(), record(baseline="llm:small")])
    assert roles["baseline agent"] == "llm (small), offline (heuristic)"


def test_the_context_counts_each_stage_and_its_rejections():
    context = card.context(
        seed=7,
        catalogs={
            "tool_catalog": manifest("tool_catalog", 90),
            "tool_graph": manifest("tool_graph", 473),
        },
        shards={"tasks": [manifest("tasks", 148, {"baseline_never_failed": 12})]},
        records=[record()],
        code_version={"tasks": "2-abc"},
    )

    assert context["stages"] == [
        "tool_catalog: 90 tools loaded and validated",
        "tool_graph: 473 data-flow and state edges between tools",
        "tasks: 148 tasks escalated until the baseline agent failed (12 rejected)",
    ]
    assert context["catalog_version"] == "cat-1" and context["graph_version"] == "graph-1"
    assert context["renamed"] == {"docs.web_read": "docs_web_read"}
    assert card.rejections({"tasks": [manifest("tasks", 1, {"x": 2})]}) == {"tasks/x": 2}


def test_a_day_card_counts_the_shards():
    shards = {"tasks": [manifest("tasks", 10), manifest("tasks", 5, {"x": 1})]}
    context = card.context(
        seed=7,
        catalogs={
            "tool_catalog": manifest("tool_catalog", 1),
            "tool_graph": manifest("tool_graph", 0),
        },
        shards=shards,
        records=[record()],
        code_version={},
        day=True,
    )
    assert (
        "tasks: 15 tasks escalated until the baseline agent failed (2 shards, 1 rejected)"
        in context["stages"]
    )
    assert context["stages"][-1].startswith("hub_dataset:")
