"""World ids: readable, seeded, and checked, so a made-up id is `not_found`."""

from gauntlet.world.ids import is_minted, mint_id

SEED = 11


def test_minted_ids_round_trip_and_a_tweaked_id_is_rejected():
    ids = [mint_id(SEED, "booking", i) for i in range(50)]
    tweaked = [i[:-1] + ("A" if i[-1] != "A" else "B") for i in ids]
    tweaked += [i[:4] + ("Z" if i[4] != "Z" else "Y") + i[5:] for i in ids]

    assert all(i.startswith("BKN-") and len(i) == 10 for i in ids)
    assert all(is_minted(SEED, "booking", i) for i in ids)
    assert not any(is_minted(SEED, "booking", i) for i in tweaked)
    assert not any(is_minted(SEED, "flight", i) for i in ids)
    assert not is_minted(SEED, "booking", 12345)
