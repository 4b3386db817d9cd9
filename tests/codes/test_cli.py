"""`kiosk scan`: images, video files and stdin lines, text and --json output, --trust-list and --at."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import cv2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.cli.main import main
from kiosk.codes.trust import trust_list_entry
from tests.codes.conftest import make_dsc
from tests.scanner.media import frame_with, qr_image, write_video

FIELDS = {"input", "found", "format", "verdict", "issuer", "kid", "issued_at", "expires_at", "subject", "message"}


@pytest.fixture
def dcc_case(testdata: Path, tmp_path: Path) -> dict[str, object]:
    """One real EU DCC test file: its PNG, its certificate as a trust list, its clock."""
    data = json.loads((testdata / "dcc" / "AT" / "2DCode" / "raw" / "1.json").read_text())
    png = tmp_path / "at1.png"
    png.write_bytes(base64.b64decode(data["2DCODE"]))
    tl = tmp_path / "trust.json"
    tl.write_text(json.dumps([trust_list_entry(base64.b64decode(data["TESTCTX"]["CERTIFICATE"]), "AT")]))
    return {"png": png, "trust": tl, "clock": data["TESTCTX"]["VALIDATIONCLOCK"], "prefix": data["PREFIX"],
            "tmp": tmp_path}


def run(argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    rc = main(["--config", str(_config(tmp_path)), *argv])
    out = capsys.readouterr().out
    return rc, [json.loads(line) for line in out.splitlines() if line.strip()]


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "kiosk.toml"
    if not cfg.exists():
        cfg.write_text(f'data_dir = "{tmp_path / "data"}"\n')
    return cfg


def test_image_video_and_stdin(dcc_case: dict, capsys: pytest.CaptureFixture[str],  # type: ignore[type-arg]
                               monkeypatch: pytest.MonkeyPatch) -> None:
    tmp = dcc_case["tmp"]
    video = tmp / "hall.avi"
    write_video(video, dcc_case["prefix"], seconds_before=0.5, seconds_with=0.5)
    blank = tmp / "blank.png"
    cv2.imwrite(str(blank), frame_with(qr_image("x"))[:50, :50])
    monkeypatch.setattr(sys, "stdin", io.StringIO(dcc_case["prefix"] + "\n\nhello\n"))
    rc, rows = run(["scan", "--json", "--trust-list", str(dcc_case["trust"]), "--at", dcc_case["clock"],
                    str(dcc_case["png"]), str(video), str(blank), "-"], capsys, tmp)
    assert rc == 0
    assert [r["input"] for r in rows] == [str(dcc_case["png"]), str(video), str(blank), "stdin:1", "stdin:3"]
    for r in rows:
        assert set(r) >= FIELDS and set(r["message"]) == {"zh", "en"}
    png, vid, none, line, other = rows
    assert png["verdict"] == "valid" and png["format"] == "dcc" and png["found"] is True
    assert png["issuer"] == "AT" and len(png["kid"]) == 16 and png["issued_at"] and png["expires_at"]
    assert png["subject"] == {"name": "Musterfrau-Gößinger Gabriele", "date_of_birth": "1998-02-26"}
    assert vid["verdict"] == "valid" and vid["kid"] == png["kid"]
    assert none == {**none, "found": False, "verdict": "no_code", "format": "unknown"}
    assert line["verdict"] == "valid"
    assert other["verdict"] == "unsupported" and other["format"] == "unknown"


def test_clock_decides_expiry(dcc_case: dict, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[type-arg]
    rc, rows = run(["scan", "--json", "--trust-list", str(dcc_case["trust"]), "--at", "2035-01-01T00:00:00Z",
                    str(dcc_case["png"])], capsys, dcc_case["tmp"])
    assert rc == 0 and rows[0]["verdict"] == "expired"


def test_without_the_certificate_the_issuer_is_unknown(dcc_case: dict,  # type: ignore[type-arg]
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # No --trust-list and no kiosk database: nothing is trusted (never the bundled demo list).
    rc, rows = run(["scan", "--json", "--at", dcc_case["clock"], str(dcc_case["png"])], capsys, dcc_case["tmp"])
    assert rc == 0 and (rows[0]["verdict"], rows[0]["detail"]) == ("trust_list_stale", "no trust list")
    assert not (Path(dcc_case["tmp"]) / "data").exists()  # scanning does not create a kiosk database
    # A trust list without Austria's test DSC: the issuer is unknown.
    other = Path(dcc_case["tmp"]) / "other.json"
    other.write_text(json.dumps([trust_list_entry(make_dsc(ec.generate_private_key(ec.SECP256R1())), "CN")]))
    rc, rows = run(["scan", "--json", "--trust-list", str(other), "--at", dcc_case["clock"], str(dcc_case["png"])],
                   capsys, dcc_case["tmp"])
    assert rc == 0 and rows[0]["verdict"] == "unknown_issuer"


def test_store_trust_is_used_and_can_be_stale(dcc_case: dict,  # type: ignore[type-arg]
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from kiosk.codes import trust_store
    from kiosk.store import open_store

    tmp = Path(dcc_case["tmp"])
    store = open_store(tmp / "data")
    trust_store.save(store, "trust_list", Path(dcc_case["trust"]).read_bytes(),
                     fetched_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    store.close()
    rc, rows = run(["scan", "--json", "--at", dcc_case["clock"], str(dcc_case["png"])], capsys, tmp)
    assert rows[0]["verdict"] == "trust_list_stale" and rc == 0


def test_unreadable_input_is_reported_and_fails(dcc_case: dict,  # type: ignore[type-arg]
                                                capsys: pytest.CaptureFixture[str]) -> None:
    text = Path(dcc_case["tmp"]) / "notes.txt"
    text.write_text("not an image")
    rc, rows = run(["scan", "--json", "--trust-list", str(dcc_case["trust"]), str(text),
                    str(Path(dcc_case["tmp"]) / "missing.png"), str(dcc_case["png"])], capsys, dcc_case["tmp"])
    assert rc == 1
    assert [r["found"] for r in rows] == [False, False, True]
    assert rows[0]["verdict"] == "no_code" and "notes.txt" in rows[0]["message"]["en"]


def test_text_output_and_bad_time(dcc_case: dict, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[type-arg]
    rc = main(["--config", str(_config(Path(dcc_case["tmp"]))), "scan", "--trust-list", str(dcc_case["trust"]),
               "--at", dcc_case["clock"], str(dcc_case["png"])])
    out = capsys.readouterr().out
    assert rc == 0 and "valid (dcc AT)" in out and "码已核验" in out
    rc = main(["--config", str(_config(Path(dcc_case["tmp"]))), "scan", "--at", "yesterday", "-"])
    assert rc == 1 and "--at" in capsys.readouterr().err


DEMO_CODES = Path(__file__).resolve().parents[2] / "kiosk" / "codes" / "data" / "demo_codes.txt"


def _scan_demo_codes(cfg_file: Path) -> list[dict[str, Any]]:
    kiosk = Path(sys.executable).parent / "kiosk"  # the installed command, as a technician runs it
    lines = [x for x in DEMO_CODES.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    res = subprocess.run([str(kiosk), "--config", str(cfg_file), "scan", "--json", "-"], input="\n".join(lines),
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    return [json.loads(x) for x in res.stdout.splitlines()]


def test_installed_command_refuses_the_demo_codes_outside_the_demo(tmp_path: Path) -> None:
    from kiosk.codes import trust_store
    from kiosk.store import open_store

    cfg_file = tmp_path / "k.toml"
    cfg_file.write_text(f'data_dir = "{tmp_path / "d"}"\n')
    # A real kiosk's configuration, no database yet, then a fresh kiosk database: the demo codes are refused.
    for _ in ("no database", "fresh database"):
        rows = _scan_demo_codes(cfg_file)
        assert [r["verdict"] for r in rows] == ["trust_list_stale"] * 4 + ["unverifiable_offline", "unsupported"]
        assert [r["detail"] for r in rows[:4]] == ["no trust list"] + ["no hub keys"] * 3
        assert all("信任列表" in r["message"]["zh"] and "no trust list" in r["message"]["en"] for r in rows[:4])
        open_store(tmp_path / "d").close()
    # The demo's data folder (what `kiosk demo` sets up with install_demo_trust): the same codes are accepted.
    store = open_store(tmp_path / "d")
    trust_store.install_demo_trust(store)
    store.close()
    assert [r["verdict"] for r in _scan_demo_codes(cfg_file)] == ["valid", "valid", "valid", "valid",
                                                                  "unverifiable_offline", "unsupported"]


def test_doctor_reports_the_age_of_code_trust_data(tmp_path: Path) -> None:
    import datetime as dt

    from kiosk.codes import trust_store
    from kiosk.codes.cli import _trust_age_check
    from kiosk.config import KioskConfig
    from kiosk.store import open_store

    cfg = KioskConfig(data_dir=tmp_path / "data")
    assert [r.level for r in _trust_age_check(cfg)] == ["warning"]  # no database yet
    store = open_store(cfg.data_dir)
    trust_store.save(store, "trust_list", trust_store.bundled("trust_list"),
                     fetched_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=100))
    trust_store.save(store, "hub_keys", trust_store.bundled("hub_keys"))
    store.close()
    results = {r.name: r for r in _trust_age_check(cfg)}
    assert not results["code_trust_trust_list"].ok and "hub" in results["code_trust_trust_list"].message
    assert results["code_trust_hub_keys"].ok
