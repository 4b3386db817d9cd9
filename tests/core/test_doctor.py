"""`kiosk doctor`: plain-words checks, non-zero exit on problems, `--json` for scripts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.store import open_store


def _cfg(tmp_path: Path, data_dir: Path, extra: str = "") -> Path:
    p = tmp_path / "kiosk.toml"
    p.write_text(f'data_dir = "{data_dir}"\n[card_reader]\ndriver = "simulated"\n'
                 f'[scanner]\ndriver = "simulated"\n[printer]\npdf_dir = "{tmp_path / "receipts"}"\n{extra}',
                 encoding="utf-8")
    return p


def _doctor(cfg: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, dict]]:
    rc = main(["--config", str(cfg), "doctor", "--json"])
    out = json.loads(capsys.readouterr().out)
    return rc, {c["name"]: c for c in out["checks"]}


def test_fresh_machine_explains_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, checks = _doctor(_cfg(tmp_path, tmp_path / "never-started"), capsys)
    assert "created on first start" in checks["data_dir"]["message"]
    assert checks["data_dir"]["level"] == "warning"
    assert checks["config"]["ok"]


def test_healthy_store_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    rc, checks = _doctor(_cfg(tmp_path, data), capsys)
    assert rc == 0, [c for c in checks.values() if not c["ok"]]
    assert checks["database"]["ok"] and "schema v" in checks["database"]["message"]
    assert checks["key_file"]["ok"]


def test_world_readable_key_file_fails_with_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    os.chmod(data / "keys.json", 0o644)
    rc, checks = _doctor(_cfg(tmp_path, data), capsys)
    assert rc == 1 and not checks["key_file"]["ok"] and "chmod 600" in checks["key_file"]["message"]


def test_missing_key_with_database_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    (data / "keys.json").unlink()
    rc, checks = _doctor(_cfg(tmp_path, data), capsys)
    assert rc == 1 and "restore it" in checks["key_file"]["message"]


def test_bad_config_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("[timeouts]\nidle_seconds = -1\n", encoding="utf-8")
    rc, checks = _doctor(cfg, capsys)
    assert rc == 1 and "timeouts.idle_seconds" in checks["config"]["message"]


def test_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    main(["--config", str(_cfg(tmp_path, data)), "doctor"])
    out = capsys.readouterr().out
    assert "[OK  ] database" in out
