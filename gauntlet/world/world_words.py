"""`data/words/world.yaml`, read once: how big a world is and the words its rules go by."""

from __future__ import annotations

from typing import Any

import yaml

from gauntlet.resources import WORDS_DIR

WORLD: dict[str, Any] = yaml.safe_load((WORDS_DIR / "world.yaml").read_text(encoding="utf-8"))
