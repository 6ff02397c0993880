"""Where the engine's shipped files are: prompt templates, record schemas and word lists.

`prompts/`, `schemas/` and `data/words/` live in the repository; `gauntlet/_data/` links to them,
so a checkout and an installed wheel (which carries copies as package data) find them the same
way, relative to this package.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "_data"
PROMPTS_DIR = DATA_DIR / "prompts"
SCHEMAS_DIR = DATA_DIR / "schemas"
WORDS_DIR = DATA_DIR / "words"
