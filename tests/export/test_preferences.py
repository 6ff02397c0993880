"""The `preferences` Hub config: on the same task, the teacher's verified trajectory (chosen)
against the baseline's failed attempt at the kept level (rejected), re-run at export time."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest

from gauntlet.agents.heuristic import HeuristicBaseline
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.catalog.index import ToolIndex
from gauntlet.export import hub
from gauntlet.export.card import write_card
from gauntlet.export.preferences import BASELINE_PASSED, pairs_from, split_prompt, write_preferences
from gauntlet.export.sft import message_row
from gauntlet.llm.errors import RequestFailed
from gauntlet.stages.export import baseline_attempts
from gauntlet.stages.roles import Roles
from gauntlet.verify import rules
from gauntlet.world.schema import infer


def preference_pairs(kept, tools, roles):
    """The export stage's preference step: re-run the baseline, then pair."""
    return pairs_from(kept, baseline_attempts(kept, tools, infer(tools), roles), tools)


class SolvesSome:
    """A baseline that plays the oracle on the given tasks and the heuristic elsewhere."""

    identity = {"role": "baseline", "name": "solves-some", "backend": "offline"}

    def __init__(self, solved: list[dict]) -> None:
        self.solved = {task["user_message"]: task for task in solved}

    def episode(self, view):
        task = self.solved.get(view.user_message)
        return (OracleTeacher(task) if task else HeuristicBaseline()).episode(view)


class BaselineRoles(Roles):
    """Offline roles whose baseline is the given agent."""

    def __init__(self, agent) -> None:
        super().__init__()
        self.agent = agent

    def baselines(self):
        return [self.agent]


class OutOfRetries:
    identity = {"role": "baseline", "name": "down", "backend": "llm"}

    def episode(self, view):
        raise RequestFailed("timeout", "http://localhost:1/v1", 3, "no answer")
        yield  # a generator, like every agent


def test_the_prompt_is_the_system_and_first_user_messages() -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Cancel booking B-1."},
        {"role": "assistant", "content": "Done."},
        {"role": "user", "content": "Thanks."},
    ]
    assert split_prompt(messages) == (messages[:2], messages[2:])
    assert split_prompt(messages[1:]) == (messages[1:2], messages[2:])
    with pytest.raises(ValueError, match="opening user message"):
        split_prompt([{"role": "system", "content": "x"}, {"role": "assistant", "content": "y"}])


def test_every_kept_task_pairs_the_teacher_with_the_failing_baseline(kept, default_tools):
    pairs = preference_pairs(kept, default_tools, Roles())
    assert pairs.skipped == []  # offline the baseline fails the kept level again, every time
    assert len(pairs.rows) == len(kept)
    index = ToolIndex(default_tools)
    for record, row in zip(kept, pairs.rows, strict=True):
        task, teacher = record["task"], record["trajectory"]
        assert row["task_id"] == task["id"]
        assert row["id"] == f"{teacher['id']}-vs-heuristic"
        assert row["difficulty_level"] == task["difficulty"]["level"]
        assert [m["role"] for m in row["prompt"]] == ["system", "user"]
        assert row["prompt"] == [message_row(m) for m in teacher["messages"][:2]]
        assert row["chosen"] == [message_row(m) for m in teacher["messages"][2:]]
        [attempt] = baseline_attempts([record], default_tools, infer(default_tools), Roles())
        assert not rules.passed(rules.verify(task, attempt, index))
        assert row["rejected"] == [message_row(m) for m in attempt["messages"][2:]]
        assert row["rejected"] != row["chosen"]
        assert [t["function"]["name"] for t in json.loads(row["tools"])] == task["tools"]
    stats = pairs.stats()
    assert stats["pairs"] == stats["tasks"] == len(kept)
    assert sum(stats["baseline_failures"].values()) == len(kept)


def test_a_task_the_baseline_now_solves_gives_no_pair_and_is_counted(kept, default_tools):
    solved = [r["task"] for r in kept[:3]]
    pairs = preference_pairs(kept, default_tools, BaselineRoles(SolvesSome(solved)))
    assert [s["id"] for s in pairs.skipped] == [t["id"] for t in solved]
    assert {s["reason"] for s in pairs.skipped} == {BASELINE_PASSED}
    assert len(pairs.rows) == len(kept) - 3
    assert pairs.stats()["skipped"] == {BASELINE_PASSED: 3}


def test_a_baseline_request_out_of_retries_skips_that_pair_with_a_reason(kept, default_tools):
    pairs = preference_pairs(kept[:2], default_tools, BaselineRoles(OutOfRetries()))
    assert pairs.rows == []
    assert pairs.stats()["skipped"] == {"baseline_llm_timeout": 2}


def test_load_dataset_reads_the_preferences_config(
    tmp_path: Path, kept, default_tools, card_context, load_offline, message_features
) -> None:
    pairs = preference_pairs(kept, default_tools, Roles())
    splits = hub.assign_splits(r["task"]["id"] for r in kept)
    rows = write_preferences(tmp_path, pairs, splits)
    write_card(tmp_path, {}, card_context)
    ds = load_offline(tmp_path, "preferences")

    assert {split: ds[split].num_rows for split in ds} == rows
    assert set(rows) == {"train", "validation"} and sum(rows.values()) == len(pairs.rows)
    assert ds["train"].features == datasets.Features(
        {
            "id": datasets.Value("string"),
            "task_id": datasets.Value("string"),
            "prompt": datasets.List(message_features),
            "chosen": datasets.List(message_features),
            "rejected": datasets.List(message_features),
            "tools": datasets.Value("string"),
            "difficulty_level": datasets.Value("int64"),
        }
    )
    seen: dict[str, set[str]] = {}
    for split in ds:
        for row in ds[split]:
            seen.setdefault(row["task_id"], set()).add(split)
            assert splits[row["task_id"]] == split  # the folder's one mapping
            assert row["prompt"][0]["role"] == "system" and row["chosen"][-1]["role"] == "assistant"
    assert all(len(s) == 1 for s in seen.values())  # no task in both splits


def test_no_pairs_writes_no_config(tmp_path: Path, kept, default_tools) -> None:
    solved = [r["task"] for r in kept]
    pairs = preference_pairs(kept, default_tools, BaselineRoles(SolvesSome(solved)))
    assert write_preferences(tmp_path, pairs, {}) == {}
    assert not (tmp_path / "data" / "preferences").exists()
