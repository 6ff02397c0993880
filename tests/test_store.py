"""The partition store: layout, manifests, atomic replace, determinism, errors, DuckDB views."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gauntlet import canonical, store
from gauntlet.store import Manifest, MissingPartitionError, Store, partition_path

PART = {"date": "2026-11-21", "shard": "0"}
RECORDS = [
    {"id": "t-1", "difficulty": {"level": 2}, "text": "héllo"},
    {"id": "t-2", "difficulty": {"level": 3}, "nested": {"b": 1, "a": [1, 2]}},
]
REJECTED = [{"id": "t-3", "reason": "reference_failed", "detail": "call 2 raised"}]


def write(s: Store, records=RECORDS, partition=PART, **kwargs) -> Manifest:
    args = {
        "code_version": "7",
        "upstream": {"tool_graph": "g" * 8, "tool_catalog": "c" * 8},
        "seed": 42,
        "config": {"tasks": 2, "catalogs": "data/catalogs"},
        "rejected": REJECTED,
        "columns": {"level": [r.get("difficulty", {}).get("level") for r in records]},
    }
    args.update(kwargs)
    return s.write("tasks", partition, records, **args)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def staging_leftovers(root: Path) -> list[Path]:
    staging = root / store.STAGING_DIR
    return list(staging.iterdir()) if staging.exists() else []


def test_partition_paths() -> None:
    assert partition_path(None) == "latest"
    assert partition_path({"shard": "0", "date": "2026-11-21"}) == "date=2026-11-21/shard=0"
    assert partition_path("date=2026-11-21/shard=3") == "date=2026-11-21/shard=3"
    for bad in ({"date": "../x"}, {"date": "a/b"}, "x", {"bad key": "1"}, {}, "date=.."):
        with pytest.raises(ValueError):
            partition_path(bad)


def test_round_trip_and_manifest(tmp_path: Path) -> None:
    s = Store(tmp_path)
    manifest = write(s)
    folder = tmp_path / "tasks" / "date=2026-11-21" / "shard=0"
    assert s.path("tasks", PART) == folder
    assert sorted(files_of(folder)) == ["manifest.json", "records.parquet", "rejected.parquet"]
    assert s.read("tasks", PART) == RECORDS
    assert s.read_rejected("tasks", PART) == REJECTED
    assert s.manifest("tasks", PART) == manifest
    assert manifest.partition == "date=2026-11-21/shard=0"
    assert manifest.row_count == 2
    assert manifest.content_hash == canonical.digest_lines(canonical.dumps(r) for r in RECORDS)
    assert manifest.rejected == {"reference_failed": 1} and manifest.rejected_count == 1
    assert manifest.upstream == {"tool_catalog": "c" * 8, "tool_graph": "g" * 8}
    assert manifest.seed == 42 and manifest.code_version == "7"
    assert manifest.columns == ["id", "record", "level"]
    frame = s.read_frame("tasks", PART)
    assert frame["id"].to_list() == ["t-1", "t-2"]
    assert frame["record"].to_list() == [canonical.dumps(r) for r in RECORDS]
    assert frame["level"].to_list() == [2, 3]


def test_manifest_text_is_stable_json(tmp_path: Path) -> None:
    s = Store(tmp_path)
    write(s)
    text = (s.path("tasks", PART) / "manifest.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert not any("time" in key or "created" in key for key in data)
    assert set(data["files"]) == {"records.parquet", "rejected.parquet"}


def test_unpartitioned_is_latest(tmp_path: Path) -> None:
    s = Store(tmp_path)
    tools = [{"name": "get_order"}, {"name": "cancel_order"}]
    s.write("tool_catalog", None, tools, ids=[t["name"] for t in tools], code_version="1")
    assert (tmp_path / "tool_catalog" / "latest" / "records.parquet").is_file()
    assert s.read("tool_catalog") == tools
    assert s.partitions("tool_catalog") == ["latest"]


def test_same_inputs_give_byte_identical_partitions(tmp_path: Path) -> None:
    def extra(folder: Path) -> None:
        (folder / "adp").mkdir()
        (folder / "adp" / "metadata.json").write_text("{}\n", encoding="utf-8")

    a, b = Store(tmp_path / "a"), Store(tmp_path / "b")
    write(a, extra_files=extra)
    write(b, extra_files=extra)
    first = files_of(a.path("tasks", PART))
    assert first == files_of(b.path("tasks", PART))
    write(a, extra_files=extra)  # rewriting in place changes nothing either
    assert files_of(a.path("tasks", PART)) == first


def test_extra_files_are_kept_and_hashed(tmp_path: Path) -> None:
    s = Store(tmp_path)

    def extra(folder: Path) -> None:
        (folder / "graph.png").write_bytes(b"\x89PNG fake")

    manifest = write(s, extra_files=extra)
    assert (s.path("tasks", PART) / "graph.png").read_bytes() == b"\x89PNG fake"
    assert "graph.png" in manifest.files and len(manifest.files["graph.png"]) == 64


def test_replace_swaps_the_whole_partition(tmp_path: Path) -> None:
    s = Store(tmp_path)
    write(s, extra_files=lambda folder: (folder / "old.txt").write_text("old"))
    new = [{"id": "t-9", "difficulty": {"level": 5}}]
    manifest = write(s, records=new, rejected=[])
    folder = s.path("tasks", PART)
    assert s.read("tasks", PART) == new
    assert not (folder / "old.txt").exists()
    assert manifest.row_count == 1 and manifest.rejected == {}
    assert staging_leftovers(tmp_path) == []


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    s = Store(tmp_path)

    def boom(folder: Path) -> None:
        (folder / "half.txt").write_text("half")
        raise RuntimeError("stage crashed")

    with pytest.raises(RuntimeError, match="stage crashed"):
        write(s, extra_files=boom)
    assert not s.path("tasks", PART).exists()
    assert not s.exists("tasks", PART)
    assert staging_leftovers(tmp_path) == []


def test_failure_keeps_the_previous_partition(tmp_path: Path) -> None:
    s = Store(tmp_path)
    write(s)
    before = files_of(s.path("tasks", PART))
    with pytest.raises(ValueError):
        write(s, records=[{"no": "id"}], columns={})
    assert files_of(s.path("tasks", PART)) == before
    assert staging_leftovers(tmp_path) == []


def test_failed_rename_restores_the_old_partition(tmp_path: Path, monkeypatch) -> None:
    s = Store(tmp_path)
    write(s)
    before = files_of(s.path("tasks", PART))
    real_rename = os.rename
    calls = []

    def flaky(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # 1: old aside, 2: new in -> fails
            raise PermissionError("disk said no")
        return real_rename(src, dst)

    monkeypatch.setattr(store.os, "rename", flaky)
    with pytest.raises(PermissionError):
        write(s, records=[{"id": "x"}], columns={})
    monkeypatch.setattr(store.os, "rename", real_rename)
    assert files_of(s.path("tasks", PART)) == before
    assert staging_leftovers(tmp_path) == []


def test_writer_without_commit_writes_nothing(tmp_path: Path) -> None:
    s = Store(tmp_path)
    with s.writer("adp_dataset", PART) as w:
        (w.path / "adp").mkdir()
    assert not s.path("adp_dataset", PART).exists()
    assert staging_leftovers(tmp_path) == []


def test_writer_lets_a_stage_write_into_the_partition(tmp_path: Path) -> None:
    s = Store(tmp_path)
    with s.writer("adp_dataset", PART) as w:
        (w.path / "hub").mkdir()
        (w.path / "hub" / "README.md").write_text("card\n")
        manifest = w.commit([{"id": "traj-1"}], code_version="1")
    assert (s.path("adp_dataset", PART) / "hub" / "README.md").read_text() == "card\n"
    assert "hub/README.md" in manifest.files


def test_extra_files_may_not_shadow_store_files(tmp_path: Path) -> None:
    s = Store(tmp_path)
    with pytest.raises(ValueError, match="records.parquet"):
        write(s, extra_files=lambda folder: (folder / "records.parquet").write_text("x"))
    assert not s.exists("tasks", PART)


def test_missing_partition_error_says_what_to_materialize(tmp_path: Path) -> None:
    s = Store(tmp_path)
    with pytest.raises(MissingPartitionError) as err:
        s.read("tool_graph")
    message = str(err.value)
    assert "'tool_graph'" in message and "'latest'" in message and "materialize" in message
    write(s)
    other = {"date": "2026-11-22", "shard": "0"}
    with pytest.raises(MissingPartitionError, match="date=2026-11-22/shard=0") as err:
        s.manifest("tasks", other)
    assert "date=2026-11-21/shard=0" in str(err.value)  # names what does exist


def test_bad_inputs_are_named(tmp_path: Path) -> None:
    s = Store(tmp_path)
    with pytest.raises(ValueError, match="record 0 has no string 'id'"):
        s.write("tool_graph", None, [{"source_tool": "a"}], code_version="1")
    with pytest.raises(ValueError, match="1 ids for 2 records"):
        s.write("tasks", PART, RECORDS, ids=["a"], code_version="1")
    with pytest.raises(ValueError, match="column 'level' has 1 values"):
        s.write("tasks", PART, RECORDS, columns={"level": [1]}, code_version="1")
    with pytest.raises(ValueError, match="reserved"):
        s.write("tasks", PART, RECORDS, columns={"shard": [1, 2]}, code_version="1")
    with pytest.raises(ValueError, match="bad asset name"):
        s.write("../x", None, RECORDS, code_version="1")


def test_empty_partition(tmp_path: Path) -> None:
    s = Store(tmp_path)
    manifest = s.write("judged", PART, [], code_version="1", columns={"keep": []})
    assert manifest.row_count == 0
    assert manifest.content_hash == canonical.digest_lines([])
    assert s.read("judged", PART) == []


def test_duckdb_views_over_all_partitions(tmp_path: Path) -> None:
    s = Store(tmp_path)
    write(s)
    shard1 = {"date": "2026-11-21", "shard": "1"}
    write(s, partition=shard1, records=[{"id": "t-5"}], columns={}, rejected=[])
    s.write("tool_catalog", None, [{"name": "a"}], ids=["a"], code_version="1")
    con = s.duckdb()
    rows = con.execute(
        "SELECT shard, id, CAST(record->>'$.difficulty.level' AS INTEGER) AS level "
        "FROM tasks WHERE date = '2026-11-21' ORDER BY shard, id"
    ).fetchall()
    assert rows == [("0", "t-1", 2), ("0", "t-2", 3), ("1", "t-5", None)]
    assert con.execute("SELECT reason, count(*) FROM tasks_rejected GROUP BY 1").fetchall() == [
        ("reference_failed", 1)
    ]
    assert con.execute("SELECT record->>'$.name' FROM tool_catalog").fetchall() == [("a",)]
    views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    assert {"tasks", "tasks_rejected", "tool_catalog"} <= views
    assert "judged" not in views  # no partitions, no view


def test_duckdb_ignores_staging_and_old_folders(tmp_path: Path) -> None:
    s = Store(tmp_path)
    write(s)
    leftover = tmp_path / store.STAGING_DIR / "tasks-crashed"
    leftover.mkdir(parents=True)
    (leftover / "records.parquet").write_bytes(b"not parquet")
    assert s.duckdb().execute("SELECT count(*) FROM tasks").fetchone() == (2,)
    assert s.assets() == ["tasks"]
