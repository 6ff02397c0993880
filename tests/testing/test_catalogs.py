"""Generated catalogs: valid native catalogs in invented domains, fixed by their seed."""

from __future__ import annotations

import json

from gauntlet import records
from gauntlet.catalog import load_folder
from gauntlet.graph.edges import build_edges
from gauntlet.testing.catalogs import DOMAINS, make_catalog, make_catalogs


def test_make_catalogs_gives_the_requested_number_in_invented_domains():
    catalogs = make_catalogs(3)

    assert [c["domain"] for c in catalogs] == ["observatory", "vineyard", "library"]


def test_every_generated_catalog_matches_the_catalog_schema():
    for catalog in make_catalogs(len(DOMAINS)):
        assert records.errors("catalog", catalog) == [], catalog["domain"]


def test_a_catalog_has_a_sign_in_and_four_operations_per_entity():
    catalog = make_catalog("observatory", ["telescope", "night_slot"])

    names = [t["name"] for t in catalog["tools"]]

    assert names == [
        "sign_in_observatory",
        "find_telescopes",
        "get_telescope",
        "reserve_telescope",
        "cancel_telescope_reservation",
        "find_night_slots",
        "get_night_slot",
        "reserve_night_slot",
        "cancel_night_slot_reservation",
    ]
    effects = {t["name"]: t["effect"] for t in catalog["tools"]}
    assert effects["get_telescope"] == "read" and effects["reserve_telescope"] == "write"


def test_later_entities_reference_the_one_before():
    catalog = make_catalog("library", ["book", "loan"])

    [get_loan] = [t for t in catalog["tools"] if t["name"] == "get_loan"]

    assert {"loan_id", "book_id", "status"} <= set(get_loan["returns"]["properties"])


def test_domains_repeat_with_a_suffix_past_the_invented_ones():
    catalogs = make_catalogs(len(DOMAINS) + 2)

    assert [c["domain"] for c in catalogs[-2:]] == ["observatory1", "vineyard1"]
    assert "get_telescope1" in [t["name"] for t in catalogs[-2]["tools"]]


def test_same_seed_gives_the_same_catalogs_and_another_seed_differs():
    assert json.dumps(make_catalogs(3, seed=5)) == json.dumps(make_catalogs(3, seed=5))
    assert make_catalogs(3, seed=5) != make_catalogs(3, seed=6)


def test_many_generated_catalogs_load_with_no_issues(tmp_path):
    for catalog in make_catalogs(20):
        (tmp_path / f"{catalog['domain']}.json").write_text(json.dumps(catalog))

    load = load_folder(tmp_path)

    assert load.issues == []
    assert len(load.tools) == 20 * 17
    assert len({t["name"] for t in load.tools}) == len(load.tools)


def test_generated_catalogs_link_search_to_get_to_reserve_to_cancel(catalog_dir):
    tools = load_folder(catalog_dir).tools

    edges = {(e["source_tool"], e["target_tool"], e["target_param"]) for e in build_edges(tools)}

    assert {
        ("find_books", "get_book", "book_id"),
        ("get_book", "reserve_book", "book_id"),
        ("sign_in_library", "reserve_book", "session_id"),
        ("reserve_book", "cancel_book_reservation", "book_reservation_id"),
    } <= edges
