"""Config: one TOML file validated into typed settings; a bad file is refused with the key and the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.config import KioskConfig, load_config
from kiosk.messages import KioskError


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "kiosk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_example_config_is_valid() -> None:
    cfg = load_config(Path(__file__).resolve().parents[2] / "packaging" / "kiosk.example.toml")
    assert cfg.card_reader.driver == "sam" and cfg.card_reader.baud == 115200
    assert cfg.hub_url == "https://hub.hall.example"


@pytest.mark.parametrize("text,key", [
    ("kiosk_id = ''\n", "kiosk_id"),
    ("[timeouts]\nidle_seconds = 2\n", "timeouts.idle_seconds"),
    ("[card_reader]\ndriver = 'magic'\n", "card_reader.driver"),
    ("hub_url = 'http://hub.example'\n", "hub_url"),
    ("colour = 'red'\n", "colour"),
    ("[ui]\nlanguage = 'fr'\n", "ui.language"),
])
def test_bad_values_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(KioskError) as exc:
        load_config(_write(tmp_path, text))
    assert exc.value.kind == "config_invalid"
    assert key in exc.value.message.en and key in exc.value.message.zh


def test_not_toml(tmp_path: Path) -> None:
    with pytest.raises(KioskError) as exc:
        load_config(_write(tmp_path, "kiosk_id = \n"))
    assert exc.value.kind == "config_invalid" and "TOML" in exc.value.message.en


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KioskError) as exc:
        load_config(tmp_path / "nope.toml")
    assert exc.value.kind == "config_missing"


def test_env_var_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _write(tmp_path, "data_dir = 'var'\nkiosk_id = 'k-7'\n")
    monkeypatch.setenv("KIOSK_CONFIG", str(p))
    cfg = load_config()
    assert cfg.kiosk_id == "k-7" and cfg.data_dir == tmp_path / "var"


def test_cli_check_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token = tmp_path / "token"
    token.write_text("SECRET-TOKEN-VALUE")
    p = _write(tmp_path, f"kiosk_id = 'k-9'\ntoken_file = '{token}'\n")
    assert main(["--config", str(p), "config", "check"]) == 0
    assert "k-9" in capsys.readouterr().out
    assert main(["--config", str(p), "config", "show"]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out)
    assert shown["kiosk_id"] == "k-9" and "SECRET-TOKEN-VALUE" not in out and "hidden" in shown["token_file"]
    bad = _write(tmp_path, "[timeouts]\nidle_seconds = 'soon'\n")
    assert main(["--config", str(bad), "config", "check"]) == 1
    assert "timeouts.idle_seconds" in capsys.readouterr().err


def test_nothing_simulated_unless_configured(tmp_path: Path) -> None:
    """A kiosk started with a forgotten (or empty) config reads no demo cards and scans no demo codes."""
    (tmp_path / "empty.toml").write_text('kiosk_id = "k1"\n', encoding="utf-8")
    for cfg in (KioskConfig(), load_config(tmp_path / "empty.toml")):
        assert cfg.card_reader.driver == "none" and cfg.scanner.driver == "none"
