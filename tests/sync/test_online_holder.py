"""Online-only health codes (粤康码-style) through a real hub process: the hub answers whose code it is (name and
birth date, or a salted digest of the ID number, never the number), and the kiosk's health check matches that with
the identified person as it does for KC1 and DCC codes: the right person passes, another is refused with the
alternatives named, a code whose issuer says nothing of its holder is still `holder_unknown`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import requests

from kiosk.codes.checker import CodeChecker
from kiosk.codes.health_check import ALTERNATIVES, HealthReason, assess_health_code
from kiosk.codes.verdict import VerdictKind
from kiosk.identity.record import CardType, IdentityRecord
from kiosk.journey.values import health_code_ok
from kiosk.store import open_store
from sync.client import write_token
from sync.hub.service import Hub
from sync.online_verifier import HubOnlineVerifier
from tests.sync.conftest import HubProcess, kiosk_config

CHEN_MEI = IdentityRecord(CardType.RESIDENT, name="陈美", birth_date=dt.date(1950, 1, 2),
                          id_number="44010619500102002X")
LIN = IdentityRecord(CardType.RESIDENT, name="林晓雯", birth_date=dt.date(1991, 7, 8), id_number="44030419910708246X")
LATER = "2999-01-01T00:00:00+00:00"


def test_online_codes_pass_for_their_holder_only(hub_process: HubProcess, hub_admin: Hub, tmp_path: Path) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    write_token(tmp_path / "token", token)
    hub_admin.codes.register("GDHC:chen-by-name", issuer="gd-health", expires_at=LATER,
                            holder={"name": "陈美", "date_of_birth": "1950-01-02"})
    hub_admin.codes.register("GDHC:chen-by-number", issuer="gd-health", expires_at=LATER,
                            holder={"id_number": CHEN_MEI.id_number or ""})
    hub_admin.codes.register("GDHC:nobody-said", issuer="gd-health", expires_at=LATER)
    cfg = kiosk_config(tmp_path / "kiosk", hub_process.url, tmp_path / "token")
    today = dt.datetime.now(dt.UTC).date()
    kinds = cfg.health_check.accepted_kinds
    store = open_store(cfg.data_dir)
    online = HubOnlineVerifier.from_config(cfg)
    try:
        checker = CodeChecker(store, cfg, online=online)  # what the kiosk's worker uses for a scanned code
        for code in ("GDHC:chen-by-name", "GDHC:chen-by-number"):
            verdict = checker.check(code)
            assert verdict.verdict is VerdictKind.VALID and verdict.issuer == "gd-health", code
            right = assess_health_code(verdict, CHEN_MEI, accepted_kinds=kinds, today=today)
            assert right.ok and right.reason is HealthReason.OK and right.kind == "online", code
            assert health_code_ok(verdict, CHEN_MEI, today, tuple(kinds)) == (True, None)  # the journey's call
            wrong = assess_health_code(verdict, LIN, accepted_kinds=kinds, today=today)
            assert not wrong.ok and wrong.reason is HealthReason.HOLDER_MISMATCH, code
            assert wrong.alternatives == ALTERNATIVES == ("staff_id_check", "paper_proof")
            assert "不是您本人的" in wrong.message.zh and "工作人员核验身份证" in wrong.message.zh \
                and "纸质证明" in wrong.message.zh
            assert "not yours" in wrong.message.en and "ask staff to check your ID card" in wrong.message.en \
                and "paper proof" in wrong.message.en
        unknown = assess_health_code(checker.check("GDHC:nobody-said"), CHEN_MEI, accepted_kinds=kinds, today=today)
        assert unknown.reason is HealthReason.HOLDER_UNKNOWN and unknown.alternatives == ALTERNATIVES
    finally:
        online.close()
        store.close()


def test_the_wire_carries_a_salted_digest_never_the_id_number(hub_process: HubProcess, hub_admin: Hub) -> None:
    token = hub_admin.kiosks.add("kiosk-a")
    hub_admin.codes.register("GDHC:chen-by-number", issuer="gd-health", expires_at=LATER,
                            holder={"id_number": CHEN_MEI.id_number or "", "name": "陈美"})

    def ask() -> tuple[str, dict[str, object]]:
        r = requests.post(hub_process.url + "/v1/codes/verify", json={"code": "GDHC:chen-by-number"},
                          headers={"Authorization": f"Bearer {token}"}, timeout=5)
        r.raise_for_status()
        return r.text, json.loads(r.text)["holder"]

    raw1, holder1 = ask()
    raw2, holder2 = ask()
    for raw in (raw1, raw2):
        assert "44010619500102002X" not in raw and "500102" not in raw
    assert set(holder1) == {"name", "id_digest", "salt"} and len(str(holder1["id_digest"])) == 8
    assert holder1["salt"] != holder2["salt"] and holder1["id_digest"] != holder2["id_digest"]  # fresh salt each time
