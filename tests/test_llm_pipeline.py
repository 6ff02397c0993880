"""The pipeline on the llm backends, against the local OpenAI-compatible server.

The server runs `gauntlet.testing.scripted_model`: deterministic stand-ins for each role, so the
runs can be compared byte for byte. What is shown: a warm rerun sends no request, a run
killed with -9 and restarted sends only what was not answered and ends identical to an
uninterrupted run, and the API key never reaches any output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gauntlet.testing.server_process import LocalServer

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-test-SECRET123456789"
DATE = "2026-11-21"


@pytest.fixture(scope="module")
def server():
    with LocalServer(latency_ms=2, model="gauntlet.testing.scripted_model:respond") as s:
        yield s


def env_for(server, root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAUNTLET_", "OPENAI_"))}
    env.update(
        GAUNTLET_BACKEND="llm",
        GAUNTLET_MODEL="scripted",
        OPENAI_BASE_URL=server.url,
        OPENAI_API_KEY=KEY,
        GAUNTLET_TEACHER_BACKEND="offline",
        GAUNTLET_TASKS="12",
        GAUNTLET_SEED="3",
        GAUNTLET_DATA_ROOT=str(root),
        DAGSTER_HOME=str(root / "dagster"),
        HF_HUB_OFFLINE="1",
        **extra,
    )
    return env


def start(server, root: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.run", "--date", DATE],
        cwd=ROOT,
        env=env_for(server, root, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def run(server, root: Path, **extra: str) -> tuple[int, str]:
    before = server.stats()["requests"]
    proc = start(server, root, **extra)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    return server.stats()["requests"] - before, out


def adp_bytes(root: Path) -> dict[str, bytes]:
    folder = root / "adp_dataset" / f"date={DATE}" / "shard=0" / "adp"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def reference(server, tmp_path_factory):
    root = tmp_path_factory.mktemp("uninterrupted")
    sent, out = run(server, root)
    return root, sent, out


def test_an_llm_run_exports_verified_trajectories(reference):
    root, sent, out = reference
    assert sent > 0
    assert "exported" in out
    assert len(adp_bytes(root)["trajectories.jsonl"].splitlines()) >= 3


def test_the_dataset_card_names_the_programs_the_records_name(reference):
    """The card's role table is read from the records' provenance, not assumed offline."""
    root, _, _ = reference
    for card in (
        root / "adp_dataset" / f"date={DATE}" / "shard=0" / "hub" / "README.md",
        root / "hub_dataset" / f"date={DATE}" / "README.md",
    ):
        text = card.read_text()
        assert "| baseline agent | llm (scripted) |" in text, card
        assert "| simulated user | llm (scripted) |" in text, card
        assert "| judge | rule checks, then rubric llm (scripted) |" in text, card
        assert "| teacher agent | oracle (offline) |" in text, card
        assert "offline (heuristic)" not in text, card


def test_a_warm_rerun_sends_no_request(server, reference):
    root, _, _ = reference
    sent, _ = run(server, root)
    assert sent == 0


def test_the_key_never_reaches_outputs_metadata_or_logs(reference):
    root, _, out = reference
    assert KEY not in out
    for path in root.rglob("*"):
        if path.is_file() and "llm_cache" not in path.parts:
            assert KEY.encode() not in path.read_bytes(), path


def test_a_killed_run_resumes_with_only_the_missing_requests(server, reference, tmp_path):
    ref_root, total, _ = reference
    root = tmp_path / "killed"
    before = server.stats()["requests"]
    proc = start(server, root)
    deadline = time.time() + 120
    while server.stats()["requests"] - before < total // 2 and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = server.stats()["requests"] - before
    assert 0 < first < total
    second, _ = run(server, root)
    concurrency = 16  # requests that were in flight at the kill may be sent again
    assert first + second <= total + concurrency
    assert second < total
    assert adp_bytes(root) == adp_bytes(ref_root)
