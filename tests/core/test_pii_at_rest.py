"""Personal data at rest: the raw DB, WAL, backups and key rotation never expose ID numbers, names, phones."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

from kiosk.catalog import load_bundled_catalog
from kiosk.identity import CardType, IdentityRecord
from kiosk.services import request_help, submit_items, take_ticket
from kiosk.session import Session
from kiosk.store import open_store
from kiosk.store.db import backup_file

ID_NUMBER = "44010619520314002X"
NAME = "欧阳春花"
ADDRESS = "广州市天河区体育西路一百零八号"
PHONE = "13912345678"
NEEDLES = [ID_NUMBER, NAME, ADDRESS, PHONE, "春花"]


def _record() -> IdentityRecord:
    return IdentityRecord(CardType.RESIDENT, name=NAME, id_number=ID_NUMBER, address=ADDRESS,
                          birth_date=dt.date(1952, 3, 14), photo=bytearray(b"WLT" * 300))


def _scan(path: Path) -> list[str]:
    raw = path.read_bytes()
    found = []
    for needle in NEEDLES:
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            if needle.encode(enc) in raw:
                found.append(f"{needle!r} as {enc} in {path.name}")
    return found


def _write_everything(data_dir: Path) -> None:
    store = open_store(data_dir)
    s = Session()
    s.identify(_record())
    s.select_items(["pension_qualification", "home_care_service", "elderly_allowance"])
    submit_items(store, s, load_bundled_catalog(), "k1", {"phone": PHONE, "address": ADDRESS})
    take_ticket(store, s, "k1")
    request_help(store, s, "k1", note={"phone": PHONE, "name": NAME})
    # The WAL is the riskiest file: check it before any checkpoint folds it into the main file.
    wal = data_dir / "kiosk.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    shutil.copy(wal, data_dir / "wal-snapshot")
    backup_file(store.conn, data_dir / "backups" / "manual.db")
    store.close()


def test_no_plaintext_personal_data_in_db_wal_or_backups(data_dir: Path) -> None:
    _write_everything(data_dir)
    files = [p for p in data_dir.rglob("*") if p.is_file() and p.name != "keys.json"]
    assert any(p.name == "kiosk.db" for p in files) and any(p.parent.name == "backups" for p in files)
    leaks = [hit for p in files for hit in _scan(p)]
    assert not leaks, leaks


def test_records_decrypt_with_the_key_and_only_with_it(data_dir: Path) -> None:
    _write_everything(data_dir)
    store = open_store(data_dir)
    row = store.conn.execute("SELECT id, payload_enc FROM transactions LIMIT 1").fetchone()
    payload = store.unseal("transactions", row["id"], row["payload_enc"])
    assert payload["applicant"]["id_number"] == ID_NUMBER
    # Bound to its row: moving the blob to another row id fails to decrypt.
    try:
        store.unseal("transactions", "another-row", row["payload_enc"])
        raise AssertionError("decrypted under the wrong row id")
    except Exception as exc:
        assert getattr(exc, "kind", "") == "data_damaged"


def test_key_file_is_0600(data_dir: Path) -> None:
    open_store(data_dir).close()
    assert stat.S_IMODE(os.stat(data_dir / "keys.json").st_mode) == 0o600


def test_lookup_by_id_number_uses_hmac(data_dir: Path) -> None:
    _write_everything(data_dir)
    store = open_store(data_dir)
    h = store.lookup_hash(ID_NUMBER)
    assert ID_NUMBER not in h
    assert store.conn.execute("SELECT COUNT(*) FROM transactions WHERE applicant_hmac=?", (h,)).fetchone()[0] == 3


def test_key_rotation_reencrypts_everything(data_dir: Path) -> None:
    from kiosk.cli.main import main

    _write_everything(data_dir)
    cfg = data_dir.parent / "kiosk.toml"
    cfg.write_text(f'data_dir = "{data_dir}"\n', encoding="utf-8")
    old = open_store(data_dir).keyring.active
    assert main(["--config", str(cfg), "keys", "rotate"]) == 0
    store = open_store(data_dir)
    assert store.keyring.active != old and list(store.keyring.keys) == [store.keyring.active]
    for table, col in (("transactions", "payload_enc"), ("outbox", "body_enc"), ("help_requests", "note_enc")):
        for row in store.conn.execute(f"SELECT id, {col} FROM {table}"):
            assert store.keyring.key_id_of(row[col]) == store.keyring.active
            assert store.unseal(table, row["id"], row[col]) is not None
