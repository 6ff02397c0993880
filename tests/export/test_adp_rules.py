"""The ADP 1.5.0 validator, rule by rule: a good record, then one bad record per violation.

Each bad case states the exact problem text the validator gives, so this file doubles as the
catalogue of its messages: the record id, the item index, the field, and the rule broken.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gauntlet import names
from gauntlet.export.adp_rules import (
    declared_parameters,
    is_numeric_detail_key,
    validate_dataset,
    validate_metadata,
    validate_trajectory,
)
from gauntlet.export.folder import write_adp_folder


def _params(properties: dict, required: list[str], extra: bool = False) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": extra,
    }


DECLARED = {
    "search_flights": _params(
        {
            "origin": {"type": "string"},
            "destination": {"type": "string"},
            "date": {"type": "string", "format": "date"},
        },
        ["origin", "destination", "date"],
    ),
    "get_weather": _params({"city": {"type": "string"}}, ["city"]),
    "book_flight": _params(
        {"flight_id": {"type": "string"}, "passengers": {"type": "integer", "minimum": 1}},
        ["flight_id", "passengers"],
    ),
}

METADATA = {
    "custom_tools": [
        {
            "type": "function",
            "function": {"name": name, "description": f"The {name} tool.", "parameters": params},
        }
        for name, params in sorted(DECLARED.items())
    ],
    "code_enabled": [],
    "browser_enabled": False,
}


def _api(function: str, kwargs: dict, call_id: str, description: str | None = None) -> dict:
    return {
        "class_": "api_action",
        "function": function,
        "kwargs": kwargs,
        "description": description,
        "tool_call_id": call_id,
    }


def _result(name: str, content: str, call_id: str) -> dict:
    return {
        "class_": "text_observation",
        "content": content,
        "source": "environment",
        "name": name,
        "tool_call_id": call_id,
    }


GOOD = {
    "schema_version": "1.5.0",
    "id": "traj-1",
    "content": [
        {
            "class_": "text_observation",
            "content": "You are a travel assistant.\n\nBook the cheapest Paris-Rome flight.",
            "source": "user",
            "name": None,
        },
        _api(
            "search_flights",
            {"origin": "Paris", "destination": "Rome", "date": "2025-06-13"},
            "call_1",
            "Searching.",
        ),
        _api("get_weather", {"city": "Rome"}, "call_2"),
        _result("search_flights", '{"flights": [{"id": "AZ123"}]}', "call_1"),
        _result("get_weather", '{"summary": "sunny"}', "call_2"),
        _api("book_flight", {"flight_id": "AZ123", "passengers": 2}, "call_3"),
        _result("book_flight", '{"booking_id": "BK-1"}', "call_3"),
        {
            "class_": "message_action",
            "content": "Booked AZ123; Rome is sunny.",
            "description": None,
        },
    ],
    "available_custom_tools": ["search_flights", "get_weather", "book_flight"],
    "details": {
        "generator": "gauntlet",
        "generator_version": "0.1.0",
        "task_id": "task-1",
        "catalog_version": "cat-1",
        "graph_version": "graph-1",
        "task_seed": 7,
        "partition": "2025-06-01|shard-0",
        "domains": ["travel"],
        "difficulty_level": 2,
        "difficulty_knobs": ["parallel_branch"],
        "escalation": [{"level": 0, "operator": "base", "baseline_passed": False}],
        "teacher": "oracle",
        "teacher_backend": "offline",
        "writer": "template",
        "verification": {"state_matches": True},
        "judge_scores": {"rubric": 1.0},
        "dedup_cluster": "c-1",
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "calls": 2, "cost_usd": None},
    },
}


@pytest.fixture
def record() -> dict:
    return copy.deepcopy(GOOD)


def test_the_good_record_is_valid(record: dict) -> None:
    assert validate_trajectory(record, DECLARED) == []


def test_good_variants_that_the_rules_allow(record: dict) -> None:
    # rule 1: a last action with no observation after it needs no tool_call_id
    record["content"].append(
        {
            "class_": "api_action",
            "function": "get_weather",
            "kwargs": {"city": "Oslo"},
            "description": None,
        }
    )
    # rule 6: a tool whose schema allows extra properties accepts undeclared keys
    declared = {
        **DECLARED,
        "log_event": _params({"message": {"type": "string"}}, ["message"], True),
    }
    record["available_custom_tools"].append("log_event")
    record["content"][5:5] = [
        _api("log_event", {"message": "booking", "level": "info"}, "call_9"),
        _result("log_event", "ok", "call_9"),
    ]
    # rule 8: naming one tool in the request is not a catalog
    record["content"][0]["content"] += " Use get_weather for Rome."
    # optional keys are fine when present and non-empty
    record["content"][1]["reasoning_content"] = "Cheapest first."
    record["content"][1]["reward"] = 0.5
    assert validate_trajectory(record, declared) == []


Mutation = Callable[[dict], None]


def _set(path: list, value) -> Mutation:
    def mutate(r: dict) -> None:
        target = r
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: list) -> Mutation:
    def mutate(r: dict) -> None:
        target = r
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _insert_first(item: dict) -> Mutation:
    return lambda r: r["content"].insert(0, item)


SHAPE_CASES = {
    "unknown top-level key": (
        _set(["notes"], "x"),
        ["traj-1 (record): Additional properties are not allowed ('notes' was unexpected)"],
    ),
    "unknown item key": (
        _set(["content", 7, "tool_call_id"], "call_3"),
        [
            "traj-1 content[7] message_action: Additional properties are not allowed "
            "('tool_call_id' was unexpected)"
        ],
    ),
    "unknown details key": (
        _set(["details", "notes"], "x"),
        ["traj-1 details: Additional properties are not allowed ('notes' was unexpected)"],
    ),
    "a source ADP does not have": (
        _set(["content", 3, "source"], "system"),
        [
            "traj-1 content[3] text_observation.source: 'system' is not one of "
            "['user', 'agent', 'environment']"
        ],
    ),
    "an empty description instead of null": (
        _set(["content", 1, "description"], ""),
        ["traj-1 content[1] api_action.description: '' should be non-empty"],
    ),
    "name left out instead of null": (
        _delete(["content", 0, "name"]),
        ["traj-1 content[0] text_observation: 'name' is a required property"],
    ),
    "an empty optional key instead of leaving it out": (
        _set(["content", 1, "reward"], None),
        ["traj-1 content[1] api_action.reward: None is not of type 'number'"],
    ),
    "another schema version": (
        _set(["schema_version"], "1.2.0"),
        ["traj-1 schema_version: '1.5.0' was expected"],
    ),
    "usage cost as text": (
        _set(["details", "usage", "cost_usd"], "0.02"),
        ["traj-1 details.usage.cost_usd: '0.02' is not of type 'number', 'null'"],
    ),
}

RULE_CASES = {
    "1: an answered action without an id": (
        _delete(["content", 5, "tool_call_id"]),
        [
            "traj-1 content[5] api_action.tool_call_id: missing, but the next item answers it "
            "(rule 1)",
            "traj-1 content[6] text_observation.tool_call_id: 'call_3' answers no earlier "
            "action (rule 3)",
        ],
    ),
    "2: two actions with one id": (
        _set(["content", 2, "tool_call_id"], "call_1"),
        [
            "traj-1 content[2] api_action.tool_call_id: 'call_1' repeats content[1] (rule 2)",
            "traj-1 content[4] text_observation.tool_call_id: 'call_2' answers no earlier "
            "action (rule 3)",
        ],
    ),
    "3: a result before its action": (
        _set(["content", 3, "tool_call_id"], "call_3"),
        [
            "traj-1 content[3] text_observation.tool_call_id: 'call_3' answers no earlier "
            "action (rule 3)",
            "traj-1 content[1] api_action.tool_call_id: 'call_1' is never answered by an "
            "observation (rule 3)",
        ],
    ),
    "3: one action answered twice": (
        _set(["content", 4, "tool_call_id"], "call_1"),
        [
            "traj-1 content[4] text_observation.tool_call_id: 'call_1' was answered at [3] "
            "(rule 3)",
            "traj-1 content[2] api_action.tool_call_id: 'call_2' is never answered by an "
            "observation (rule 3)",
        ],
    ),
    "3: an action never answered": (
        _delete(["content", 6]),
        [
            "traj-1 content[5] api_action.tool_call_id: 'call_3' is never answered by an "
            "observation (rule 3)"
        ],
    ),
    "4: a tool result from the user": (
        _set(["content", 3, "source"], "user"),
        [
            "traj-1 content[3] text_observation.source: a tool result cannot come from the "
            "user (rule 4)"
        ],
    ),
    "5: a call to an undeclared tool": (
        _set(["content", 2, "function"], "get_forecast"),
        [
            "traj-1 content[2] api_action.function: 'get_forecast' is not in "
            "available_custom_tools (rule 5)",
            "traj-1 content[2] api_action.function: 'get_forecast' is not declared in "
            "metadata.json (rule 5)",
        ],
    ),
    "5: offering an undeclared tool": (
        lambda r: r["available_custom_tools"].append("get_forecast"),
        [
            "traj-1 available_custom_tools[3]: 'get_forecast' is not declared in metadata.json "
            "(rule 5)"
        ],
    ),
    "5: a call to a tool not offered": (
        _set(["available_custom_tools"], ["search_flights", "get_weather"]),
        [
            "traj-1 content[5] api_action.function: 'book_flight' is not in "
            "available_custom_tools (rule 5)"
        ],
    ),
    "5: calls without available_custom_tools": (
        _delete(["available_custom_tools"]),
        [
            f"traj-1 content[{i}] api_action.function: '{name}' is called but "
            "available_custom_tools is missing (rule 5)"
            for i, name in [(1, "search_flights"), (2, "get_weather"), (5, "book_flight")]
        ],
    ),
    "6: a required parameter missing": (
        _set(["content", 2, "kwargs"], {}),
        ["traj-1 content[2] api_action.kwargs: 'city' is a required property (rule 6)"],
    ),
    "6: an undeclared parameter": (
        _set(["content", 2, "kwargs", "units"], "celsius"),
        [
            "traj-1 content[2] api_action.kwargs: Additional properties are not allowed "
            "('units' was unexpected) (rule 6)"
        ],
    ),
    "6: a value of the wrong type": (
        _set(["content", 5, "kwargs", "passengers"], "2"),
        ["traj-1 content[5] api_action.kwargs.passengers: '2' is not of type 'integer' (rule 6)"],
    ),
    "6: a value of the wrong format": (
        _set(["content", 1, "kwargs", "date"], "tomorrow"),
        ["traj-1 content[1] api_action.kwargs.date: 'tomorrow' is not a 'date' (rule 6)"],
    ),
    "6: a JSON-encoded string": (
        _set(["content", 2, "kwargs", "city"], '"Rome"'),
        [
            "traj-1 content[2] api_action.kwargs.city: a JSON-encoded string; write the native "
            "value (rule 6)"
        ],
    ),
    "7: a system prompt in details": (
        _set(["details", "system_prompt"], "You are a travel assistant."),
        [
            "traj-1 details: Additional properties are not allowed "
            "('system_prompt' was unexpected)",
            "traj-1 details.system_prompt: details holds no system prompt (rule 7)",
        ],
    ),
    "7: available tools in details": (
        _set(["details", "available_tools"], ["get_weather"]),
        [
            "traj-1 details: Additional properties are not allowed "
            "('available_tools' was unexpected)",
            "traj-1 details.available_tools: available_* keys belong at the top level (rule 7)",
        ],
    ),
    "7: a score written as text": (
        _set(["details", "judge_score"], "0.9"),
        [
            "traj-1 details: Additional properties are not allowed ('judge_score' was unexpected)",
            "traj-1 details.judge_score: '0.9' should be a number, as its name says (rule 7)",
        ],
    ),
    "7: a success flag as a boolean": (
        _set(["details", "task_success"], True),
        [
            "traj-1 details: Additional properties are not allowed ('task_success' was unexpected)",
            "traj-1 details.task_success: True should be a number, as its name says (rule 7)",
        ],
    ),
    "8: the agent speaks first": (
        _insert_first({"class_": "message_action", "content": "Hi!", "description": None}),
        [
            "traj-1 content[0]: must open with a user text_observation, found message_action "
            "from None (rule 8)"
        ],
    ),
    "8: a tool catalog as JSON in the prompt": (
        _set(["content", 0, "content"], "Tools: " + json.dumps(METADATA["custom_tools"][:1])),
        [
            "traj-1 content[0] text_observation.content: holds a tool catalog; tools live in "
            "metadata.json (rule 8)"
        ],
    ),
    "8: every offered tool listed in the prompt": (
        _set(["content", 0, "content"], "Use search_flights, get_weather or book_flight."),
        [
            "traj-1 content[0] text_observation.content: holds a tool catalog; tools live in "
            "metadata.json (rule 8)"
        ],
    ),
}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    list({**SHAPE_CASES, **RULE_CASES}.values()),
    ids=list({**SHAPE_CASES, **RULE_CASES}),
)
def test_each_bad_record_gets_its_problem_named(record: dict, mutate, expected) -> None:
    mutate(record)
    assert validate_trajectory(record, DECLARED) == expected


def test_9_a_reserved_name_is_refused_even_when_declared(record: dict) -> None:
    declared = {**DECLARED, "Finish": _params({"message": {"type": "string"}}, ["message"])}
    record["available_custom_tools"].append("Finish")
    record["content"][7:7] = [
        _api("Finish", {"message": "done"}, "call_4"),
        _result("Finish", "ok", "call_4"),
    ]
    assert validate_trajectory(record, declared) == [
        "traj-1 available_custom_tools[3]: 'Finish' is a reserved ADP name; rename it on "
        "import (rule 9)",
        "traj-1 content[7] api_action.function: 'Finish' is a reserved ADP name; rename it on "
        "import (rule 9)",
    ]


def test_the_reserved_names_cover_the_adp_contract_and_adp_tooling() -> None:
    contract = "finish think submit stop bash terminal python click type fill goto scroll back"
    for name in [*contract.split(), "hover", "press", "noop", "execute_bash", "str_replace_editor"]:
        assert name in names.ADP_RESERVED_NAMES
    assert names.is_reserved("Goto") and not names.is_reserved("get_weather")


def test_numeric_looking_detail_keys() -> None:
    for key in ["reward", "score", "step", "tool_call_count", "rollout_number", "pass_rate"]:
        assert is_numeric_detail_key(key)
    for key in ["task_seed", "difficulty_level", "judge_scores", "source_id", "teacher"]:
        assert not is_numeric_detail_key(key)


def test_a_record_that_is_not_an_object() -> None:
    assert validate_trajectory(["traj-1"], DECLARED) == [
        "(no id): a trajectory must be a JSON object, not list"
    ]


# --- metadata.json --------------------------------------------------------------------------


def test_good_metadata_is_valid() -> None:
    assert validate_metadata(METADATA) == []
    assert declared_parameters(METADATA) == DECLARED


METADATA_CASES = {
    "strict is not an ADP key": (
        ["custom_tools", 0, "function", "strict"],
        True,
        "metadata.json custom_tools[0].function: Additional properties are not allowed "
        "('strict' was unexpected)",
    ),
    "an unknown top-level key": (
        ["version"],
        "1",
        "metadata.json (root): Additional properties are not allowed ('version' was unexpected)",
    ),
    "parameters must forbid extra keys": (
        ["custom_tools", 1, "function", "parameters", "additionalProperties"],
        True,
        "metadata.json custom_tools[1].function.parameters.additionalProperties: False was "
        "expected",
    ),
    "parameters must be a real JSON Schema": (
        ["custom_tools", 1, "function", "parameters", "properties", "city", "type"],
        "text",
        "metadata.json custom_tools[1].function.parameters: not a valid JSON Schema: 'text' is "
        "not valid under any of the given schemas",
    ),
    "every property has a type": (
        ["custom_tools", 1, "function", "parameters", "properties", "city"],
        {"description": "a city"},
        "metadata.json custom_tools[1].function.parameters.properties.city: declares no type",
    ),
    "required names a property": (
        ["custom_tools", 1, "function", "parameters", "required"],
        ["town"],
        "metadata.json custom_tools[1].function.parameters.required: 'town' is required but "
        "not a property",
    ),
    "a reserved name": (
        ["custom_tools", 1, "function", "name"],
        "click",
        "metadata.json custom_tools[1].function.name: 'click' is a reserved ADP name; rename it "
        "(rule 9)",
    ),
    "a name declared twice": (
        ["custom_tools", 1, "function", "name"],
        "book_flight",
        "metadata.json custom_tools[1].function.name: 'book_flight' is already declared at [0]",
    ),
}


@pytest.mark.parametrize(
    ("path", "value", "expected"), list(METADATA_CASES.values()), ids=list(METADATA_CASES)
)
def test_each_bad_metadata_gets_its_problem_named(path: list, value, expected: str) -> None:
    meta = copy.deepcopy(METADATA)
    _set(path, value)(meta)
    assert validate_metadata(meta) == [expected]


# --- the dataset folder ---------------------------------------------------------------------


def _records(count: int) -> list[dict]:
    out = []
    for index in range(count):
        rec = copy.deepcopy(GOOD)
        rec["id"] = f"traj-{index}"
        out.append(rec)
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_adp_folder(tmp_path / "adp", _records(4), METADATA)
    assert validate_dataset(tmp_path / "adp") == []
    return tmp_path / "adp"


def test_a_missing_folder_reports_each_file(tmp_path: Path) -> None:
    assert validate_dataset(tmp_path / "nowhere") == [
        "metadata.json: missing",
        "trajectories.jsonl: missing",
        "sample_std.json: missing",
    ]


def test_ids_are_unique_across_the_dataset(folder: Path) -> None:
    jsonl = folder / "trajectories.jsonl"
    lines = jsonl.read_text().splitlines()
    jsonl.write_text("\n".join([*lines, lines[1]]) + "\n")
    assert validate_dataset(folder) == ["trajectories.jsonl line 5: id 'traj-1' repeats line 2"]


def test_every_line_is_validated_and_named(folder: Path) -> None:
    jsonl = folder / "trajectories.jsonl"
    lines = jsonl.read_text().splitlines()
    bad = json.loads(lines[3])
    bad["content"][2]["kwargs"] = {"town": "Rome"}
    jsonl.write_text("\n".join([*lines[:3], json.dumps(bad), "{not json"]) + "\n")
    assert validate_dataset(folder) == [
        "trajectories.jsonl line 4: traj-3 content[2] api_action.kwargs: Additional properties "
        "are not allowed ('town' was unexpected) (rule 6)",
        "trajectories.jsonl line 4: traj-3 content[2] api_action.kwargs: 'city' is a required "
        "property (rule 6)",
        "trajectories.jsonl line 5: not JSON (Expecting property name enclosed in double quotes)",
        "sample_std.json[3]: 'traj-3' differs from its trajectories.jsonl line",
    ]


def test_calls_are_checked_against_the_folders_metadata(folder: Path) -> None:
    meta = copy.deepcopy(METADATA)
    meta["custom_tools"] = meta["custom_tools"][1:]  # book_flight no longer declared
    (folder / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    problems = validate_dataset(folder)
    assert (
        "trajectories.jsonl line 1: traj-0 content[5] api_action.function: 'book_flight' is not "
        "declared in metadata.json (rule 5)" in problems
    )
    assert len(problems) == 2 * 4 * 2  # per record: offered + called, in the jsonl and the sample


def test_metadata_and_sample_keep_their_byte_format(folder: Path) -> None:
    (folder / "metadata.json").write_text(json.dumps(METADATA))
    sample = json.loads((folder / "sample_std.json").read_text())
    (folder / "sample_std.json").write_text(json.dumps(sample, indent=4) + "\n")
    assert validate_dataset(folder) == [
        "metadata.json: not written as json.dumps(indent=2) + newline",
        "sample_std.json: not written as json.dumps(indent=2) + newline",
    ]


def test_the_sample_holds_three_to_five_records_of_the_dataset(folder: Path) -> None:
    sample = json.loads((folder / "sample_std.json").read_text())
    stranger = copy.deepcopy(sample[0]) | {"id": "traj-99"}
    too_many = [*sample, sample[0], stranger]
    (folder / "sample_std.json").write_text(json.dumps(too_many, indent=2) + "\n")
    assert validate_dataset(folder) == [
        "sample_std.json: holds 6 records, needs 3 to 5",
        "sample_std.json[4]: id 'traj-0' appears twice in the sample",
        "sample_std.json[5]: 'traj-99' is not in trajectories.jsonl",
    ]
    (folder / "sample_std.json").write_text(json.dumps({"records": sample}, indent=2) + "\n")
    assert validate_dataset(folder) == ["sample_std.json: must be a JSON array of records"]


def test_an_empty_dataset(tmp_path: Path) -> None:
    write_adp_folder(tmp_path / "adp", [], METADATA)
    assert validate_dataset(tmp_path / "adp") == [
        "trajectories.jsonl: no records",
        "sample_std.json: holds 0 records, needs 3 to 5",
    ]
