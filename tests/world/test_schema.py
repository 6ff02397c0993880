"""The world schema read off a catalog: resources, typed keys, relations, the principal,
each tool's operation and status lifecycles, for the shipped catalogs and for API shapes
they do not have."""

from __future__ import annotations

import pytest

from gauntlet.world.schema import infer, infer_domain


@pytest.fixture(scope="module")
def shipped(default_tools) -> dict[str, dict]:
    return {s["domain"]: s for s in infer(default_tools)}


def resource(schema: dict, name: str) -> dict:
    return next(r for r in schema["resources"] if r["name"] == name)


def operation(schema: dict, tool: str) -> dict:
    return next(o for o in schema["operations"] if o["tool"] == tool)


def test_every_shipped_domain_has_a_principal_who_signs_in(shipped):
    principals = {d: s["principal"] for d, s in shipped.items()}

    assert principals["clinic"] == "patient"
    assert principals["hr"] == "employee"
    assert all(principals.values()), principals
    for schema in shipped.values():
        assert [o["op"] for o in schema["operations"]].count("sign_in") == 1


def test_a_clinic_appointment_is_the_patients_and_points_at_its_doctor(shipped):
    clinic = shipped["clinic"]
    appointment = resource(clinic, "appointment")

    assert appointment["key"]["field"] == "appointment_id"
    assert appointment["owner"]["resource"] == "patient"
    assert appointment["references"]["doctor_id"] == "doctor"
    assert {f["name"] for f in appointment["fields"]} >= {"start_time", "status", "reason"}


def test_each_tool_gets_its_operation_and_resource(shipped):
    clinic = shipped["clinic"]
    ops = {o["tool"]: (o["op"], o["resource"]) for o in clinic["operations"]}

    assert ops["sign_in_patient"] == ("sign_in", "patient")
    assert ops["book_appointment"] == ("create", "appointment")
    assert ops["get_appointment"] == ("get", "appointment")
    assert ops["list_appointments"] == ("list", "appointment")
    assert ops["cancel_appointment"] == ("action", "appointment")
    assert ops["find_doctors"][0] == "search"
    assert operation(clinic, "list_appointments")["scoped"] is True
    assert "status" in operation(clinic, "list_appointments")["filters"]


def test_a_status_enum_gets_a_lifecycle_with_the_actions_that_move_it(shipped):
    retail = shipped["retail"]
    order = resource(retail, "order")

    assert order["lifecycle"] is not None
    assert "cancel_order" in order["lifecycle"]["transitions"]
    assert order["lifecycle"]["terminal"]


PETSTORE = [
    {
        "name": "getPetById",
        "description": "Find pet by ID.",
        "domain": "petstore",
        "effect": "read",
        "parameters": {
            "type": "object",
            "properties": {"petId": {"type": "integer", "format": "int64"}},
            "required": ["petId"],
        },
        "returns": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "name": {"type": "string", "example": "doggie"},
                "category": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                },
                "status": {"type": "string", "enum": ["available", "pending", "sold"]},
            },
        },
    },
    {
        "name": "addPet",
        "description": "Add a new pet to the store.",
        "domain": "petstore",
        "effect": "write",
        "parameters": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "status": {"type": "string"}},
            "required": ["name"],
        },
        "returns": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        },
    },
    {
        "name": "deletePet",
        "description": "Deletes a pet.",
        "domain": "petstore",
        "effect": "write",
        "parameters": {
            "type": "object",
            "properties": {"petId": {"type": "integer"}, "api_key": {"type": "string"}},
            "required": ["petId"],
        },
        "returns": {"type": "object", "properties": {}},
    },
]


def test_integer_keys_stay_integers_and_a_bare_id_takes_the_tools_subject():
    schema = infer_domain("petstore", PETSTORE)
    pet = resource(schema, "pet")

    assert pet["key"]["type"] == "integer"
    assert pet["children"] == {"category": "category"}
    assert operation(schema, "getPetById")["op"] == "get"
    assert operation(schema, "deletePet")["op"] == "delete"
    assert not any(f["name"] == "api_key" for f in pet["fields"])


def test_a_catalog_without_a_sign_in_or_a_person_has_no_principal():
    schema = infer_domain("petstore", PETSTORE)

    assert schema["principal"] is None


def test_inference_is_deterministic(default_tools):
    assert infer(default_tools) == infer(list(reversed(default_tools)))


def test_generated_catalogs_from_unseen_domains_infer_without_gaps(catalog_dir):
    from gauntlet.catalog import load_folder

    schemas = infer(load_folder(catalog_dir).tools)

    assert schemas
    for schema in schemas:
        assert schema["resources"], schema["domain"]
        assert all(o["resource"] for o in schema["operations"] if o["op"] != "call")


CODE_HOST = """\
openapi: 3.0.3
info: {title: Code Host, version: '1.0'}
paths:
  /users/{username}:
    get:
      operationId: getUserByName
      parameters: [{name: username, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: a user, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}}
  /repos/{username}:
    get:
      operationId: getRepositoriesByOwner
      parameters: [{name: username, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: repositories, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Repo'}}}}}}
  /repos/{username}/{slug}:
    get:
      operationId: getRepository
      parameters:
        - {name: username, in: path, required: true, schema: {type: string}}
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: a repository, content: {application/json: {schema: {$ref: '#/components/schemas/Repo'}}}}}
  /repos/{username}/{slug}/pulls:
    get:
      operationId: getPullRequestsByRepository
      parameters:
        - {name: username, in: path, required: true, schema: {type: string}}
        - {name: slug, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: pull requests, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pull'}}}}}}
  /repos/{username}/{slug}/pulls/{pid}:
    get:
      operationId: getPullRequestsById
      parameters:
        - {name: username, in: path, required: true, schema: {type: string}}
        - {name: slug, in: path, required: true, schema: {type: string}}
        - {name: pid, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: a pull request, content: {application/json: {schema: {$ref: '#/components/schemas/Pull'}}}}}
  /repos/{username}/{slug}/pulls/{pid}/merge:
    post:
      operationId: mergePullRequest
      parameters:
        - {name: username, in: path, required: true, schema: {type: string}}
        - {name: slug, in: path, required: true, schema: {type: string}}
        - {name: pid, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: merged}}
components:
  schemas:
    User: {type: object, properties: {username: {type: string}, uuid: {type: string}}}
    Repo: {type: object, properties: {slug: {type: string}, owner: {$ref: '#/components/schemas/User'}}}
    Pull:
      type: object
      properties:
        id: {type: integer}
        title: {type: string}
        author: {$ref: '#/components/schemas/User'}
        reviewer: {$ref: '#/components/schemas/User'}
"""


def test_an_inlined_ref_seen_under_two_names_is_one_resource_and_ids_by_other_names_resolve(
    tmp_path,
):
    from gauntlet.catalog import load_folder

    (tmp_path / "code_host.yaml").write_text(CODE_HOST)
    schema = infer(load_folder(tmp_path).tools)[0]
    ops = {o["tool"]: (o["op"], o["resource"], o["key"]) for o in schema["operations"]}

    assert {r["name"] for r in schema["resources"]} == {"pull_request", "repository", "user"}
    assert resource(schema, "repository")["references"] == {"username": "user"}
    assert resource(schema, "user")["lookups"] == ["username"]
    assert resource(schema, "pull_request")["children"] == {"author": "user", "reviewer": "user"}
    assert ops["getPullRequestsByRepository"][:2] == ("list", "pull_request")
    assert ops["getPullRequestsById"] == ("get", "pull_request", "pid")
    assert ops["mergePullRequest"] == ("action", "pull_request", "pid")
    assert ops["getUserByName"] == ("get", "user", "username")


def test_a_state_filter_is_the_rows_lifecycle_and_merge_moves_it(tmp_path):
    from gauntlet.catalog import load_folder

    spec = CODE_HOST.replace(
        "        - {name: slug, in: path, required: true, schema: {type: string}}\n"
        "      responses: {'200': {description: pull requests",
        "        - {name: slug, in: path, required: true, schema: {type: string}}\n"
        "        - {name: state, in: query, schema: {type: string, enum: [open, merged, declined]}}\n"
        "      responses: {'200': {description: pull requests",
    )
    (tmp_path / "code_host.yaml").write_text(spec)
    schema = infer(load_folder(tmp_path).tools)[0]
    lifecycle = resource(schema, "pull_request")["lifecycle"]

    assert lifecycle["field"] == "state"
    assert lifecycle["transitions"]["mergePullRequest"]["from"] == ["open"]
    assert lifecycle["transitions"]["mergePullRequest"]["to"] == "merged"


def test_a_row_referred_to_by_a_natural_key_is_the_real_row(tmp_path):
    import datetime as dt

    from gauntlet.catalog import load_folder
    from gauntlet.catalog.index import ToolIndex
    from gauntlet.world.environment import World

    (tmp_path / "code_host.yaml").write_text(CODE_HOST)
    tools = load_folder(tmp_path).tools
    world = World.create(infer(tools)[0], ToolIndex(tools), seed=1, now=dt.date(2026, 11, 29))
    repo = next(iter(world.state.table("repository").values()))

    answer = world.call("getRepository", {"username": repo["username"], "slug": repo["slug"]})
    owner = next(u for u in world.state.table("user").values() if u["username"] == repo["username"])

    assert answer["owner"] == {"username": owner["username"], "uuid": owner["uuid"]}
    listed = world.call("getRepositoriesByOwner", {"username": owner["username"]})["result"]
    assert listed and all(r["owner"]["username"] == owner["username"] for r in listed)


def _reversed_fields(node):
    """The same schema with every object's keys in reverse order."""
    if isinstance(node, dict):
        return {k: _reversed_fields(node[k]) for k in reversed(list(node))}
    if isinstance(node, list):
        return [_reversed_fields(v) for v in node]
    return node


def test_the_same_catalog_infers_the_same_world_whatever_order_its_fields_come_in(default_tools):
    """The lake stores tools with sorted keys; a catalog file has its own order. Both must give
    one world (`get_return_status` once read its order's id first and became a get of orders)."""
    assert infer([_reversed_fields(t) for t in default_tools]) == infer(default_tools)
