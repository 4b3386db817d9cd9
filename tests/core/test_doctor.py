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


# --- what a technician checks on a real kiosk (issue 11 part 7) ---------------------------------------------
def test_data_folder_readable_by_others_is_reported_with_the_fix(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    os.chmod(data, 0o755)
    _, checks = _doctor(_cfg(tmp_path, data), capsys)
    assert not checks["data_dir"]["ok"] and f"chmod 700 {data}" in checks["data_dir"]["message"]
    os.chmod(data, 0o700)
    _, checks = _doctor(_cfg(tmp_path, data), capsys)
    assert checks["data_dir"]["ok"] and "0o700" in checks["data_dir"]["message"]


def test_disk_space_is_measured_on_the_data_disk(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from kiosk import doctor

    _, checks = _doctor(_cfg(tmp_path, tmp_path / "not-yet"), capsys)  # measured on the parent until it exists
    free_gb = shutil.disk_usage(tmp_path).free / 1024 ** 3
    assert f"{free_gb:.1f} GB free" in checks["disk_space"]["message"]
    # Thresholds above what this disk has: the real free space is then "too little".
    monkeypatch.setattr(doctor, "DISK_ERROR_BYTES", shutil.disk_usage(tmp_path).free * 2)
    rc, checks = _doctor(_cfg(tmp_path, tmp_path / "not-yet"), capsys)
    assert rc == 1 and not checks["disk_space"]["ok"] and "Free space" in checks["disk_space"]["message"]


def test_sam_reader_answers_with_its_sam_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.drivers.sam_emulator import SamEmulator

    emu = SamEmulator().start()
    try:
        cfg = _cfg(tmp_path, tmp_path / "d")
        cfg.write_text(cfg.read_text(encoding="utf-8").replace('driver = "simulated"\n',
                                                                f'driver = "sam"\nport = "{emu.path}"\n', 1),
                       encoding="utf-8")
        _, checks = _doctor(cfg, capsys)
    finally:
        emu.close()
    msg = checks["card_reader"]["message"]
    assert checks["card_reader"]["ok"], msg
    # The emulator's SAM id is 16 zero bytes: formatted as the readers' tools print it.
    assert "SAM id 00.00-00000000-0000000000-0000000000" in msg
    assert (0x11, 0xFF) in emu.commands and (0x12, 0xFF) in emu.commands  # status, then id, on the wire


def test_sam_id_format() -> None:
    import struct

    from drivers.cli import format_sam_id

    raw = struct.pack("<HHIII", 5, 1, 20121108, 12345, 2345678901)
    assert format_sam_id(raw) == "05.01-20121108-0000012345-2345678901"
    assert format_sam_id(raw[:10]) is None


def test_font_check_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.checks
    import ui.theme
    from kiosk.config import KioskConfig

    [ok] = ui.checks.font_check(KioskConfig())
    assert ok.ok and "Noto Sans CJK SC" in ok.message  # packaging/setup.sh installs fonts-noto-cjk
    monkeypatch.setattr(ui.theme, "FONT_FAMILY", "No Such Font Family 42")
    [missing] = ui.checks.font_check(KioskConfig())
    assert not missing.ok and "apt-get install fonts-noto-cjk" in missing.message


def test_hub_token_trust_list_and_clock_against_a_real_hub(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from sync.client import write_token
    from sync.hub.embedded import start_embedded_hub

    hub = start_embedded_hub(tmp_path / "hub.db")  # not the demo: nothing published
    try:
        write_token(tmp_path / "token", hub.token_for("k-doctor"))
        extra = (f'hub_url = "{hub.url}"\ntoken_file = "{tmp_path / "token"}"\nkiosk_id = "k-doctor"\n')
        cfg = _cfg(tmp_path, tmp_path / "d")
        cfg.write_text(extra + cfg.read_text(encoding="utf-8"), encoding="utf-8")
        _, checks = _doctor(cfg, capsys)
        assert checks["hub_token"]["ok"]
        assert not checks["hub_trust_list"]["ok"]
        assert "hub has no trust list published" in checks["hub_trust_list"]["message"]
        assert checks["clock"]["ok"] and "agrees with the hub" in checks["clock"]["message"]
        write_token(tmp_path / "token", "not-a-token-the-hub-issued")
        rc, checks = _doctor(cfg, capsys)
        assert rc == 1 and not checks["hub_token"]["ok"] and "refuses this kiosk's token" in \
            checks["hub_token"]["message"]
    finally:
        hub.stop()


def test_clock_difference_is_told_in_seconds_and_direction() -> None:
    import datetime as dt
    import email.utils

    from sync.hub_checks import _clock

    now = dt.datetime.now(dt.UTC)
    behind = email.utils.format_datetime(now + dt.timedelta(minutes=10), usegmt=True)
    r = _clock(behind, now, now)
    assert not r.ok and "behind the hub's" in r.message and "timedatectl" in r.message
    r = _clock(email.utils.format_datetime(now, usegmt=True), now, now)
    assert r.ok
    assert _clock(None, now, now).level == "warning"


@pytest.mark.pcsc
def test_pcscd_reachable_and_readers_listed(tmp_path: Path) -> None:
    """`kiosk doctor` as its own process (libpcsclite reads the socket path once per process) against a private
    pcscd with one vsmartcard-vpcd reader, then with that pcscd stopped."""
    import subprocess
    import sys

    from tests.drivers.pcsc_stack import PrivatePcscd

    daemon = PrivatePcscd(tmp_path / "pcscd-run", tmp_path / "reader.conf.d")
    daemon.add_vpcd()
    cfg = _cfg(tmp_path, tmp_path / "d")
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('[card_reader]\ndriver = "simulated"',
                                                            '[card_reader]\ndriver = "pcsc"'), encoding="utf-8")
    env = dict(os.environ, PCSCLITE_CSOCK_NAME=str(daemon.socket_path))

    def doctor() -> dict[str, dict]:
        out = subprocess.run([sys.executable, "-m", "kiosk.cli.main", "--config", str(cfg), "doctor", "--json"],
                             capture_output=True, text=True, env=env, timeout=120)
        return {c["name"]: c for c in json.loads(out.stdout)["checks"]}

    daemon.start()
    try:
        checks = doctor()
    finally:
        daemon.stop()
    assert checks["pcscd"]["ok"] and "Virtual PCD 00 00" in checks["pcscd"]["message"]
    assert checks["card_reader"]["ok"]
    checks = doctor()
    assert not checks["pcscd"]["ok"] and checks["pcscd"]["level"] == "error"  # the reader is PC/SC: an error
    assert "systemctl enable --now pcscd.socket" in checks["pcscd"]["message"]


def test_ticket_slot_must_be_set_once_the_kiosk_joins_a_hall(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    def checks_for(tickets: str) -> dict[str, dict]:
        p = tmp_path / "slot.toml"
        p.write_text(f'data_dir = "{tmp_path / "data"}"\nhub_url = "http://127.0.0.1:9"\n{tickets}'
                     '[card_reader]\ndriver = "simulated"\n[scanner]\ndriver = "simulated"\n', encoding="utf-8")
        return _doctor(p, capsys)[1]

    unset = checks_for("")["ticket_slot"]
    assert unset["ok"] is False and unset["level"] == "warning" and "own slot" in unset["message"]
    assert checks_for("[tickets]\nslot = 0\n")["ticket_slot"]["ok"] is True  # slot 0 chosen on purpose is fine
    assert checks_for("[tickets]\nslot = 3\n")["ticket_slot"]["ok"] is True
    _, without_hub = _doctor(_cfg(tmp_path, tmp_path / "data"), capsys)
    assert "ticket_slot" not in without_hub  # a kiosk on its own numbers alone


def test_no_reader_configured_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Left at the defaults, the doctor says in both languages that there is no card reader and no scanner, and
    how to set one; the kiosk can still give numbers, so these are warnings, not failures."""
    p = tmp_path / "kiosk.toml"
    p.write_text(f'data_dir = "{tmp_path / "data"}"\n[printer]\npdf_dir = "{tmp_path / "r"}"\n', encoding="utf-8")
    _, checks = _doctor(p, capsys)
    reader, scanner = checks["card_reader"], checks["scanner"]
    assert (reader["ok"], reader["level"], scanner["ok"], scanner["level"]) == (False, "warning", False, "warning")
    assert reader["message"].startswith("本机没有设置读卡器，不能读身份证。No card reader is configured")
    assert 'card_reader.driver to "sam" or "pcsc"' in reader["message"]
    assert scanner["message"].startswith("本机没有设置扫码器，不能扫码。No code scanner is configured")
    main(["--config", str(p), "doctor"])
    text = capsys.readouterr().out
    assert "[WARN] card_reader: 本机没有设置读卡器" in text and "SIMULATED" not in text


def test_names_left_at_the_defaults_are_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, checks = _doctor(_cfg(tmp_path, tmp_path / "data"), capsys)
    names = checks["names"]
    assert (names["ok"], names["level"]) == (False, "warning")
    assert "kiosk_id, hall_id, display_name left at the default" in names["message"]
    assert "'demo-kiosk-01'" in names["message"] and "kiosk-hub kiosk add NAME" in names["message"]
    named = tmp_path / "named.toml"
    named.write_text(f'kiosk_id = "th-03"\nhall_id = "tianhe"\ndisplay_name = "天河 3号机 Tianhe 3"\n'
                     f'data_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    _, checks = _doctor(named, capsys)
    assert checks["names"]["ok"] and "th-03 (天河 3号机 Tianhe 3) in hall tianhe" in checks["names"]["message"]
