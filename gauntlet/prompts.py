"""Text templates: every prompt and offline text lives in `prompts/` as a Jinja template."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

import jinja2

from gauntlet.resources import PROMPTS_DIR


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROMPTS_DIR)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render(name: str, **context: Any) -> str:
    """Render `prompts/<name>` with the context; missing variables are errors, not blanks."""
    return environment().get_template(name).render(**context).strip()


@cache
def template_hash(name: str) -> str:
    """sha256 of a template's source: part of every cache key that depends on it."""
    return hashlib.sha256((PROMPTS_DIR / name).read_bytes()).hexdigest()
