"""Which program plays each role: offline (deterministic, the default) or llm, per role.

`Roles` is built once per stage run from `RoleSettings`; it hands out agents, users and the
writer and judge hooks, shares one LLM client per endpoint and one response cache, keeps the
accounting every asset reports, and names each role's program for provenance.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gauntlet.agents.heuristic import HeuristicBaseline
from gauntlet.agents.llm import LLMAgent
from gauntlet.agents.oracle import OracleTeacher
from gauntlet.llm.accounting import Accounting
from gauntlet.llm.cache import ResponseCache
from gauntlet.llm.settings import ROLES, RoleSettings
from gauntlet.tasks import rewrite
from gauntlet.users import LLMUser, ScriptedUser
from gauntlet.verify import rubric


def cache_dir(data_root: str | Path) -> Path:
    """GAUNTLET_CACHE_DIR, else `<data root>/llm_cache`."""
    return Path(os.environ.get("GAUNTLET_CACHE_DIR") or Path(data_root) / "llm_cache")


@dataclass
class Roles:
    settings: dict[str, RoleSettings] = field(
        default_factory=lambda: {r: RoleSettings() for r in ROLES}
    )
    clients: dict[str, Any] = field(default_factory=dict)
    accounting: Accounting | None = None

    @classmethod
    def build(cls, settings: dict[str, RoleSettings], cache_folder: str | Path) -> Roles:
        """Clients for the llm roles (one per endpoint and limits), one cache, one ledger."""
        if not any(s.is_llm for s in settings.values()):
            return cls(settings)
        # Imported here: the openai client costs ~70 MB and a second of import time, which an
        # offline run never needs.
        from gauntlet.llm.client import LLMClient

        accounting = Accounting()
        cache = ResponseCache(Path(cache_folder))
        shared: dict[tuple, Any] = {}
        clients: dict[str, Any] = {}
        for role, s in settings.items():
            if s.is_llm:
                key = (s.endpoint(), s.limits())
                if key not in shared:
                    shared[key] = LLMClient(s.endpoint(), s.limits(), cache, accounting)
                clients[role] = shared[key]
        return cls(settings, clients, accounting)

    def close(self) -> None:
        for client in {id(c): c for c in self.clients.values()}.values():
            client.close()

    def __enter__(self) -> Roles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def workers(self) -> int:
        """Episodes to run at once: one offline (CPU-bound), the llm concurrency otherwise."""
        return max([1] + [s.concurrency for s in self.settings.values() if s.is_llm])

    def baselines(self) -> list[Any]:
        """The baseline attempts for one level: k samples of an llm, or the heuristic once."""
        s = self.settings["baseline"]
        if not s.is_llm:
            return [HeuristicBaseline()]
        return [LLMAgent(self.clients["baseline"], s, "baseline", i) for i in range(s.samples)]

    def teacher(self, task: dict[str, Any]) -> Any:
        s = self.settings["teacher"]
        return LLMAgent(self.clients["teacher"], s, "teacher") if s.is_llm else OracleTeacher(task)

    def user(self, task: dict[str, Any]) -> Any:
        s = self.settings["user"]
        return LLMUser(task, self.clients["user"], s) if s.is_llm else ScriptedUser(task)

    def rewrite(self, task: dict[str, Any], tool_names: set[str]) -> dict[str, Any]:
        """The task with its message rewritten by the llm writer (unchanged offline)."""
        s = self.settings["writer"]
        if not s.is_llm:
            return task
        message = rewrite.rewrite(task, self.clients["writer"], s, tool_names)
        return {
            **task,
            "user_message": message,
            "provenance": {**task["provenance"], "writer": f"llm:{s.model}"},
        }

    def rubric(self, task: dict[str, Any], trajectory: dict[str, Any]) -> tuple | None:
        """The llm judge's (check, scores, rationale), or None when it is offline."""
        s = self.settings["judge"]
        return rubric.judge(task, trajectory, self.clients["judge"], s) if s.is_llm else None

    def describe(self) -> dict[str, str]:
        """Role -> `offline` or `llm:<model>`: what each role's program is, for provenance."""
        return {
            role: (f"llm:{s.model}" if s.is_llm else "offline") for role, s in self.settings.items()
        }

    def baseline_provenance(self) -> str:
        """What a task records as the baseline it was escalated against."""
        return self.describe()["baseline"].replace("offline", "heuristic")

    def judge_provenance(self) -> str:
        """What a verdict records as its judge: the rule checks, and the rubric model if any."""
        judge = self.describe()["judge"]
        return "rules" if judge == "offline" else f"rules+rubric:{judge}"

    def usage(self) -> dict[str, Any] | None:
        return self.accounting.snapshot() if self.accounting is not None else None

    def report(self) -> dict[str, Any]:
        """What every stage's statistics say about its roles: who played them, what they cost."""
        return {"backends": self.describe(), "llm": self.usage()}
