"""Code versions follow the sources: a changed engine module makes its assets stale."""

from assets import versions
from pipelines.definitions import defs


def test_a_changed_source_changes_the_version(tmp_path):
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "stage.py").write_text("x = 1\n")
    before = versions.source_hash("engine", root=tmp_path)
    (tmp_path / "engine" / "stage.py").write_text("x = 2\n")
    assert versions.source_hash("engine", root=tmp_path) != before


def test_a_cache_file_does_not(tmp_path):
    (tmp_path / "engine" / "__pycache__").mkdir(parents=True)
    (tmp_path / "engine" / "stage.py").write_text("x = 1\n")
    before = versions.source_hash("engine", root=tmp_path)
    (tmp_path / "engine" / "__pycache__" / "stage.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "engine" / "notes.txt").write_text("not a source")
    assert versions.source_hash("engine", root=tmp_path) == before


def test_every_asset_carries_a_hashed_code_version():
    for spec in defs.resolve_all_asset_specs():
        manual, _, digest = spec.code_version.partition("-")
        assert manual.isdigit() and len(digest) == 10, spec.key
