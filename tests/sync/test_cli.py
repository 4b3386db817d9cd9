"""`kiosk sync`, `kiosk outbox`, the sync doctor checks and `kiosk-hub` admin commands, run as a user would."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli.main import main as kiosk_main
from kiosk.doctor import run_checks
from kiosk.store import open_store
from sync.client import write_token
from sync.hub.cli import main as hub_main
from sync.hub.embedded import EmbeddedHub, start_embedded_hub
from tests.sync.conftest import fill_outbox, kiosk_config, make_trust_list, ticket_body, write_config_toml


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[EmbeddedHub]:
    h = start_embedded_hub(tmp_path / "hub.db")
    yield h
    h.stop()


@pytest.fixture
def kiosk_toml(tmp_path: Path, hub: EmbeddedHub) -> Path:
    token = tmp_path / "kiosk.token"
    write_token(token, hub.token_for("kiosk-a"))
    cfg = kiosk_config(tmp_path / "kiosk", hub.url, token, batch_size=7)
    return write_config_toml(tmp_path / "kiosk.toml", cfg)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = kiosk_main(list(argv))
    return code, capsys.readouterr().out


def test_sync_once_and_until_empty(kiosk_toml: Path, hub: EmbeddedHub, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(tmp_path / "kiosk")
    fill_outbox(store, 30)
    code, out = run(capsys, "--config", str(kiosk_toml), "sync", "--once", "--json")
    assert code == 0 and json.loads(out)["delivered"] == 30 and json.loads(out)["pending"] == 0
    fill_outbox(store, 5)
    code, out = run(capsys, "--config", str(kiosk_toml), "sync", "--until-empty", "--timeout", "30", "--pull")
    assert code == 0 and "empty=True" in out and "pending=0" in out
    assert hub.hub.records.count() == 35
    assert store.cache_get("catalog") is not None
    # Nothing to send: the hub is still asked, so "online" says what is true.
    code, out = run(capsys, "--config", str(kiosk_toml), "sync", "--once", "--json")
    assert code == 0 and json.loads(out)["delivered"] == 0 and json.loads(out)["online"] is True
    hub.stop()
    code, out = run(capsys, "--config", str(kiosk_toml), "sync", "--once", "--json")
    assert code == 0 and json.loads(out)["online"] is False
    store.close()


def test_until_empty_times_out_with_exit_1_when_hub_is_down(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token = tmp_path / "t"
    write_token(token, "khub_x")
    from tests.sync.conftest import free_port

    cfg = kiosk_config(tmp_path / "kiosk", f"http://127.0.0.1:{free_port()}", token)
    toml = write_config_toml(tmp_path / "k.toml", cfg)
    store = open_store(tmp_path / "kiosk")
    fill_outbox(store, 2)
    code, out = run(capsys, "--config", str(toml), "sync", "--until-empty", "--timeout", "1")
    assert code == 1 and "empty=False" in out and "pending=2" in out
    store.close()


def test_outbox_list_show_retry_export_import(kiosk_toml: Path, hub: EmbeddedHub, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(tmp_path / "kiosk")
    ids = fill_outbox(store, 3)
    store.conn.execute("UPDATE outbox SET state='rejected', last_error='hub HTTP 400: test' WHERE id=?", (ids[0],))
    code, out = run(capsys, "--config", str(kiosk_toml), "outbox", "list")
    assert code == 0 and ids[0] in out and "rejected" in out and "2 waiting, 1 rejected" in out
    code, out = run(capsys, "--config", str(kiosk_toml), "outbox", "show", ids[0])
    shown = json.loads(out)
    assert shown["state"] == "rejected" and shown["last_error"] == "hub HTTP 400: test"
    assert "body" not in shown and "A00000" not in out  # no record contents on screen
    assert run(capsys, "--config", str(kiosk_toml), "outbox", "show", "nope")[0] == 1

    export = tmp_path / "queue.jsonl"
    code, out = run(capsys, "--config", str(kiosk_toml), "outbox", "export", str(export))
    assert code == 0 and "exported 3 entries" in out
    passphrase = out.split("passphrase (needed for import, keep it apart from the file): ")[1].strip()
    assert run(capsys, "--config", str(kiosk_toml), "outbox", "retry", ids[0])[0] == 0
    assert run(capsys, "--config", str(kiosk_toml), "sync", "--once")[0] == 0
    assert hub.hub.records.count() == 3

    # A replacement kiosk imports the rescued queue: same keys, so the hub replays instead of storing twice.
    other_cfg = kiosk_config(tmp_path / "kiosk2", hub.url, tmp_path / "kiosk.token")
    other_toml = write_config_toml(tmp_path / "kiosk2.toml", other_cfg)
    pfile = tmp_path / "pass"
    pfile.write_text(passphrase)
    code, out = run(capsys, "--config", str(other_toml), "outbox", "import", str(export), "--passphrase-file",
                    str(pfile))
    assert code == 0 and "imported 3 entries" in out
    code, out = run(capsys, "--config", str(other_toml), "sync", "--until-empty", "--timeout", "30", "--json")
    assert code == 0 and json.loads(out)["pending"] == 0
    assert hub.hub.records.count() == 3
    store.close()


def test_doctor_reports_hub_pending_and_data_ages(kiosk_toml: Path, hub: EmbeddedHub, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import sync.cli  # noqa: F401 - registers the sync checks, as `kiosk` does when it loads its plugins

    store = open_store(tmp_path / "kiosk")
    fill_outbox(store, 4)
    results = {r.name: r for r in run_checks(str(kiosk_toml))}
    assert results["hub"].ok and "reachable" in results["hub"].message
    assert "4 records waiting" in results["outbox_pending"].message
    assert "never pulled" in results["hub_data_catalog"].message
    hub.hub.signing.create()  # so the hub publishes hub keys too
    run(capsys, "--config", str(kiosk_toml), "sync", "--until-empty", "--pull")
    results = {r.name: r for r in run_checks(str(kiosk_toml))}
    # `kiosk-hub serve` publishes no trust list of its own (never the bundled demo one): the doctor says so.
    assert not results["hub_data_trust-list"].ok
    assert "hub has no trust list published" in results["hub_data_trust-list"].message
    hub.hub.datasets.publish("trust-list", make_trust_list())
    run(capsys, "--config", str(kiosk_toml), "sync", "--until-empty", "--pull")
    results = {r.name: r for r in run_checks(str(kiosk_toml))}
    assert results["outbox_pending"].message == "No records waiting to upload."
    for name in ("catalog", "trust-list", "hub-keys", "roster", "settings"):
        assert results[f"hub_data_{name}"].ok and " old" in results[f"hub_data_{name}"].message
    hub.stop()
    results = {r.name: r for r in run_checks(str(kiosk_toml))}
    assert not results["hub"].ok and results["hub"].level == "warning"
    store.close()


def test_hub_admin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "admin-hub.db")
    assert hub_main(["kiosk", "add", "hall-1-k1", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("khub_") and len(token) > 30
    assert hub_main(["kiosk", "revoke", "hall-1-k1", "--db", db]) == 0
    assert hub_main(["kiosk", "revoke", "nobody", "--db", db]) == 1
    capsys.readouterr()
    assert hub_main(["keys", "create", "--db", db]) == 0
    first = capsys.readouterr().out.strip()
    assert hub_main(["keys", "rotate", "--db", db, "--code-validity-days", "7"]) == 0
    second = capsys.readouterr().out.strip()
    assert len(first) == len(second) == 16 and first != second

    from sync.hub.server import open_hub

    hub = open_hub(db)
    hub.kiosks.add("k2")
    hub.records.ingest("k2", [{"key": "01938a2b-0000-7000-8000-00000000000a", "kind": "ticket", "record_id": "t1",
                       "body": ticket_body("k2", 1)}])
    assert len(hub.signing.public()) == 2
    hub.db.close()
    out_file = tmp_path / "export.jsonl"
    assert hub_main(["export", "--db", db, "--output", str(out_file)]) == 0
    lines = [json.loads(x) for x in out_file.read_text().splitlines()]
    assert [x["record_id"] for x in lines] == ["t1"] and lines[0]["receipt_no"].startswith("SL")
    assert hub_main(["export", "--db", db, "--since", "2999-01-01T00:00:00"]) == 0
    assert capsys.readouterr().out == ""
    claims = tmp_path / "appt.json"
    claims.write_text(json.dumps({"typ": "appointment", "iss": "hall-1-hub", "iat": "2026-11-01T00:00:00+00:00",
                                  "exp": "2099-01-01T00:00:00+00:00", "appt_id": "a-1", "service_code": "social_sec",
                                  "hall_id": "hall-1", "slot_start": 1, "slot_end": 2}))
    assert hub_main(["codes", "sign", str(claims), "--db", db]) == 0
    assert capsys.readouterr().out.startswith("KC1:")
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"version": 5, "settings": {}}))
    assert hub_main(["publish", "settings", str(settings), "--db", db]) == 0
    assert os.path.exists(db)
    hub = open_hub(db)
    actions = [a["action"] for a in reversed(hub.audit.recent())]
    hub.db.close()
    assert actions == ["kiosk_add", "kiosk_revoke", "signing_key_create", "signing_key_rotate", "export", "export",
                       "publish"]


def test_doctor_checks_the_token_file(tmp_path: Path) -> None:
    from kiosk.config import KioskConfig
    from sync.cli import _token_file

    token = tmp_path / "token"
    cfg = KioskConfig(hub_url="https://hub.example", token_file=token, data_dir=tmp_path)
    assert not _token_file(cfg).ok
    token.write_text("t0ken")
    os.chmod(token, 0o644)
    r = _token_file(cfg)
    assert not r.ok and "chmod 600" in r.message
    os.chmod(token, 0o600)
    assert _token_file(cfg).ok


def test_doctor_says_plainly_when_the_ca_bundle_file_is_missing(tmp_path: Path) -> None:
    from kiosk.config import KioskConfig
    from sync.cli import _hub_reachable

    cfg = KioskConfig(kiosk_id="k", hub_url="https://127.0.0.1:9", data_dir=tmp_path,
                      ca_bundle=tmp_path / "hub-ca.pem")
    result = _hub_reachable(cfg)
    assert not result.ok and "CA certificate file missing" in result.message
