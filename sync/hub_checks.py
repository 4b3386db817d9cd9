"""`kiosk doctor` lines that ask the hub itself: is this kiosk's token accepted, does the hub publish a trust
list, does this kiosk's clock agree with the hub's `Date` header (code expiry depends on it), and has the hub seen
another kiosk issue the same queue numbers as this one."""

from __future__ import annotations

import datetime as dt
import email.utils
from typing import Any

from kiosk.config import KioskConfig
from kiosk.doctor import CheckResult, register_check

CLOCK_WARN_S = 60.0  # codes allow cfg.codes.clock_skew_seconds; warn well before that is used up


def hub_checks(cfg: KioskConfig) -> list[CheckResult]:
    if cfg.hub_url is None or cfg.token_file is None:
        return []  # said by the sync checks (no hub / no token file)
    import requests

    from kiosk.messages import KioskError
    from sync.client import HubClient, load_token

    try:
        token = load_token(cfg.token_file)
    except KioskError:
        return []  # the token line of the sync checks says what is wrong with the file
    if cfg.ca_bundle is not None and not cfg.ca_bundle.is_file():
        return [CheckResult("hub_tls", False, f"The hub's CA certificate {cfg.ca_bundle} (ca_bundle) is missing: copy "
                                              "it from the hub operator, or remove ca_bundle to use the system's "
                                              "certificate authorities.")]
    client = HubClient(cfg.hub_url, token, ca_bundle=cfg.ca_bundle, timeout=5.0)
    try:
        before = dt.datetime.now(dt.UTC)
        r = client.session.get(cfg.hub_url + "/v1/trust-list", timeout=5.0, verify=client.verify)
        after = dt.datetime.now(dt.UTC)
    except (requests.RequestException, OSError):
        return []  # "hub not reachable" is said by the sync checks
    finally:
        client.close()
    results: list[CheckResult] = []
    if r.status_code in (401, 403):
        return [CheckResult("hub_token", False, f"The hub refuses this kiosk's token (HTTP {r.status_code}): ask "
                                                "the hub operator for a new one (`kiosk-hub kiosk add "
                                                f"{cfg.kiosk_id}`) and write it to {cfg.token_file}.")]
    results.append(CheckResult("hub_token", True, f"The hub accepts this kiosk's token ({cfg.kiosk_id})."))
    if r.status_code == 404:
        results.append(CheckResult("hub_trust_list", False, "The hub has no trust list published, so health codes "
                                                            "cannot be checked offline: ask the hub operator to run "
                                                            "`kiosk-hub publish trust-list FILE`."))
    elif r.status_code == 200:
        results.append(CheckResult("hub_trust_list", True, "The hub publishes a trust list."))
    results.append(_clock(r.headers.get("Date"), before, after))
    results.extend(_ticket_clashes(cfg, token))
    return results


def _ticket_clashes(cfg: KioskConfig, token: str) -> list[CheckResult]:
    """The hub's word on queue numbers this kiosk issued that another kiosk issued too (same day and number)."""
    import requests

    from sync.client import HubClient

    assert cfg.hub_url is not None
    client = HubClient(cfg.hub_url, token, ca_bundle=cfg.ca_bundle, timeout=5.0)
    try:
        r = client.session.get(cfg.hub_url + "/v1/placement", timeout=5.0, verify=client.verify)
        data = r.json() if r.status_code == 200 else None
    except (requests.RequestException, OSError, ValueError):
        return []
    finally:
        client.close()
    if not isinstance(data, dict):
        return []  # not placed in a hall at the hub: the ticket_slot line says what to do
    clashes = [c for c in data.get("clashes") or [] if isinstance(c, dict)]
    if not clashes:
        return [CheckResult("ticket_numbers", True, "The hub has seen no queue number of this kiosk issued by "
                                                    "another kiosk too.")]
    others = sorted({k for c in clashes for k in c.get("kiosks", []) if k != cfg.kiosk_id})
    first = clashes[0]
    return [CheckResult("ticket_numbers", False, f"{len(clashes)} queue number(s) of this kiosk were also issued by "
                                                 f"{', '.join(others)} (e.g. {first.get('number')} on "
                                                 f"{first.get('day')}): the kiosks draw from the same block. Give each "
                                                 "its own slot (kiosk-hub kiosk add NAME --hall HALL [--slot N]), "
                                                 "remove a copied [tickets] slot from the config, then restart.")]


def _clock(date_header: str | None, before: dt.datetime, after: dt.datetime) -> CheckResult:
    if not date_header:
        return CheckResult("clock", False, "The hub sent no Date header; the clock cannot be compared.", "warning")
    try:
        hub_now = email.utils.parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return CheckResult("clock", False, f"The hub's Date header is unreadable ({date_header!r}).", "warning")
    # The header has whole seconds and was written between our two readings: allow that much.
    slack = (after - before).total_seconds() + 1.0
    mid = before + (after - before) / 2
    off = (mid - hub_now).total_seconds()
    if abs(off) <= CLOCK_WARN_S + slack:
        return CheckResult("clock", True, f"Clock agrees with the hub (within {max(abs(off), 1.0):.0f} s).")
    direction = "ahead of" if off > 0 else "behind"
    return CheckResult("clock", False, f"This kiosk's clock is {abs(off):.0f} s {direction} the hub's: codes may be "
                                       "judged expired or not yet valid. Turn on time sync: `sudo timedatectl "
                                       "set-ntp true` (or point it at the hall's time server).")


def register(sub: Any) -> None:
    """Loaded by `kiosk.cli.main` as a plugin: no command, only the doctor check."""
    register_check(hub_checks)
