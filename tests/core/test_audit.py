"""Audit log hash chain: `kiosk audit verify` catches an edited, a deleted and a reordered entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk import audit
from kiosk.cli.main import main
from kiosk.store import open_store


@pytest.fixture
def logged(data_dir: Path) -> Path:
    store = open_store(data_dir)
    for i in range(6):
        audit.append(store, f"staff:S{i}", "sign_in" if i % 2 == 0 else "mode_switch", {"n": i})
    store.close()
    cfg = data_dir.parent / "kiosk.toml"
    cfg.write_text(f'data_dir = "{data_dir}"\n', encoding="utf-8")
    return cfg


def _verify(cfg: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    rc = main(["--config", str(cfg), "audit", "verify", "--json"])
    return rc, json.loads(capsys.readouterr().out)


def _conn(cfg: Path):
    return open_store(cfg.parent / "data").conn


def test_intact_log_verifies(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out = _verify(logged, capsys)
    assert rc == 0 and out["ok"] and out["entries"] == 6


def test_edited_entry_detected(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _conn(logged).execute("UPDATE audit_log SET actor='staff:EVIL' WHERE seq=3")
    rc, out = _verify(logged, capsys)
    assert rc == 1 and [(p["seq"], p["kind"]) for p in out["problems"]] == [(3, "edited")]


def test_deleted_entry_detected(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _conn(logged).execute("DELETE FROM audit_log WHERE seq=4")
    rc, out = _verify(logged, capsys)
    assert rc == 1 and any(p["kind"] == "deleted" and p["seq"] == 5 for p in out["problems"])


def test_deleted_and_renumbered_detected(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = _conn(logged)
    c.execute("DELETE FROM audit_log WHERE seq=2")
    for seq in range(3, 7):
        c.execute("UPDATE audit_log SET seq=? WHERE seq=?", (seq - 1, seq))
    rc, out = _verify(logged, capsys)
    assert rc == 1 and out["problems"][0]["seq"] == 2


def test_reordered_entries_detected(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = _conn(logged)
    c.execute("UPDATE audit_log SET seq=100 WHERE seq=2")
    c.execute("UPDATE audit_log SET seq=2 WHERE seq=3")
    c.execute("UPDATE audit_log SET seq=3 WHERE seq=100")
    rc, out = _verify(logged, capsys)
    assert rc == 1 and {p["kind"] for p in out["problems"]} >= {"reordered"}


def test_text_output_for_people(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(logged), "audit", "verify"]) == 0
    assert "intact: 6 entries" in capsys.readouterr().out
