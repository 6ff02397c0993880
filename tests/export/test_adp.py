"""Judged record -> ADP 1.5.0 trajectory, metadata.json, and the adp/ folder on disk.

The fixture is a small travel catalog and one judged episode: the system prompt, the user's
request, the agent asking for a withheld fact, the user answering, two parallel calls
(A1 A2 O1 O2), a follow-up call, and the final answer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from gauntlet import records
from gauntlet.export.adp import metadata_json, to_adp
from gauntlet.export.adp_rules import (
    declared_parameters,
    validate_dataset,
    validate_metadata,
    validate_trajectory,
)
from gauntlet.export.folder import write_adp_folder

SYSTEM = "You are a travel assistant. Ask the user for any detail you are missing."
REQUEST = "Book the cheapest flight from Paris to Rome for two people, and tell me the weather."


def _object(properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


TOOLS = [
    {
        "name": "search_flights",
        "description": "Find flights between two cities on a date, cheapest first.",
        "parameters": _object(
            {
                "origin": {"type": "string"},
                "destination": {"type": "string"},
                "date": {"type": "string", "format": "date"},
            },
            ["origin", "destination", "date"],
        ),
        "returns": _object({"flights": {"type": "array"}}, ["flights"]),
        "effect": "read",
        "domain": "travel",
    },
    {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": _object({"city": {"type": "string"}}, ["city"]),
        "returns": _object({"summary": {"type": "string"}}, ["summary"]),
        "effect": "read",
        "domain": "travel",
    },
    {
        "name": "book_flight",
        "description": "Book seats on a flight.",
        "parameters": _object(
            {"flight_id": {"type": "string"}, "passengers": {"type": "integer", "minimum": 1}},
            ["flight_id", "passengers"],
        ),
        "returns": _object({"booking_id": {"type": "string"}}, ["booking_id"]),
        "effect": "write",
        "domain": "travel",
        "source": {"file": "data/catalogs/travel.json", "original_name": "bookFlight"},
    },
    {
        "name": "cancel_booking",
        "description": "Cancel a booking by id.",
        "parameters": _object({"booking_id": {"type": "string"}}, ["booking_id"]),
        "returns": _object({"cancelled": {"type": "boolean"}}, ["cancelled"]),
        "effect": "write",
        "domain": "travel",
    },
]

TASK = {
    "id": "task-7",
    "seed": 1234,
    "domains": ["travel"],
    "tools": ["search_flights", "get_weather", "book_flight", "cancel_booking"],
    "user_message": REQUEST,
    "facts": [
        {"key": "origin", "value": "Paris", "withheld": False},
        {"key": "destination", "value": "Rome", "withheld": False},
        {"key": "date", "label": "travel date", "value": "2025-06-13", "withheld": True},
    ],
    "plan": [
        {
            "call_id": "p1",
            "tool": "search_flights",
            "arguments": {"origin": {"fact": "origin"}, "date": {"fact": "date"}},
        },
        {"call_id": "p2", "tool": "get_weather", "arguments": {"city": {"fact": "destination"}}},
        {
            "call_id": "p3",
            "tool": "book_flight",
            "arguments": {"flight_id": {"ref": "p1", "pointer": "/flights/0/id"}},
        },
    ],
    "context": {},
    "world": {
        "domain": "travel",
        "seed": 7,
        "now": "2026-11-21",
        "me": "TRV-1",
        "session": None,
        "digest": "cd34",
    },
    "expected": {
        "answer_facts": [{"call_id": "p3", "pointer": "/booking_id", "value": "BK-1"}],
        "world_diff": {
            "inserted": {"booking": [{"booking_id": "BK-1"}]},
            "updated": {},
            "deleted": {},
        },
        "world_diff_hash": "ab12",
        "witnesses": [],
    },
    "faults": [],
    "difficulty": {"level": 2, "knobs": ["withheld_fact", "parallel_branch"]},
    "escalation": [
        {"level": 0, "operator": "base", "baseline_passed": True, "baseline_reason": None},
        {"level": 1, "operator": "withhold_fact", "baseline_passed": True},
        {
            "level": 2,
            "operator": "parallel_branch",
            "baseline_passed": False,
            "baseline_reason": "missing_call",
        },
    ],
    "provenance": {
        "generator": "gauntlet",
        "generator_version": "0.1.0",
        "catalog_version": "cat-5f3a",
        "graph_version": "graph-91c2",
        "seed": 1234,
        "partition": "2025-06-01|shard-0",
        "writer": "template",
    },
}


def _call(call_id: str, name: str, arguments: dict) -> dict:
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }


FLIGHTS = {"flights": [{"id": "AZ123", "price": 89.5}]}
MESSAGES = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": REQUEST},
    {"role": "assistant", "content": "Which date do you want to fly?"},
    {"role": "user", "content": "June 13th, 2025."},
    {
        "role": "assistant",
        "content": "Searching flights and checking the weather in Rome.",
        "tool_calls": [
            _call(
                "call_1",
                "search_flights",
                {"origin": "Paris", "destination": "Rome", "date": "2025-06-13"},
            ),
            _call("call_2", "get_weather", {"city": "Rome"}),
        ],
    },
    {
        "role": "tool",
        "tool_call_id": "call_1",
        "name": "search_flights",
        "content": json.dumps(FLIGHTS),
    },
    {
        "role": "tool",
        "tool_call_id": "call_2",
        "name": "get_weather",
        "content": '{"summary": "sunny"}',
    },
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [_call("call_3", "book_flight", {"flight_id": "AZ123", "passengers": 2})],
    },
    {
        "role": "tool",
        "tool_call_id": "call_3",
        "name": "book_flight",
        "content": '{"booking_id": "BK-1"}',
    },
    {"role": "assistant", "content": "Booked flight AZ123 (booking BK-1). Rome is sunny."},
]

TRAJECTORY = {
    "id": "traj-7-0",
    "task_id": "task-7",
    "agent": {"role": "teacher", "name": "oracle", "backend": "offline"},
    "messages": MESSAGES,
    "tools": ["search_flights", "get_weather", "book_flight", "cancel_booking"],
    "final_answer": "Booked flight AZ123 (booking BK-1). Rome is sunny.",
    "world_diff": {"inserted": {"booking": [{"booking_id": "BK-1"}]}, "updated": {}, "deleted": {}},
    "world_diff_hash": "ab12",
    "outcome": {"completed": True, "steps": 3, "error": None},
    "usage": {"prompt_tokens": None, "completion_tokens": None, "calls": 0, "cost_usd": None},
}

VERDICT = {
    "trajectory_id": "traj-7-0",
    "task_id": "task-7",
    "checks": [
        {"name": "schema_valid", "passed": True, "reason": None},
        {"name": "state_matches", "passed": True, "reason": None, "detail": None},
        {"name": "answer_facts", "passed": True, "reason": None},
    ],
    "scores": {"rubric": 0.9, "diversity": 0.4},
    "rationale": None,
    "dedup_cluster": "cluster-3",
    "keep": True,
    "reject_reason": None,
}


@pytest.fixture
def judged() -> dict:
    """A judged record whose parts validate against schemas/ (checked here, not assumed)."""
    record = copy.deepcopy({"task": TASK, "trajectory": TRAJECTORY, "verdict": VERDICT})
    for kind in ("task", "trajectory", "verdict"):
        assert records.errors(kind, record[kind]) == []
    for tool in TOOLS:
        assert records.errors("tool", tool) == []
    return record


@pytest.fixture
def adp(judged: dict) -> dict:
    return to_adp(judged, generator_version="0.1.0")


def test_the_record_has_the_adp_envelope(adp: dict) -> None:
    assert list(adp) == ["schema_version", "id", "content", "available_custom_tools", "details"]
    assert adp["schema_version"] == "1.5.0"
    assert adp["id"] == "traj-7-0"


def test_system_text_is_folded_into_the_opening_user_message(adp: dict) -> None:
    assert adp["content"][0] == {
        "class_": "text_observation",
        "content": SYSTEM + "\n\n" + REQUEST,
        "source": "user",
        "name": None,
    }


def test_a_question_and_the_users_answer(adp: dict) -> None:
    assert adp["content"][1:3] == [
        {
            "class_": "message_action",
            "content": "Which date do you want to fly?",
            "description": None,
        },
        {
            "class_": "text_observation",
            "content": "June 13th, 2025.",
            "source": "user",
            "name": None,
        },
    ]


def test_parallel_calls_are_written_a1_a2_o1_o2(adp: dict) -> None:
    a1, a2, o1, o2 = adp["content"][3:7]
    assert a1 == {
        "class_": "api_action",
        "function": "search_flights",
        "kwargs": {"origin": "Paris", "destination": "Rome", "date": "2025-06-13"},
        "description": "Searching flights and checking the weather in Rome.",
        "tool_call_id": "call_1",
    }
    assert a2["description"] is None  # the assistant's text goes on the first action only
    assert (a2["function"], a2["tool_call_id"]) == ("get_weather", "call_2")
    assert o1 == {
        "class_": "text_observation",
        "content": json.dumps(FLIGHTS),
        "source": "environment",
        "name": "search_flights",
        "tool_call_id": "call_1",
    }
    assert (o2["name"], o2["tool_call_id"], o2["source"]) == (
        "get_weather",
        "call_2",
        "environment",
    )


def test_kwargs_are_native_json_values(adp: dict) -> None:
    book = adp["content"][7]
    assert book["kwargs"] == {"flight_id": "AZ123", "passengers": 2}
    assert isinstance(book["kwargs"]["passengers"], int)
    assert book["description"] is None  # the assistant said nothing with this call


def test_the_final_answer_is_a_message_action(adp: dict) -> None:
    assert adp["content"][-1] == {
        "class_": "message_action",
        "content": "Booked flight AZ123 (booking BK-1). Rome is sunny.",
        "description": None,
    }
    assert len(adp["content"]) == 10


def test_available_custom_tools_is_the_task_menu_as_given(adp: dict) -> None:
    assert adp["available_custom_tools"] == TRAJECTORY["tools"]


def test_available_custom_tools_is_left_out_when_empty(judged: dict) -> None:
    judged["trajectory"]["tools"] = []
    assert "available_custom_tools" not in to_adp(judged, "0.1.0")


def test_details_carry_the_provenance(adp: dict) -> None:
    assert adp["details"] == {
        "generator": "gauntlet",
        "generator_version": "0.1.0",
        "task_id": "task-7",
        "catalog_version": "cat-5f3a",
        "graph_version": "graph-91c2",
        "task_seed": 1234,
        "partition": "2025-06-01|shard-0",
        "domains": ["travel"],
        "difficulty_level": 2,
        "difficulty_knobs": ["withheld_fact", "parallel_branch"],
        "escalation": [
            {"level": 0, "operator": "base", "baseline_passed": True},
            {"level": 1, "operator": "withhold_fact", "baseline_passed": True},
            {"level": 2, "operator": "parallel_branch", "baseline_passed": False},
        ],
        "teacher": "oracle",
        "teacher_backend": "offline",
        "writer": "template",
        "verification": {"schema_valid": True, "state_matches": True, "answer_facts": True},
        "judge_scores": {"rubric": 0.9, "diversity": 0.4},
        "dedup_cluster": "cluster-3",
        "usage": {"prompt_tokens": None, "completion_tokens": None, "calls": 0, "cost_usd": None},
    }


def test_a_converted_record_passes_the_validator(adp: dict) -> None:
    assert validate_trajectory(adp, declared_parameters(metadata_json(TOOLS))) == []


def test_conversion_is_deterministic_and_leaves_its_input_alone(judged: dict) -> None:
    before = copy.deepcopy(judged)
    first = json.dumps(to_adp(judged, "0.1.0"))
    assert json.dumps(to_adp(judged, "0.1.0")) == first
    assert judged == before


def test_without_a_system_message_the_user_text_opens_alone(judged: dict) -> None:
    judged["trajectory"]["messages"] = judged["trajectory"]["messages"][1:]
    assert to_adp(judged, "0.1.0")["content"][0]["content"] == REQUEST


def test_empty_arguments_mean_no_kwargs(judged: dict) -> None:
    judged["trajectory"]["messages"][7]["tool_calls"][0]["function"]["arguments"] = ""
    assert to_adp(judged, "0.1.0")["content"][7]["kwargs"] == {}


def _late_system(r: dict) -> None:
    r["trajectory"]["messages"].insert(3, {"role": "system", "content": "Be brief."})


def _array_arguments(r: dict) -> None:
    r["trajectory"]["messages"][7]["tool_calls"][0]["function"]["arguments"] = "[1, 2]"


def _broken_arguments(r: dict) -> None:
    r["trajectory"]["messages"][7]["tool_calls"][0]["function"]["arguments"] = '{"flight_id": '


def _empty_assistant(r: dict) -> None:
    r["trajectory"]["messages"][-1]["content"] = "  "


def _assistant_opens(r: dict) -> None:
    r["trajectory"]["messages"][1] = {"role": "assistant", "content": "Hello!"}


def _other_task(r: dict) -> None:
    r["verdict"]["task_id"] = "task-8"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_late_system, "messages[3]: a system message after the opening"),
        (_array_arguments, "messages[7] tool_calls[0]: arguments are a list, not a JSON object"),
        (_broken_arguments, "messages[7] tool_calls[0]: arguments are not JSON"),
        (_empty_assistant, "messages[9]: assistant message with neither text nor tool calls"),
        (_assistant_opens, "messages[1]: ADP needs an opening user message"),
        (_other_task, "verdict is for trajectory 'traj-7-0' of task 'task-8'"),
    ],
)
def test_records_adp_cannot_express_are_refused_by_name(judged: dict, mutate, message) -> None:
    mutate(judged)
    with pytest.raises(ValueError, match="^traj-7-0") as info:
        to_adp(judged, "0.1.0")
    assert message in str(info.value)


def test_metadata_json_declares_each_tool_once_sorted_by_name() -> None:
    meta = metadata_json(TOOLS)
    assert list(meta) == ["custom_tools", "code_enabled", "browser_enabled"]
    assert [t["function"]["name"] for t in meta["custom_tools"]] == [
        "book_flight",
        "cancel_booking",
        "get_weather",
        "search_flights",
    ]
    assert meta["custom_tools"][2] == {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city.",
            "parameters": TOOLS[1]["parameters"],
        },
    }
    assert (meta["code_enabled"], meta["browser_enabled"]) == ([], False)
    assert validate_metadata(meta) == []


def test_metadata_json_refuses_a_name_declared_twice() -> None:
    with pytest.raises(ValueError, match="get_weather"):
        metadata_json([*TOOLS, TOOLS[1]])


def _dataset(judged: dict, count: int) -> list[dict]:
    """`count` distinct valid ADP records made from the fixture episode."""
    out = []
    for index in range(count):
        record = to_adp(judged, "0.1.0")
        record["id"] = f"traj-7-{index}"
        out.append(record)
    return out


def test_the_adp_folder_has_the_contracts_bytes(tmp_path: Path, judged: dict) -> None:
    records_ = _dataset(judged, 6)
    meta = metadata_json(TOOLS)
    write_adp_folder(tmp_path / "adp", records_, meta)
    folder = tmp_path / "adp"
    assert sorted(p.name for p in folder.iterdir()) == [
        "metadata.json",
        "sample_std.json",
        "trajectories.jsonl",
    ]
    assert (folder / "metadata.json").read_text() == json.dumps(
        meta, indent=2, ensure_ascii=False
    ) + "\n"
    lines = (folder / "trajectories.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in records_]
    sample = (folder / "sample_std.json").read_text()
    assert sample == json.dumps(records_[:5], indent=2, ensure_ascii=False) + "\n"
    assert validate_dataset(folder) == []


def test_the_adp_folder_is_byte_deterministic_and_replaced_whole(
    tmp_path: Path, judged: dict
) -> None:
    meta = metadata_json(TOOLS)
    write_adp_folder(tmp_path / "a", _dataset(judged, 4), meta)
    write_adp_folder(tmp_path / "b", _dataset(judged, 4), meta)
    for name in ("metadata.json", "trajectories.jsonl", "sample_std.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    (tmp_path / "a" / "stale.txt").write_text("from an earlier run")
    write_adp_folder(tmp_path / "a", _dataset(judged, 3), meta)
    assert not (tmp_path / "a" / "stale.txt").exists()
    assert len((tmp_path / "a" / "trajectories.jsonl").read_text().splitlines()) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]  # no staging left behind


def test_a_small_dataset_is_written_and_the_validator_says_why_it_fails(
    tmp_path: Path, judged: dict
) -> None:
    write_adp_folder(tmp_path / "adp", _dataset(judged, 2), metadata_json(TOOLS))
    assert len(json.loads((tmp_path / "adp" / "sample_std.json").read_text())) == 2
    assert validate_dataset(tmp_path / "adp") == ["sample_std.json: holds 2 records, needs 3 to 5"]
