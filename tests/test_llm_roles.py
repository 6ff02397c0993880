"""Each llm role holds its rules whatever the model answers: checked, re-asked, failed closed."""

from __future__ import annotations

import json

import pytest
from dagster import DagsterInstance, materialize

from assets import ALL_ASSETS, CATALOG_ASSETS
from assets.hub import HubPublisher
from assets.partitions import partition_key
from assets.role_config import LLMConfig, RoleOverride
from assets.settings import GauntletConfig
from gauntlet.agents.llm import LLMAgent
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.episode import run_episode
from gauntlet.llm.client import LLMClient
from gauntlet.llm.settings import RoleSettings, from_env
from gauntlet.llm.types import ChatResponse, Endpoint, Limits, Secret
from gauntlet.tasks.build import TaskRejected, build_task
from gauntlet.tasks.rewrite import rewrite
from gauntlet.testing.server_process import LocalServer
from gauntlet.users import LLMUser
from gauntlet.verify import rubric, rules
from gauntlet.world.schema import infer

MODEL = "gauntlet.testing.scripted_model:respond"


class Canned:
    """A client that answers every request with the same assistant content."""

    def __init__(self, content: str) -> None:
        self.content, self.requests = content, []

    def chat_sync(self, request):
        self.requests.append(request)
        return ChatResponse(
            {"role": "assistant", "content": self.content}, "stop", 10, 2, 0.0, False, None
        )


@pytest.fixture
def task(ctx, blueprint):
    made = build_task(blueprint("cancel_booking", domain="travel"), ctx)
    made["escalation"] = [{"level": 0, "operator": "base", "baseline_passed": False}]
    return made


SETTINGS = RoleSettings(backend="llm", model="scripted")


def test_settings_come_from_the_environment_with_per_role_overrides():
    roles = from_env(
        {
            "GAUNTLET_BACKEND": "llm",
            "GAUNTLET_MODEL": "big",
            "OPENAI_API_KEY": "sk-x",
            "GAUNTLET_BASELINE_MODEL": "small",
            "GAUNTLET_BASELINE_SAMPLES": "3",
            "GAUNTLET_USER_BACKEND": "offline",
        },
        overrides={"judge": {"temperature": 0.7}},
    )
    assert (roles["teacher"].model, roles["baseline"].model, roles["baseline"].samples) == (
        "big",
        "small",
        3,
    )
    assert not roles["user"].is_llm and roles["judge"].temperature == 0.7
    assert "sk-x" not in repr(roles)


def test_an_llm_role_without_a_model_is_a_clear_error():
    with pytest.raises(ValueError, match="GAUNTLET_MODEL"):
        from_env({"GAUNTLET_BACKEND": "llm"})


def test_a_rewrite_that_drops_a_fact_is_rejected_after_bounded_retries(task, ctx):
    client = Canned(json.dumps({"message": "Please cancel my booking, thanks."}))
    with pytest.raises(TaskRejected) as rejected:
        rewrite(task, client, SETTINGS, set(ctx.index.tools))
    assert rejected.value.reason == "rewrite_rejected" and "drops fact" in rejected.value.detail
    assert [r.attempt for r in client.requests] == [0, 1, 2]


def test_a_rewrite_that_names_a_tool_leaks_the_plan(task, ctx):
    facts = " ".join(f"{f['value']}" for f in task["facts"])
    client = Canned(json.dumps({"message": f"Use cancel_booking please. {facts}"}))
    with pytest.raises(TaskRejected, match="names tool cancel_booking"):
        rewrite(task, client, SETTINGS, set(ctx.index.tools))


def test_an_unparseable_verdict_fails_closed(task, ctx):
    trajectory = run_episode(task, OracleTeacher(task), ctx.worlds)
    check, scores, _ = rubric.judge(task, trajectory, Canned("I think it is fine!"), SETTINGS)
    assert check == {
        "name": "rubric",
        "passed": False,
        "reason": "rubric_unparseable",
        "detail": "unparseable",
    }
    assert scores == {}


def test_the_user_never_hangs_up_on_a_question_nor_leaks_a_withheld_fact(task):
    hidden = {**task, "facts": [{**f, "withheld": True} for f in task["facts"]]}
    (fact,) = hidden["facts"]  # the booking ID
    user = LLMUser(hidden, Canned("###STOP###"), SETTINGS)
    reply = user.reply(f"Could you tell me your {fact['label']}?")
    assert reply is not None and f"{fact['label']} is" in reply  # the scripted rule answered
    leaky = LLMUser(hidden, Canned(f"Sure! {fact['value']}"), SETTINGS)
    assert str(fact["value"]) not in (leaky.reply("Could you tell me your email?") or "")


@pytest.fixture(scope="module")
def server():
    with LocalServer(latency_ms=1, model=MODEL) as s:
        yield s


def client_for(server) -> LLMClient:
    endpoint = Endpoint(server.url, Secret("sk-test-KEY"), timeout_s=5)
    return LLMClient(
        endpoint, Limits(concurrency=4), None, None, retry_initial_s=0.01, retry_max_s=0.05
    )


def test_malformed_tool_arguments_are_kept_verbatim_and_rejected_by_the_judge(server, task, ctx):
    server.configure(faults={"bad_tool_args": 1.0})
    try:
        with client_for(server) as client:
            agent = LLMAgent(
                client, RoleSettings(backend="llm", model="scripted", max_steps=3), "teacher"
            )
            trajectory = run_episode(task, agent, ctx.worlds)
    finally:
        server.configure(faults={})
    assert rules.first_failure(rules.verify(task, trajectory, ctx.index)) in {
        "malformed_call",
        "invalid_arguments",
    }


def test_malformed_json_from_the_judge_is_a_rejection_with_a_reason(server, task, ctx):
    trajectory = run_episode(task, OracleTeacher(task), ctx.worlds)
    server.configure(faults={"malformed_json": 1.0})
    try:
        with client_for(server) as client:
            check, *_ = rubric.judge(task, trajectory, client, SETTINGS)
    finally:
        server.configure(faults={})
    assert check["reason"] == "rubric_unparseable"


def test_asset_metadata_reports_requests_tokens_and_unknown_cost(server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-KEY")
    config = GauntletConfig(seed=1, tasks=4, data_root=str(tmp_path))
    llm = LLMConfig(baseline=RoleOverride(backend="llm", model="scripted", base_url=server.url))
    resources = {"gauntlet": config, "llm": llm, "hub": HubPublisher()}
    instance = DagsterInstance.ephemeral()
    materialize(ALL_ASSETS, selection=CATALOG_ASSETS, instance=instance, resources=resources)
    result = materialize(
        ALL_ASSETS,
        selection=["tasks"],
        partition_key=partition_key("2026-11-21", 0),
        instance=instance,
        resources=resources,
    )
    meta = result.asset_materializations_for_node("tasks")[0].metadata
    assert meta["llm_requests"].value > 0
    assert meta["llm_prompt_tokens"].value > 0
    assert meta["llm_cost_usd"].value == "unknown (unpriced)"
    assert "baseline=llm:scripted" in meta["backends"].value
    assert "| baseline |" in meta["llm_by_role"].value


class Failing:
    """A client whose endpoint is out of retries (or down) on every request."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def chat_sync(self, request):
        raise self.error

    def close(self) -> None:
        pass


def roles_with(client, *roles: str):
    from gauntlet.stages.roles import Roles

    settings = {r: RoleSettings() for r in ("writer", "user", "baseline", "teacher", "judge")}
    settings.update({r: SETTINGS for r in roles})
    return Roles(settings, dict.fromkeys(roles, client))


def test_a_request_out_of_retries_rejects_that_rollout_with_a_reason(task, default_tools):
    from gauntlet.llm.errors import RequestFailed
    from gauntlet.stages.rollouts import run_rollouts

    failing = Failing(RequestFailed("server_error", "http://127.0.0.1:1/v1", 6, "500 Internal"))
    result = run_rollouts(
        default_tools, infer(default_tools), [task], roles=roles_with(failing, "teacher")
    )
    assert result.records == []
    assert result.rejection_counts() == {"llm_server_error": 1}


def test_an_endpoint_that_stays_down_fails_the_stage_with_a_clear_message(task, default_tools):
    from gauntlet.llm.errors import EndpointDown
    from gauntlet.stages.rollouts import run_rollouts

    down = Failing(EndpointDown("http://127.0.0.1:1/v1", 20, "connection refused"))
    with pytest.raises(EndpointDown, match="127.0.0.1:1"):
        run_rollouts(default_tools, infer(default_tools), [task], roles=roles_with(down, "teacher"))
