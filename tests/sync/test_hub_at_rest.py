"""The hub's personal data at rest: known test personal data posted to a real hub process is found nowhere in the
SQLite file, its WAL, a `pg_dump` or the PostgreSQL data files (UTF-8, UTF-16 LE/BE, JSON escapes); signing keys
sealed; a plain-text (version 1) hub upgraded in place; data key rotation; the audited 0600 export."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.hub.cli import main as hub_main
from sync.hub.crypto import Sealer
from sync.hub.data_keys import SEALED_COLUMNS
from sync.hub.db import LATEST, HubDB
from sync.hub.server import open_hub
from sync.hub.service import Hub
from sync.wire import body_digest, content_digest
from tests.sync.conftest import PG_BIN, HubProcess

# Test personal data (made up): a citizen's name, ID number, address and phone, and a proxy's.
PII = {"name": "欧阳测试", "id_number": "44010619800101003X", "address": "广州市天河区测试大道123号",
       "phone": "13912345678", "agent_name": "司徒代办", "agent_id_number": "44010319751231004X"}
# Other values for the plain-text (version 1) database, so its copies in a shared PostgreSQL WAL never count above.
LEGACY_PII = {"name": "上官旧档", "id_number": "44010219700505005X", "phone": "13700001111",
              "agent_id_number": "44010419650606006X"}


def _forms(value: str) -> dict[str, bytes]:
    """Every byte form the value could take in a file: UTF-8, UTF-16 LE/BE, and JSON's \\uXXXX escapes."""
    escaped = json.dumps(value)[1:-1].encode("ascii")  # ensure_ascii: CJK as \\u escapes
    return {"utf-8": value.encode("utf-8"), "utf-16-le": value.encode("utf-16-le"),
            "utf-16-be": value.encode("utf-16-be"), "json-escaped": escaped}


def search(blobs: dict[str, bytes], needles: dict[str, str]) -> dict[tuple[str, str, str], int]:
    """Hits of every needle in every form, per file; the result is a table for the note."""
    hits: dict[tuple[str, str, str], int] = {}
    for fname, data in blobs.items():
        for label, value in needles.items():
            for form, pattern in _forms(value).items():
                hits[(fname, label, form)] = data.count(pattern)
    return hits


def _report(title: str, blobs: dict[str, bytes], hits: dict[tuple[str, str, str], int]) -> None:
    total = sum(hits.values())
    sizes = ", ".join(f"{k} {len(v)} bytes" for k, v in blobs.items())
    print(f"\n[PII search] {title}: {len(PII)} values x 4 forms over {sizes}: {total} hits")


def _post_personal_data(url: str, token: str) -> list[str]:
    """A transaction and a help request carrying the test personal data, as a kiosk posts them."""
    bodies = [("transaction", {"kiosk_id": "kiosk-a", "item": "social_security_query",
                      "transaction_id": "01938a2b-0000-7000-8000-0000000000c1", "receipt_no": "kiosk-a-20261128-0001",
                      "item_code": "social_security_query", "created_at": "2026-11-28T09:00:00+08:00", "person": {
        "name": PII["name"], "id_number": PII["id_number"], "address": PII["address"], "phone": PII["phone"]}}),
        ("help_request", {"kiosk_id": "kiosk-a", "help_request_id": "01938a2b-0000-7000-8000-0000000000c2",
                          "created_at": "2026-11-28T09:00:00+08:00", "note": f"{PII['name']} {PII['phone']}"})]
    records = [{"key": f"01938a2b-0000-7000-8000-{i:012d}", "kind": kind, "record_id": f"rec-pii-{i}", "body": b,
                "sha256": body_digest(b)} for i, (kind, b) in enumerate(bodies)]
    raw = json.dumps({"kiosk_id": "kiosk-a", "records": records}, ensure_ascii=False).encode("utf-8")
    r = requests.post(url + "/v1/records/batch", data=raw, timeout=10,
                      headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                               "Content-Digest": content_digest(raw)})
    assert r.status_code == 200 and all(x["status"] == "created" for x in r.json()["results"]), r.text
    return [str(x["key"]) for x in records]


def _admin_personal_data(hub: Hub, tmp_path: Path, db_args: list[str]) -> bytes:
    """Authorization (two ID numbers, two names) through the CLI, a registered code with holder info, a signing
    key. Returns the signing key's private PEM body (must not be found either)."""
    auth = tmp_path / "auth.json"
    auth.write_text(json.dumps({"id": "auth-1", "principal_id_number": PII["id_number"], "principal_name": PII["name"],
                                "agent_id_number": PII["agent_id_number"], "agent_name": PII["agent_name"],
                                "scope": "social_security_query", "valid_from": "2026-01-01",
                                "valid_until": "2099-01-01"}, ensure_ascii=False), encoding="utf-8")
    assert hub_main(["authorization", "add", str(auth), *db_args]) == 0
    auth.unlink()
    hub.codes.register("HC:opaque-health-code-pii", "health-platform", info={"holder": PII["name"],
                                                                            "phone": PII["phone"]})
    hub.signing.create()
    active = hub.signing.active()
    assert active is not None
    pem_body = "".join(line for line in active[1].splitlines() if not line.startswith("-----"))
    return pem_body.encode("ascii")


def _check_readable(hub: Hub, url: str, token: str, keys: list[str]) -> None:
    exported = {r["key"]: r for r in hub.records.export()}
    assert exported[keys[0]]["body"]["person"]["id_number"] == PII["id_number"]
    items, _ = hub.authorizations.since(0)
    assert items[0]["agent_name"] == PII["agent_name"]
    assert hub.codes.lookup("HC:opaque-health-code-pii")["info"]["holder"] == PII["name"]  # type: ignore[index]
    listed = requests.get(url + "/v1/help-requests", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert listed.json()["items"][0]["body"]["note"].startswith(PII["name"])


def test_sqlite_hub_file_and_wal_hold_no_personal_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "hub.db"
    admin = open_hub(str(db))
    key_file = tmp_path / "hub.db.keys"
    assert key_file.exists() and os.stat(key_file).st_mode & 0o777 == 0o600  # beside the database, not in it
    token = admin.kiosks.add("kiosk-a")
    hp = HubProcess(str(db)).start()
    try:
        keys = _post_personal_data(hp.url, token)
        pem = _admin_personal_data(admin, tmp_path, ["--db", str(db)])
        _check_readable(admin, hp.url, token, keys)
        # While the hub runs: the database file, its WAL and shared memory as they are on disk now.
        files = {p.name: p.read_bytes() for p in (db, tmp_path / "hub.db-wal", tmp_path / "hub.db-shm") if p.exists()}
        assert "hub.db-wal" in files and len(files["hub.db-wal"]) > 0
    finally:
        hp.stop()
        admin.db.close()
    files["hub.db (after stop)"] = db.read_bytes()
    hits = search(files, PII)
    assert sum(hits.values()) == 0, {k: v for k, v in hits.items() if v}
    assert all(pem not in data and b"PRIVATE KEY" not in data for data in files.values())
    # The search itself finds what is stored in plain text (record ids, kiosk names): it is not blind.
    assert search(files, {"record_id": "rec-pii-0"})[("hub.db (after stop)", "record_id", "utf-8")] > 0
    with capsys.disabled():
        _report("SQLite hub.db + hub.db-wal + hub.db-shm", files, hits)


@pytest.mark.postgres
def test_postgres_dump_and_data_files_hold_no_personal_data(pg_server: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.sync.conftest import fresh_pg_database, use_pg_key_file

    key_file = use_pg_key_file(monkeypatch, tmp_path)
    url = fresh_pg_database(pg_server)
    admin = open_hub(url)
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    token = admin.kiosks.add("kiosk-a")
    hp = HubProcess(url).start()
    try:
        keys = _post_personal_data(hp.url, token)
        pem = _admin_personal_data(admin, tmp_path, ["--db", url])
        _check_readable(admin, hp.url, token, keys)
        with admin.db.unbounded():  # admin work: a CHECKPOINT on a loaded machine may pass the request timeout
            admin.db.execute("CHECKPOINT")
        data_dir = Path(str(admin.db.one("SHOW data_directory")[0]))  # type: ignore[index]
        oid = admin.db.one("SELECT oid FROM pg_database WHERE datname = current_database()")[0]  # type: ignore[index]
    finally:
        hp.stop()
        admin.db.close()
    host_port, dbname = url.removeprefix("postgresql://postgres@").split("/")
    host, port = host_port.split(":")
    dump = subprocess.run([str(PG_BIN / "pg_dump"), "-h", host, "-p", port, "-U", "postgres", dbname],
                          check=True, capture_output=True).stdout
    files = {"pg_dump": dump}
    if os.access(data_dir, os.R_OK):  # the private test cluster: also its table files and write-ahead log
        for sub in (data_dir / "base" / str(oid), data_dir / "pg_wal"):
            files[f"{sub.name}/*"] = b"".join(p.read_bytes() for p in sorted(sub.rglob("*")) if p.is_file())
    hits = search(files, PII)
    assert sum(hits.values()) == 0, {k: v for k, v in hits.items() if v}
    assert all(pem not in data and b"PRIVATE KEY" not in data for data in files.values())
    assert search({"pg_dump": dump}, {"record_id": "rec-pii-0"})[("pg_dump", "record_id", "utf-8")] > 0
    with capsys.disabled():
        _report("PostgreSQL pg_dump + data files", files, hits)


_TX_IDS = {"transaction_id": "01938a2b-0000-7000-8000-0000000000c6", "receipt_no": "kiosk-a-20260101-0001",
           "item_code": "social_security_query", "created_at": "2026-01-01T08:00:00+08:00"}


def _legacy_hub(url: str, key_file: Path) -> None:
    """A hub database as version 1 wrote it: bodies, authorizations, registry info and the key PEM in plain text."""
    db = HubDB(url)
    db.init_schema(Sealer(key_file), target=1)
    person = {"name": LEGACY_PII["name"], "id_number": LEGACY_PII["id_number"], "phone": LEGACY_PII["phone"]}
    body = json.dumps({"kiosk_id": "kiosk-a", "person": person, **_TX_IDS}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    with db.transaction():
        db.execute("INSERT INTO kiosks(name, token_hash, created_at) VALUES ('kiosk-a', 'x', '2026-01-01')")
        db.execute("INSERT INTO records(idem_key, kiosk_id, kind, record_id, body_sha256, body, receipt_no, "
                   "received_at) VALUES (?,?,?,?,?,?,?,?)", ("01938a2b-0000-7000-8000-000000000001", "kiosk-a",
                                                             "transaction", "rec-old-1", "d" * 64, body,
                                                             "SL202601010000000001", "2026-01-01T00:00:00.000+00:00"))
        db.execute("INSERT INTO authorizations(id, body, updated_at) VALUES (?,?,?)",
                   ("auth-old", json.dumps({"id": "auth-old", "agent_id_number": LEGACY_PII["agent_id_number"]}),
                    "2026-01-01"))
        db.execute("INSERT INTO code_registry(code_hash, issuer, status, expires_at, info) VALUES (?,?,?,?,?)",
                   (__import__("hashlib").sha256(b"HC:old-code").hexdigest(), "p", "valid", None,
                    json.dumps({"holder": LEGACY_PII["name"]}, ensure_ascii=False)))
    db.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_plain_text_hub_is_upgraded_and_sealed_in_place(kind: str, tmp_path: Path, request: pytest.FixtureRequest,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    if kind == "sqlite":
        url = str(tmp_path / "old-hub.db")
        key_file = Path(url + ".keys")
    else:
        from tests.sync.conftest import fresh_pg_database, use_pg_key_file

        key_file = use_pg_key_file(monkeypatch, tmp_path)
        url = fresh_pg_database(request.getfixturevalue("pg_server"))
    def stored() -> dict[str, bytes]:
        if kind == "sqlite":
            return {p.name: p.read_bytes() for p in tmp_path.glob("old-hub.db*") if not p.name.endswith(".keys")}
        host_port, dbname = url.removeprefix("postgresql://postgres@").split("/")
        host, port = host_port.split(":")
        return {"pg_dump": subprocess.run([str(PG_BIN / "pg_dump"), "-h", host, "-p", port, "-U", "postgres",
                                           dbname], check=True, capture_output=True).stdout}

    _legacy_hub(url, key_file)
    before = sum(search(stored(), LEGACY_PII).values())
    assert before > 0  # the search sees plain text where there is some
    hub = open_hub(url)  # upgrades to the latest version
    try:
        assert hub.db.one("SELECT version FROM hub_schema")[0] == LATEST  # type: ignore[index]
        (rec,) = list(hub.records.export())
        assert rec["body"]["person"]["id_number"] == LEGACY_PII["id_number"]
        assert rec["sha256"] == body_digest(rec["body"])  # the plain digest is computed, no longer stored
        assert hub.db.one("SELECT body_hmac FROM records")[0] == hub.keys.body_mac(  # type: ignore[index]
            json.dumps(rec["body"], ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())
        assert rec["receipt_no"] == "SL202601010000000001"
        assert hub.authorizations.since(0)[0][0]["agent_id_number"] == LEGACY_PII["agent_id_number"]
        # The kiosk resending the old record is still recognised as a replay; another body as a conflict.
        again = {"key": rec["key"], "kind": "transaction", "record_id": "rec-old-1", "body": rec["body"]}
        assert [r.status for r in hub.records.ingest("kiosk-a", [again])] == ["replayed"]
        other = dict(again, body={"kiosk_id": "kiosk-a", **_TX_IDS})
        assert [r.status for r in hub.records.ingest("kiosk-a", [other])] == ["conflict"]
        assert hub.codes.lookup("HC:old-code")["info"]["holder"] == LEGACY_PII["name"]  # type: ignore[index]
    finally:
        hub.db.close()
    hits = search(stored(), LEGACY_PII)
    with capsys.disabled():
        print(f"\n[PII search] {kind} version-1 hub: {before} hits before the upgrade, {sum(hits.values())} after")
    assert sum(hits.values()) == 0, {k: v for k, v in hits.items() if v}
    reopened = open_hub(url)  # a second start changes nothing
    try:
        assert len(list(reopened.records.export())) == 1
    finally:
        reopened.db.close()


def test_rotate_data_reencrypts_everything_while_a_hub_serves(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    admin = open_hub(str(db))
    token = admin.kiosks.add("kiosk-a")
    hp = HubProcess(str(db)).start()
    try:
        keys = _post_personal_data(hp.url, token)
        _admin_personal_data(admin, tmp_path, ["--db", str(db)])
        before = json.loads((tmp_path / "hub.db.keys").read_text())
        assert hub_main(["keys", "rotate-data", "--db", str(db)]) == 0
        after = json.loads((tmp_path / "hub.db.keys").read_text())
        assert after["active"] != before["active"] and list(after["keys"]) == [after["active"]]
        assert after["hmac_key"] == before["hmac_key"]  # lookup hashes stay valid
        assert os.stat(tmp_path / "hub.db.keys").st_mode & 0o777 == 0o600
        # Every sealed value now carries the new key id.
        fresh = open_hub(str(db))
        for table, _pk, col in SEALED_COLUMNS:
            for (sealed,) in fresh.db.query(f"SELECT {col} FROM {table}"):
                assert fresh.keys.key_id_of(sealed) == after["active"], table
        _check_readable(fresh, hp.url, token, keys)  # the running hub process followed the key file
        new = {"kiosk_id": "kiosk-a", "help_request_id": "01938a2b-0000-7000-8000-0000000000c3",
               "created_at": "2026-11-28T09:00:00+08:00"}
        raw = json.dumps({"kiosk_id": "kiosk-a", "records": [{"key": "01938a2b-0000-7000-8000-0000000000ff",
                                                              "kind": "help_request", "record_id": "h-2", "body": new,
                                                              "sha256": body_digest(new)}]}).encode()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                   "Content-Digest": content_digest(raw)}
        r = requests.post(hp.url + "/v1/records/batch", data=raw, timeout=5, headers=headers)
        assert r.json()["results"][0]["status"] == "created"
        assert fresh.records.body("01938a2b-0000-7000-8000-0000000000ff") == new
        fresh.db.close()
        assert [a["action"] for a in admin.audit.recent()][:1] == ["rotate_data_key"]
    finally:
        hp.stop()
        admin.db.close()


def test_rotate_data_reseals_what_hub_extensions_seal(tmp_path: Path) -> None:
    """Columns sealed by the hub's extensions (mounted with the app, e.g. the known phones) are re-sealed by the
    command too, not only while the app runs."""
    from sync.hub.app import create_app

    db = str(tmp_path / "hub.db")
    hub = open_hub(db)
    create_app(hub)
    extra = [c for c in hub.data_keys.columns if c not in SEALED_COLUMNS]
    assert extra, "no extension seals anything: nothing to check here"
    body = {"kiosk_id": "kiosk-a", "created_at": "2026-11-28T09:00:00+08:00",
            "transaction_id": "01938a2b-0000-7000-8000-0000000000c4", "receipt_no": "kiosk-a-20261128-0002",
            "item_code": "social_security_query",
            "applicant": {"id_number": PII["id_number"], "name": PII["name"]}, "form": {"phone": PII["phone"]}}
    hub.kiosks.add("kiosk-a")
    hub.records.ingest("kiosk-a", [{"key": "01938a2b-0000-7000-8000-0000000000aa", "kind": "transaction",
                            "record_id": "t-aa", "body": body}])
    sealed_rows = sum(len(hub.db.query(f"SELECT {col} FROM {table}")) for table, _pk, col in extra)
    assert sealed_rows > 0
    hub.db.close()
    assert hub_main(["keys", "rotate-data", "--db", db]) == 0
    active = json.loads(Path(db + ".keys").read_text())["active"]
    again = open_hub(db)
    create_app(again)
    try:
        for table, pk, col in again.data_keys.columns:
            for row_id, sealed in again.db.query(f"SELECT {pk}, {col} FROM {table}"):
                assert again.keys.key_id_of(sealed) == active, table
                again.keys.unseal(table, col, str(row_id), sealed)  # and still opens
    finally:
        again.db.close()


def test_export_is_private_and_audited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "hub.db")
    hub = open_hub(db)
    hub.kiosks.add("kiosk-a")
    body: dict[str, Any] = {"kiosk_id": "kiosk-a", "person": {"name": PII["name"]},
                            "transaction_id": "01938a2b-0000-7000-8000-0000000000c5", "receipt_no": "kiosk-a-x-0003",
                            "item_code": "social_security_query", "created_at": "2026-11-28T09:00:00+08:00"}
    hub.records.ingest("kiosk-a", [{"key": "01938a2b-0000-7000-8000-000000000077", "kind": "transaction",
                            "record_id": "t-77", "body": body}])
    out = tmp_path / "export.jsonl"
    out.write_text("old contents\n")
    os.chmod(out, 0o644)  # an existing, wider file is narrowed before anything is written
    old = os.umask(0)  # the export must not depend on a strict umask
    try:
        assert hub_main(["export", "--db", db, "-o", str(out), "--since", "2020-01-01T00:00:00"]) == 0
    finally:
        os.umask(old)
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert json.loads(out.read_text(encoding="utf-8"))["body"] == body
    (entry,) = hub.audit.recent()
    assert entry["action"] == "export" and "@" in entry["actor"] and entry["at"]
    assert entry["detail"]["since"] == "2020-01-01T00:00:00" and entry["detail"]["records"] == 1
    assert entry["detail"]["output"] == str(out) and entry["detail"]["first_received_at"]
    hub.db.close()
    capsys.readouterr()


def test_a_key_file_others_can_read_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "hub.db")
    open_hub(db).db.close()
    os.chmod(db + ".keys", 0o644)
    assert hub_main(["kiosk", "add", "k", "--db", db]) == 2
    assert "chmod 600" in capsys.readouterr().err
    os.chmod(db + ".keys", 0o600)
    assert hub_main(["keys", "create", "--db", db]) == 0  # the database now holds a sealed value
    os.rename(db + ".keys", db + ".keys.elsewhere")
    capsys.readouterr()
    assert hub_main(["kiosk", "add", "k2", "--db", db]) == 2  # never a fresh key over sealed data
    assert "restore it from backup" in capsys.readouterr().err and not os.path.exists(db + ".keys")
    monkeypatch.delenv("KIOSK_HUB_DATA_KEY_FILE", raising=False)
    assert hub_main(["kiosk", "add", "k", "--db", "postgresql://postgres@127.0.0.1:1/x"]) == 2
    assert "--data-key-file" in capsys.readouterr().err
