"""The oracle teacher: executes the task's reference plan like a careful agent would.

It asks for withheld facts before acting, sends independent calls in parallel, retries
transient faults, and reports the answers the user asked for from its own tool results.
"""

from __future__ import annotations

from typing import Any

from gauntlet.agents.base import Episode, Turn, View
from gauntlet.dialogue import phrasing, reading
from gauntlet.names import pointer_label
from gauntlet.tasks.bindings import BindingError, get_pointer, resolve

MAX_RETRIES = 3


class OracleTeacher:
    identity = {"role": "teacher", "name": "oracle", "backend": "offline"}

    def __init__(self, task: dict[str, Any]) -> None:
        self.task = task

    def episode(self, view: View) -> Episode:
        facts = {f["key"]: f["value"] for f in self.task["facts"] if not f["withheld"]}
        facts.update(self.task.get("context") or {})
        missing = [f for f in self.task["facts"] if f["withheld"]]
        if missing:
            obs = yield Turn(phrasing.ask([f["label"] for f in missing]))
            for o in obs:
                facts.update(reading.read(o.user or "").facts)
            lost = [f["label"] for f in missing if f["key"] not in facts]
            if lost:
                yield Turn(phrasing.give_up(f"I still need your {lost[0]}"))
                return
        outputs: dict[str, Any] = {}
        tries: dict[str, int] = {}
        pending = list(self.task["plan"])
        while pending:
            ready = [
                c
                for c in pending
                if all(b["ref"] in outputs for b in c["arguments"].values() if "ref" in b)
            ]
            try:
                calls = [
                    (c["tool"], {p: resolve(b, facts, outputs) for p, b in c["arguments"].items()})
                    for c in ready
                ]
            except BindingError as exc:
                yield Turn(phrasing.give_up(str(exc)))
                return
            obs = yield Turn(None, calls)
            for call, o in zip(ready, obs, strict=True):
                if o.error is None:
                    outputs[call["call_id"]] = o.result
                    pending.remove(call)
                    continue
                tries[call["call_id"]] = tries.get(call["call_id"], 0) + 1
                if not o.error["error"]["retryable"] or tries[call["call_id"]] > MAX_RETRIES:
                    yield Turn(phrasing.give_up(o.error["error"]["message"]))
                    return
        answers = [
            (pointer_label(a["pointer"]), get_pointer(outputs[a["call_id"]], a["pointer"]))
            for a in self.task["expected"]["answer_facts"]
        ]
        yield Turn(phrasing.final(answers))
