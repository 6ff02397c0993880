"""A user's corrections to the inferred world schema: `world.yaml` beside the catalogs.

Inference reads names and shapes; it cannot know that `reason` is free text rather than a
code, or that an appointment cannot be cancelled once checked in. The override says so, per
domain, without code:

    clinic:
      principal: patient
      resources:
        appointment:
          key: {field: appointment_id, type: integer}
          owner: patient
          references: {doctor_id: doctor}
          fields: {reason: free_text}
          lifecycle:
            terminal: [completed, cancelled]
            transitions:
              cancel_appointment: {from: [scheduled, confirmed], to: cancelled}
      operations:
        find_doctors: {op: search, resource: doctor}

Every entry is checked against what was inferred, and an unknown domain, resource, field,
tool or kind is an error naming the file and the path, never silently ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gauntlet.world.kinds import KINDS

RESOURCE_KEYS = ("key", "owner", "references", "fields", "lifecycle")
OPERATION_KEYS = ("op", "resource", "key", "filters", "scoped")
OPS = ("create", "get", "list", "search", "update", "delete", "action", "sign_in", "call")


class OverrideError(ValueError):
    """The override file says something that cannot apply; the message names file and path."""


def load(path: Path) -> dict[str, Any]:
    """The override document, or `{}` when there is no file."""
    if not path.is_file():
        return {}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise OverrideError(f"{path.name}: invalid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise OverrideError(f"{path.name}: must map domains to their corrections")
    return doc


def apply(
    schemas: list[dict[str, Any]], doc: dict[str, Any], file: str = "world.yaml"
) -> list[str]:
    """Apply `doc` to `schemas` in place; returns every path it changed (`clinic.principal`)."""
    by_domain = {s["domain"]: s for s in schemas}
    changed: list[str] = []
    for domain, spec in doc.items():
        where = f"{file}: {domain}"
        if domain not in by_domain:
            raise OverrideError(f"{where}: no such domain (known: {sorted(by_domain)})")
        _expect(spec, dict, where)
        schema = by_domain[domain]
        resources = {r["name"]: r for r in schema["resources"]}
        for key, value in spec.items():
            if key == "principal":
                if value is not None and value not in resources:
                    raise OverrideError(f"{where}.principal: no resource {value!r}")
                schema["principal"] = value
                changed.append(f"{domain}.principal")
            elif key == "resources":
                _expect(value, dict, f"{where}.resources")
                for name, fix in value.items():
                    changed += _resource(resources, name, fix, f"{where}.resources", domain)
            elif key == "operations":
                _expect(value, dict, f"{where}.operations")
                changed += _operations(schema, resources, value, f"{where}.operations", domain)
            else:
                raise OverrideError(
                    f"{where}.{key}: unknown key (principal, resources, operations)"
                )
    return changed


def _resource(
    resources: dict[str, dict], name: str, fix: Any, where: str, domain: str
) -> list[str]:
    here = f"{where}.{name}"
    _expect(fix, dict, here)
    if name not in resources:
        raise OverrideError(f"{here}: no such resource (known: {sorted(resources)})")
    res = resources[name]
    changed = []
    for key, value in fix.items():
        if key not in RESOURCE_KEYS:
            raise OverrideError(f"{here}.{key}: unknown key {RESOURCE_KEYS}")
        path = f"{domain}.resources.{name}.{key}"
        if key == "key":
            _expect(value, dict, f"{here}.key")
            res["key"] = {**res["key"], **value}
        elif key == "owner":
            if value is not None and value not in resources:
                raise OverrideError(f"{here}.owner: no resource {value!r}")
            res["owner"] = None if value is None else {"resource": value, "field": None}
        elif key == "references":
            _expect(value, dict, f"{here}.references")
            for field, target in value.items():
                if target not in resources:
                    raise OverrideError(f"{here}.references.{field}: no resource {target!r}")
            res["references"] = {**res["references"], **value}
        elif key == "fields":
            _expect(value, dict, f"{here}.fields")
            fields = {f["name"]: f for f in res["fields"]}
            for field, kind in value.items():
                if field not in fields:
                    raise OverrideError(f"{here}.fields.{field}: no such field")
                if kind not in KINDS and kind != "reference":
                    raise OverrideError(f"{here}.fields.{field}: unknown kind {kind!r}")
                fields[field]["kind"] = kind
        else:
            _expect(value, dict, f"{here}.lifecycle")
            res["lifecycle"] = {**(res["lifecycle"] or {}), **value}
        changed.append(path)
    return changed


def _operations(
    schema: dict, resources: dict[str, dict], fixes: dict, where: str, domain: str
) -> list[str]:
    ops = {op["tool"]: op for op in schema["operations"]}
    changed = []
    for tool, fix in fixes.items():
        here = f"{where}.{tool}"
        if tool not in ops:
            raise OverrideError(f"{here}: no such tool in {domain}")
        _expect(fix, dict, here)
        for key, value in fix.items():
            if key not in OPERATION_KEYS:
                raise OverrideError(f"{here}.{key}: unknown key {OPERATION_KEYS}")
            if key == "op" and value not in OPS:
                raise OverrideError(f"{here}.op: unknown operation {value!r} {OPS}")
            if key == "resource" and value is not None and value not in resources:
                raise OverrideError(f"{here}.resource: no resource {value!r}")
            ops[tool][key] = value
            changed.append(f"{domain}.operations.{tool}.{key}")
    return changed


def _expect(value: Any, kind: type, where: str) -> None:
    if not isinstance(value, kind):
        raise OverrideError(f"{where}: expected a {kind.__name__}, got {type(value).__name__}")
