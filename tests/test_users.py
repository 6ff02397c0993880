"""The scripted user reveals a fact only when the agent asks for it."""

from gauntlet.dialogue import reading
from gauntlet.users import ScriptedUser

TASK = {
    "facts": [
        {
            "key": "passenger_name",
            "label": "passenger name",
            "value": "Ada Lovelace",
            "withheld": True,
        },
        {"key": "seats", "label": "seats", "value": 2, "withheld": False},
    ]
}


def test_a_statement_gets_no_reply():
    assert ScriptedUser(TASK).reply("All done. The status is confirmed.") is None


def test_a_question_about_a_fact_reveals_exactly_that_fact():
    user = ScriptedUser(TASK)
    reply = user.reply("Could you tell me your passenger name?")
    assert reading.read(reply).facts == {"passenger_name": "Ada Lovelace"}
    assert user.revealed == {"passenger_name"}


def test_a_question_about_something_it_does_not_know_is_declined():
    assert "don't have" in ScriptedUser(TASK).reply("What is your loyalty number?")
