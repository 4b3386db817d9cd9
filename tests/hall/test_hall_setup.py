"""Operator paths: hall settings published with `kiosk-hub publish settings FILE` change the queue at once, and
under TLS the session cookie is Secure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import requests

from kiosk.services import take_ticket
from kiosk.session import Mode, Session
from tests.hall.conftest import ROLES, HallHub, PersonClient, roster_json
from tests.sync.conftest import ROOT
from tests.sync.test_https import make_pki


def test_published_settings_change_the_ratio_and_the_difficult_window(hall: HallHub, kiosk_factory,
                                                                      tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    # Dotted keys work as well as nested ones.
    settings.write_text(json.dumps({"version": 2, "settings": {"queue.priority_ratio": 1,
                                                               "queue.difficult_counters": ["7"]}}))
    out = subprocess.run([sys.executable, "-m", "sync.hub.cli", "publish", "settings", str(settings),
                          "--db", hall.db_url], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    k = kiosk_factory("kiosk-a")
    normal = take_ticket(k.store, None, "kiosk-a")
    prio = [take_ticket(k.store, Session(mode=Mode.PRIORITY), "kiosk-a") for _ in range(2)]
    k.deliver()
    s = hall.person("s1")
    order = []
    for _ in range(3):
        order.append(s.act("/v1/counters/1/call-next").json()["ticket_id"])
        assert s.act("/v1/counters/1/served").status_code == 200
    # ratio 1: one priority call, then the waiting normal ticket.
    assert order == [prio[0]["ticket_id"], normal["ticket_id"], prio[1]["ticket_id"]]
    assert s.get_json("/v1/counters/7").json()["difficult_window"] is True
    assert s.get_json("/v1/counters/9").json()["difficult_window"] is False


def test_session_cookie_is_secure_under_tls(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KIOSK_HUB_DATA_KEY_FILE", str(tmp_path / "hub-data.keys"))
    ca, cert, key = make_pki(tmp_path)
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    from sync.hub.server import open_hub

    admin = open_hub(url)
    admin.datasets.publish("roster", roster_json())
    admin.db.close()
    proc = subprocess.Popen([sys.executable, "-m", "sync.hub.cli", "serve", "--db", url, "--host", "127.0.0.1",
                             "--port", "0", "--tls-cert", str(cert), "--tls-key", str(key)],
                            stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert line.startswith("listening on https://127.0.0.1:"), line
        base = "https://127.0.0.1:" + line.rsplit(":", 1)[1].strip()
        c = PersonClient(base)
        c.verify = str(ca)
        c.trust_env = False  # else $REQUESTS_CA_BUNDLE would replace the session's CA
        r = c.login("s1")
        assert r.status_code == 200 and ROLES["s1"] == r.json()["role"]
        cookie = r.headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        assert c.get(base + "/v1/auth/me", timeout=10).status_code == 200
        assert requests.get(base + "/v1/auth/me", verify=str(ca), timeout=10).status_code == 401
        c.close()
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()
