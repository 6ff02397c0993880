"""The one vocabulary of names: how field and tool names split into words and read as labels,
which verbs mean what, which tool names ADP reserves, which files are catalogs.

Everything above reads names through here, so the graph, the world, the tasks, the agents and
the importers agree on what `bookingId`, `get_order` or `cancel_booking` mean.
"""

from __future__ import annotations

import re
from functools import cache

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^a-zA-Z0-9]+")

# Files the catalog folder is read for (the loader) and watched for (the catalog sensor).
CATALOG_PATTERNS = ("*.json", "*.yaml", "*.yml", "*.jsonl")
# The optional world-schema override beside the catalogs: watched, but not a catalog.
WORLD_OVERRIDE = "world.yaml"

# A tool whose name starts with one of these only looks things up: its effect is `read` when a
# format does not say, and the rest of its name is its subject (`get_order` is about orders).
READ_VERBS = frozenset(
    "get list search find fetch lookup read check show view query describe count".split()
)

# A verb in a write tool's name -> the stem of the status it leaves its entity in (matched
# against the status enum: `cancel` -> `cancelled`).
STATUS_VERBS = {
    "cancel": "cancel",
    "delete": "delet",
    "remove": "remov",
    "close": "clos",
    "revoke": "revok",
    "reject": "reject",
    "decline": "declin",
    "deactivate": "inactiv",
    "freeze": "froz",
    "block": "block",
    "refund": "refund",
    "return": "return",
    "approve": "approv",
    "confirm": "confirm",
    "activate": "activ",
    "resolve": "resolv",
    "complete": "complet",
    "ship": "ship",
    "pay": "paid",
    "assign": "assign",
    "reschedule": "reschedul",
    "escalate": "escalat",
    "unfreeze": "activ",
    "unblock": "activ",
    "reopen": "open",
    "check_in": "checked",
    "checkin": "checked",
    "archive": "archiv",
    "suspend": "suspend",
    "merge": "merg",
}

# Tool names ADP tooling treats as built-ins or browser verbs (docs/adp.md, rule 9): the loader
# renames a catalog tool that has one, and the ADP validator rejects any that got through.
# The ADP list, plus what the ADP repository's converters special-case: its browser action
# names, the OpenHands default tools and SDK aliases, and AgentLab's send_msg_to_user.
# Compared case-insensitively.
ADP_RESERVED_NAMES: frozenset[str] = frozenset(
    {
        # the ADP contract
        "finish", "think", "submit", "stop", "bash", "terminal", "python", "click", "type",
        "fill", "goto", "scroll", "back", "hover", "press", "noop",
        # browser verbs
        "clear", "dblclick", "drag_and_drop", "focus", "go_back", "go_forward",
        "select_option", "upload_file", "send_msg_to_user",
        # agent built-ins
        "browser", "edit_file", "execute_bash", "execute_ipython_cell", "file_editor",
        "str_replace_editor", "task_tracker", "web_read",
        "browser_click", "browser_go_back", "browser_navigate", "browser_scroll", "browser_type",
    }
)  # fmt: skip


def is_reserved(name: str) -> bool:
    """True when ADP tooling would treat a tool of this name as a built-in."""
    return name.lower() in ADP_RESERVED_NAMES


@cache  # a pure function of the name, asked for every field of every generated value
def words(name: str) -> tuple[str, ...]:
    """`departureDate` -> (departure, date); `order-ID` -> (order, id): lowercase words."""
    return tuple(w for w in _NON_WORD.split(_CAMEL.sub(r"\1_\2", name).lower()) if w)


def snake(name: str) -> str:
    """`departureDate` -> `departure_date`: the words joined by underscores."""
    return "_".join(words(name))


def label(name: str) -> str:
    """`passenger_name` -> `passenger name`, `booking_id` -> `booking ID`: a name as said."""
    return " ".join("ID" if w == "id" else w for w in words(name))


def key_of(text: str) -> str:
    """`booking ID` -> `booking_id`: the name a label stands for (the inverse of `label`)."""
    return "_".join(text.lower().split())


def pointer_label(pointer: str) -> str:
    """`/subtotal/amount` -> `subtotal amount`: enough of a JSON pointer to name its value."""
    parts = [p for p in pointer.split("/") if p and p != "*" and not p.isdigit()][-2:]
    if len(parts) == 2 and parts[0].endswith(parts[1]):
        parts = parts[:1]  # `refund_amount/amount` is the refund amount
    return label("_".join(parts))


@cache  # called for every field of every response: a pure function of the name
def kind_of(field_name: str) -> str | None:
    """`order_id` -> `order`; `orderId` -> `order`; `id` alone names no kind."""
    m = re.match(r"^(.+?)(_id|_ID|Id|ID)$", field_name)
    if not m or not m.group(1).strip("_"):
        return None
    return _CAMEL.sub(r"\1_\2", m.group(1)).strip("_").lower()


def singular(word: str) -> str:
    """`bookings` -> `booking`, `categories` -> `category`: good enough for entity names."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):  # status, analysis
        return word[:-1]
    return word


def plural(word: str) -> str:
    """`note` -> `notes`, `category` -> `categories`: `singular`'s inverse, as far as it goes."""
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def leading_verb(name: str) -> str:
    """`getOrderStatus` -> `get`: the first word of a tool name."""
    split = words(name)
    return split[0] if split else ""


def subject_of(tool_name: str) -> str | None:
    """The entity a tool's name is about: `get_order_status` -> `order_status`, `order`..."""
    split = list(words(tool_name))
    if split and split[0] in READ_VERBS:
        split = split[1:]
    return "_".join(split) or None
