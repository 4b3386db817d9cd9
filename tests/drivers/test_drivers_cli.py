"""`kiosk read-card`, `kiosk devices` and the card-reader doctor check, run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.textblock import encode_text_block
from tests.drivers.card_samples import FOREIGN_2017, RESIDENT
from tests.drivers.pcsc_stack import PrivatePcscd
from tests.drivers.sam_emulator import Card, SamEmulator
from tests.drivers.vpcd_card import SocialSecurityApp, VirtualCard


def kiosk(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    # faulthandler: a crash in a native library (pyscard, pyserial's termios) then leaves a traceback in stderr.
    full_env = {**os.environ, "PYTHONFAULTHANDLER": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "kiosk.cli.main", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, check=False)


def json_of(proc: subprocess.CompletedProcess[str]) -> Any:
    """The command's JSON answer; when there is none, fail with its exit status and stderr (a crash says why)."""
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"no JSON from {proc.args[3:]} (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}") \
            from None


@pytest.fixture
def emu() -> Iterator[SamEmulator]:
    e = SamEmulator().start()
    yield e
    e.close()


def test_read_card_sam_json(emu: SamEmulator) -> None:
    emu.place(Card(encode_text_block(RESIDENT)))
    out = kiosk("read-card", "--driver", "sam", "--port", emu.path, "--baud", "115200", "--timeout", "10", "--json")
    assert out.returncode == 0, out.stderr
    assert json_of(out) == {
        "card_type": "resident", "name": "陈桂芳", "sex": "male", "ethnicity": "汉", "birth_date": "1954-03-15",
        "address": "广东省广州市天河区示例路1号", "id_number": "440106195403151232", "id_number_valid": True,
        "issuer": "广州市公安局天河分局", "valid_from": "2014-03-20", "valid_until": "long_term"}


def test_read_card_sam_foreign_2017_card_number(emu: SamEmulator) -> None:
    emu.place(Card(encode_text_block(FOREIGN_2017, "I")))
    out = kiosk("read-card", "--driver", "sam", "--port", emu.path, "--timeout", "10", "--json")
    data = json_of(out)
    assert out.returncode == 0
    assert data["card_type"] == "foreign_permanent_resident" and data["card_number"] == "USA440080050611"
    assert data["name_en"] == "SMITH JOHN DEMO" and data["nationality"] == "USA" and "id_number" not in data


def test_read_card_plain_output_is_masked(emu: SamEmulator) -> None:
    emu.place(Card(encode_text_block(RESIDENT)))
    out = kiosk("read-card", "--driver", "sam", "--port", emu.path, "--timeout", "10")
    assert out.returncode == 0
    assert "陈桂芳" not in out.stdout and "440106195403151232" not in out.stdout
    assert "陈**" in out.stdout and "440106********1232" in out.stdout


def test_read_card_errors_are_json_with_nonzero_exit(emu: SamEmulator) -> None:
    emu.sam_status = 0x66
    out = kiosk("read-card", "--driver", "sam", "--port", emu.path, "--timeout", "10", "--json")
    assert out.returncode == 1
    err = json_of(out)
    assert err["error"] == "sam_not_authorized" and err["message"]["zh"] and err["message"]["en"]

    emu.sam_status = 0x90  # no card placed: the wait ends at the timeout
    out = kiosk("read-card", "--driver", "sam", "--port", emu.path, "--timeout", "1", "--json")
    assert out.returncode == 1 and json_of(out)["error"] == "timeout"

    out = kiosk("read-card", "--driver", "sam", "--port", "/nonexistent/ttyX", "--timeout", "5", "--json")
    assert out.returncode == 1 and json_of(out)["error"] == "port_unavailable"


def test_read_card_simulated() -> None:
    out = kiosk("read-card", "--driver", "simulated", "--card", "4", "--json")
    assert out.returncode == 0 and json_of(out) == {"card_type": "badge", "uid": "04A1B2C3D4E580"}


@pytest.mark.pcsc
def test_read_card_pcsc_devices_and_doctor(pcscd: PrivatePcscd, tmp_path: Path) -> None:
    env = {"PCSCLITE_CSOCK_NAME": str(pcscd.socket_path)}
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n[card_reader]\ndriver = "pcsc"\nreader = "Virtual PCD 00 00"\n')

    doctor = kiosk("--config", str(cfg), "doctor", "--json", env=env)  # pcscd not running yet
    check = next(c for c in json_of(doctor)["checks"] if c["name"] == "card_reader")
    assert not check["ok"] and "systemctl" in check["message"]

    port = pcscd.add_vpcd()
    pcscd.start()
    devices = kiosk("devices", "--json", env=env)
    assert devices.returncode == 0
    assert "Virtual PCD 00 00" in json_of(devices)["pcsc"]["readers"]
    doctor = kiosk("--config", str(cfg), "doctor", "--json", env=env)
    check = next(c for c in json_of(doctor)["checks"] if c["name"] == "card_reader")
    assert check["ok"], check

    card = VirtualCard(port, SocialSecurityApp())
    card.insert()
    try:
        out = kiosk("read-card", "--driver", "pcsc", "--reader", "Virtual PCD 00 00", "--timeout", "15", "--json",
                    env=env)
    finally:
        card.remove()
    assert out.returncode == 0, out.stdout + out.stderr
    data = json_of(out)
    assert data["card_type"] == "social_security" and data["name"] == "陈桂芳"
    assert data["id_number"] == "440106195403151232" and data["id_number_valid"] is True


def test_doctor_sam_check(emu: SamEmulator, tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n[card_reader]\ndriver = "sam"\nport = "{emu.path}"\n')
    doctor = kiosk("--config", str(cfg), "doctor", "--json")
    check = next(c for c in json_of(doctor)["checks"] if c["name"] == "card_reader")
    assert check["ok"], check
    emu.sam_status = 0x66
    doctor = kiosk("--config", str(cfg), "doctor", "--json")
    check = next(c for c in json_of(doctor)["checks"] if c["name"] == "card_reader")
    assert not check["ok"] and "not authorised" in check["message"]
    # The SAM reader works, and the doctor says plainly that staff cannot sign in with a badge on it (a warning:
    # citizens are served; the journey does not offer what a staff badge would have to confirm).
    badge = next(c for c in json_of(doctor)["checks"] if c["name"] == "badge_signin")
    assert not badge["ok"] and badge["level"] == "warning" and "PC/SC badge reader" in badge["message"]
    assert "读不了工作证" in badge["message"]
    cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n[card_reader]\ndriver = "sam"\nport = "/dev/ttyNOPE9"\n')
    doctor = kiosk("--config", str(cfg), "doctor", "--json")
    check = next(c for c in json_of(doctor)["checks"] if c["name"] == "card_reader")
    assert not check["ok"] and "USB cable" in check["message"]
