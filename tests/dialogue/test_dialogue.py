"""The offline dialogue's phrasing and its reader, tested as a pair: whatever a template says,
the reader reads back exactly. A template edit the reader no longer understands fails here,
before it silently changes what the heuristic baseline can do."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gauntlet.dialogue import phrasing, reading
from gauntlet.names import key_of, label
from gauntlet.tasks import writer

# What a catalog's fields are called (snake case, digits allowed) and what values they hold.
NAMES = st.from_regex(r"[a-z][a-z0-9]{1,7}(_[a-z0-9]{1,7}){0,2}", fullmatch=True).filter(
    lambda n: not n.endswith(("_", "id")) or n.endswith("_id")
)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda t: t.strip() == t)
VALUES = st.one_of(
    TEXT,
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.lists(st.integers(0, 99), max_size=3),
    st.dictionaries(NAMES, st.integers(0, 9), max_size=2),
)
FACTS = st.dictionaries(NAMES, VALUES, min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(facts=FACTS, seed=st.integers(0, 10**6))
def test_every_fact_the_writer_states_is_read_back_exactly(facts, seed):
    message = writer.write(
        seed=seed,
        goals=["cancel my booking"],
        facts=list(facts.items()),
        criteria=[],
        answers=[],
    )

    assert reading.read(message).facts == facts


@settings(max_examples=100, deadline=None)
@given(
    entity=st.sampled_from(["booking", "order item"]),
    field=NAMES,
    value=VALUES,
    seed=st.integers(0, 99),
)
def test_a_criterion_is_read_back_with_its_entity_field_and_value(entity, field, value, seed):
    message = writer.write(
        seed=seed, goals=["refund it"], facts=[], criteria=[(entity, field, value)], answers=[]
    )

    assert reading.read(message).criteria == [(entity, field, value)]


@given(pointers=st.lists(NAMES, min_size=1, max_size=3, unique=True), seed=st.integers(0, 99))
def test_requested_answers_are_read_back_as_the_fields_they_name(pointers, seed):
    message = writer.write(
        seed=seed, goals=["look it up"], facts=[], criteria=[], answers=[f"/{p}" for p in pointers]
    )

    assert reading.read(message).answers == [key_of(label(p)) for p in pointers]


@given(seed=st.integers(0, 10**6))
def test_each_goal_is_read_as_its_own_request(seed):
    message = writer.write(
        seed=seed,
        goals=["cancel my booking", "tell the hotel I arrive late"],
        facts=[("booking_id", "BKN-AAAA22")],
        criteria=[],
        answers=["/status"],
    )

    requests = reading.read(message).requests
    assert len(requests) == 2 and "cancel my booking" in requests[0]


@settings(max_examples=150, deadline=None)
@given(facts=FACTS)
def test_the_users_reveal_is_read_back_as_the_facts_asked_for(facts):
    reply = phrasing.reveal([(label(k), v) for k, v in facts.items()])

    assert reading.read(reply).facts == facts


def test_a_user_with_nothing_to_reveal_says_so():
    assert reading.read(phrasing.reveal([])).facts == {}


@given(labels=st.lists(NAMES.map(label), min_size=1, max_size=3, unique=True))
def test_the_agents_question_names_every_label_and_is_a_question(labels):
    question = phrasing.ask(labels)

    assert "?" in question
    assert all(lbl.lower() in question.lower() for lbl in labels)


@settings(max_examples=100, deadline=None)
@given(answers=st.lists(st.tuples(NAMES.map(label), VALUES), min_size=1, max_size=3))
def test_the_final_answer_states_every_value_as_said(answers):
    text = phrasing.final(answers)

    assert all(phrasing.say(value) in text for _, value in answers)


@given(value=VALUES)
def test_a_value_is_heard_as_it_was_said(value):
    assert reading.heard(phrasing.say(value)) == value
