"""Local `$ref` resolution: catalogs share schemas through `$defs`; the engine wants them inline."""

from __future__ import annotations

from typing import Any


class RefError(ValueError):
    """A `$ref` that cannot be resolved; `field` is the JSON path where it stands."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _lookup(root: dict, ref: str, field: str) -> Any:
    if not ref.startswith("#/"):
        raise RefError(field, f"only local references are supported, got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            raise RefError(field, f"unresolvable $ref {ref!r}")
        node = node[part]
    if not isinstance(node, dict):
        raise RefError(field, f"$ref {ref!r} does not point at a schema object")
    return node


def inline_refs(schema: Any, root: dict, field: str, warnings: list[str]) -> Any:
    """Return `schema` with every local `$ref` replaced by its target.

    A reference cycle is cut: the repeated schema becomes a plain `{"type": "object"}` and a
    warning is recorded, so a recursive model (a tree of comments) still yields a usable tool.
    """
    return _inline(schema, root, field, (), warnings)


def _inline(node: Any, root: dict, field: str, stack: tuple[str, ...], warnings: list[str]) -> Any:
    if isinstance(node, list):
        return [_inline(v, root, f"{field}/{i}", stack, warnings) for i, v in enumerate(node)]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str):
            raise RefError(field, "$ref must be a string")
        if ref in stack:
            warnings.append(f"{field}: reference cycle through {ref!r} cut")
            return {"type": "object", "description": f"(recursive {ref.rsplit('/', 1)[-1]})"}
        target = _lookup(root, ref, field)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline(merged, root, field, (*stack, ref), warnings)
    return {
        k: _inline(v, root, f"{field}/{k}", stack, warnings)
        for k, v in node.items()
        if k not in ("$defs", "definitions")
    }
