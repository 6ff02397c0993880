"""Real-shaped tool descriptions in every format the importers read, written to a folder.

An OpenAPI 3.0 YAML spec with `$ref`s, a request body and a reference cycle; an OpenAPI 3.1
JSON spec; an MCP `tools/list` with `readOnlyHint`; BFCL function docs as JSON Lines; an
OpenAI tool list. The importer tests and the imported-run test both start from these.
"""

from __future__ import annotations

import json
from pathlib import Path

PETS_YAML = """\
openapi: 3.0.3
info:
  title: Pet Shelter
  version: "1.2"
  description: Adoption desk of a small animal shelter.
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      summary: List the pets waiting for adoption.
      parameters:
        - name: species
          in: query
          schema: {type: string, enum: [dog, cat, rabbit]}
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 50}
      responses:
        "200":
          description: The pets.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Pet"}
    post:
      operationId: createPet
      summary: Register a pet brought to the shelter.
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewPet"}
      responses:
        "201":
          description: Registered.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
  /pets/{pet_id}:
    parameters:
      - name: pet_id
        in: path
        required: true
        description: The pet's id.
        schema: {type: string}
    get:
      operationId: getPetById
      summary: Show one pet.
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "404":
          description: No such pet.
    delete:
      operationId: deletePet
      description: Remove a pet that was adopted.
      parameters:
        - name: X-Request-Id
          in: header
          schema: {type: string}
      responses:
        "204":
          description: Removed.
  /pets/{pet_id}/visits:
    get:
      summary: List the vet visits of a pet.
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: Visits.
          content:
            application/json:
              schema:
                type: object
                properties:
                  visits:
                    type: array
                    items:
                      type: object
                      properties:
                        visit_id: {type: string}
                        reason: {type: string}
                        cost: {type: number, minimum: 0, exclusiveMinimum: true}
components:
  schemas:
    NewPet:
      type: object
      required: [name, species]
      properties:
        name: {type: string}
        species: {type: string, enum: [dog, cat, rabbit]}
        category_id: {type: string}
    Pet:
      type: object
      required: [pet_id, name]
      properties:
        pet_id: {type: string}
        name: {type: string}
        species: {type: string}
        nickname: {type: string, nullable: true}
        category: {$ref: "#/components/schemas/Category"}
    Category:
      type: object
      properties:
        category_id: {type: string}
        name: {type: string}
        parent: {$ref: "#/components/schemas/Category"}
"""

PARCELS_31 = {
    "openapi": "3.1.0",
    "info": {"title": "Parcel Tracking", "version": "2.0"},
    "paths": {
        "/parcels": {
            "get": {
                "operationId": "listParcels",
                "summary": "List parcels sent from an account.",
                "parameters": [
                    {
                        "name": "account_id",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Parcels.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "parcels": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Parcel"},
                                        }
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/parcels/{parcel_id}": {
            "get": {
                "operationId": "trackParcel",
                "summary": "Where a parcel is now.",
                "parameters": [
                    {
                        "name": "parcel_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The parcel.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Parcel"}}
                        },
                    }
                },
            },
            "patch": {
                "operationId": "updateParcelNote",
                "summary": "Set or clear the delivery note of a parcel.",
                "parameters": [
                    {
                        "name": "parcel_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["note"],
                                "properties": {"note": {"type": ["string", "null"]}},
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "Status.",
                        "content": {"application/json": {"schema": {"type": "string"}}},
                    }
                },
            },
        },
    },
    "components": {
        "schemas": {
            "Parcel": {
                "type": "object",
                "required": ["parcel_id", "status"],
                "properties": {
                    "parcel_id": {"type": "string"},
                    "status": {"type": "string", "enum": ["created", "in_transit", "delivered"]},
                    "note": {"type": ["string", "null"]},
                },
            }
        }
    },
}

NOTE = {
    "type": "object",
    "properties": {"note_id": {"type": "string"}, "title": {"type": "string"}},
}
MCP_LISTING = {
    "jsonrpc": "2.0",
    "id": 2,
    "result": {
        "serverInfo": {"name": "notes-server"},
        "tools": [
            {
                "name": "search_notes",
                "description": "Search notes by words in their title.",
                "inputSchema": {
                    "type": "object",
                    "properties": {"query": {"type": "string"}},
                    "required": ["query"],
                },
                "outputSchema": {
                    "type": "object",
                    "properties": {"notes": {"type": "array", "items": NOTE}},
                    "required": ["notes"],
                },
                "annotations": {"readOnlyHint": True},
            },
            {
                "name": "read_note",
                "description": "Read one note.",
                "inputSchema": {
                    "type": "object",
                    "properties": {"note_id": {"type": "string"}},
                    "required": ["note_id"],
                },
                "annotations": {"readOnlyHint": True},
            },
            {
                "name": "archive_note",
                "description": "Archive a note.",
                "inputSchema": {
                    "type": "object",
                    "properties": {"note_id": {"type": "string"}},
                    "required": ["note_id"],
                },
                "annotations": {"readOnlyHint": False, "destructiveHint": True},
            },
        ],
    },
}

BFCL_LINES = [
    {
        "name": "math.factorial",
        "description": "Factorial of a whole number.",
        "parameters": {
            "type": "dict",
            "properties": {"number": {"type": "integer", "description": "The number."}},
            "required": ["number"],
        },
    },
    {
        "name": "convert_length",
        "description": "Convert a length to another unit.",
        "parameters": {
            "type": "dict",
            "properties": {
                "value": {"type": "float", "description": "The length."},
                "unit": {"type": "string", "description": "Target unit. [Enum]: cm, m, km"},
                "precision": {"type": "integer", "description": "Decimals.", "default": "None"},
                "origin": {"type": "tuple", "items": {"type": "float"}, "description": "x, y."},
                "hint": {"type": "any", "description": "Anything.", "default": "None"},
                "scale": {"type": "float", "description": "Factor.", "default": "1.5"},
            },
            "required": ["value", "unit"],
        },
        "response": {"type": "dict", "properties": {"converted": {"type": "float"}}},
    },
    {
        "name": "get_element",
        "description": "Facts about a chemical element.",
        "parameters": {
            "type": "dict",
            "properties": {
                "symbol": {"type": "str", "description": "Element symbol. Enum: ['H', 'He', 'Li']"},
                "fields": {"type": "list", "items": {"type": "str"}, "description": "Which."},
            },
            "required": ["symbol"],
        },
    },
]

OPENAI_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather in a city.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string"},
                    "units": {"type": "string", "enum": ["metric", "imperial"]},
                },
                "required": ["city", "units"],
                "additionalProperties": False,
            },
            "strict": True,
        },
    },
    {
        "type": "function",
        "function": {
            "name": "create_reminder",
            "description": "Create a reminder.",
            "parameters": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "when": {"type": "string"}},
                "required": ["text"],
            },
        },
    },
]

FILES = {
    "pets.yaml": "openapi",
    "parcels.json": "openapi",
    "notes.json": "mcp",
    "science.jsonl": "bfcl",
    "assistant.json": "openai",
}


def write_samples(folder: Path) -> Path:
    """All five sample files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pets.yaml").write_text(PETS_YAML, encoding="utf-8")
    (folder / "parcels.json").write_text(json.dumps(PARCELS_31, indent=2), encoding="utf-8")
    (folder / "notes.json").write_text(json.dumps(MCP_LISTING), encoding="utf-8")
    lines = "\n".join(json.dumps(line) for line in BFCL_LINES) + "\n"
    (folder / "science.jsonl").write_text(lines, encoding="utf-8")
    (folder / "assistant.json").write_text(json.dumps(OPENAI_TOOLS), encoding="utf-8")
    return folder
