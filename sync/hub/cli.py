"""`kiosk-hub`: serve the reference hub and administer it (kiosk tokens, exports, signing keys, data sets)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_DB = os.environ.get("KIOSK_HUB_DB", "hub.db")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=DEFAULT_DB,
                        help="database: a SQLite path / sqlite:///path, or postgresql://… (default $KIOSK_HUB_DB "
                             "or ./hub.db)")
    common.add_argument("--data-key-file", default=None,
                        help="data key file (0600, outside the database) sealing personal data; default "
                             "$KIOSK_HUB_DATA_KEY_FILE, or <sqlite file>.keys; required for PostgreSQL")
    p = argparse.ArgumentParser(prog="kiosk-hub", description="Reference hub for service-hall kiosks")
    sub = p.add_subparsers(dest="cmd", required=True)
    for add in (_add_serve, _add_kiosk, _add_export, _add_keys, _add_codes, _add_publish, _add_member,
                _add_display, _add_authorization):
        add(sub, common)
    return p


# Each command group: its sub-parser, with `handler(hub, args) -> exit code` for the commands run on an open hub.
def _add_serve(sub: Any, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("serve", parents=[common], help="run the hub HTTP server")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8700, help="0 picks a free port (printed on start)")
    s.add_argument("--log-level", default="warning")
    s.add_argument("--tls-cert", help="PEM certificate (chain) to serve HTTPS")
    s.add_argument("--tls-key", help="PEM private key of --tls-cert")
    s.add_argument("--max-body-bytes", type=int, default=None,
                   help="largest request body a kiosk may send; larger gets 413 unread (default 1 MiB)")
    s.add_argument("--rate-per-second", type=float, default=None,
                   help="requests per second each kiosk token may make on average; above it 429 (default 50)")
    s.add_argument("--rate-burst", type=int, default=None, help="requests a token may make at once (default 200)")
    s.add_argument("--db-pool-size", type=int, default=None,
                   help="database connections this process may hold at most (default $KIOSK_HUB_DB_POOL_SIZE or 10; "
                        "PostgreSQL: one more listens for hall events; see docs/deploy.md)")
    s.add_argument("--db-timeout", type=float, default=None,
                   help="seconds a request may wait on the database (for a connection, for a statement) before it "
                        "gets 503 (default $KIOSK_HUB_DB_TIMEOUT or 5)")


def _add_kiosk(sub: Any, common: argparse.ArgumentParser) -> None:
    k = sub.add_parser("kiosk", help="kiosk tokens")
    ksub = k.add_subparsers(dest="kiosk_cmd", required=True)
    ka = ksub.add_parser("add", parents=[common], help="register a kiosk and print its new token (first line) "
                         "and, with --hall, its ticket slot in that hall")
    ka.add_argument("name")
    ka.add_argument("--hall", help="the hall the kiosk stands in: it gets the hall's next free ticket slot")
    ka.add_argument("--slot", type=int, help="this slot of the hall instead of the next free one (with --hall)")
    ka.add_argument("--location", help='where in the hall it stands, e.g. "3楼东侧" (with --hall)')
    ka.set_defaults(handler=_kiosk_add)
    kr = ksub.add_parser("revoke", parents=[common], help="revoke a kiosk's token")
    kr.add_argument("name")
    kr.set_defaults(handler=_kiosk_revoke)


def _add_export(sub: Any, common: argparse.ArgumentParser) -> None:
    e = sub.add_parser("export", parents=[common], help="received records as JSON lines (for audits)")
    e.add_argument("--since", help="ISO-8601 time; records received at or after it")
    e.add_argument("--output", "-o", help="file to write, created with mode 0600 (default stdout)")
    e.set_defaults(handler=_export)


def _add_keys(sub: Any, common: argparse.ArgumentParser) -> None:
    y = sub.add_parser("keys", help="signing keys of kiosk-signed codes")
    ysub = y.add_subparsers(dest="keys_cmd", required=True)
    yc = ysub.add_parser("create", parents=[common], help="create a signing key (first key, or an extra one)")
    yc.set_defaults(handler=_signing_key)
    yr = ysub.add_parser("rotate", parents=[common], help="new active key; old keys stay published until their "
                                                          "codes expire")
    yr.add_argument("--code-validity-days", type=int, default=30)
    yr.set_defaults(handler=_signing_key)
    yd = ysub.add_parser("rotate-data", parents=[common], help="new data key; every sealed value re-encrypted, the "
                                                               "old key dropped (running hubs follow the key file)")
    yd.set_defaults(handler=_rotate_data_key)


def _add_codes(sub: Any, common: argparse.ArgumentParser) -> None:
    c = sub.add_parser("codes", help="kiosk-signed codes (KC1:) signed with the hub's active key")
    csub = c.add_subparsers(dest="codes_cmd", required=True)
    cs = csub.add_parser("sign", parents=[common], help="sign a claim set (JSON file; iat/exp/nbf as ISO-8601 or "
                                                        "epoch seconds) and print the code")
    cs.add_argument("file", type=Path)
    cs.set_defaults(handler=_sign_code)


def _add_publish(sub: Any, common: argparse.ArgumentParser) -> None:
    pub = sub.add_parser("publish", parents=[common], help="publish a data set (catalog, trust-list, roster, "
                                                            "settings) from a JSON file")
    pub.add_argument("name", choices=["catalog", "trust-list", "roster", "settings"])
    pub.add_argument("file", type=Path)
    pub.set_defaults(handler=_publish)


def _add_member(sub: Any, common: argparse.ArgumentParser) -> None:
    m = sub.add_parser("member", help="the hall's staff and volunteers (the roster; PIN hashes stay on the hub)")
    msub = m.add_subparsers(dest="member_cmd", required=True)
    ma = msub.add_parser("add", parents=[common], help="add or update one member; the 6-digit PIN is read from "
                                                       "stdin (never an argument)")
    ma.add_argument("member_id", metavar="ID")
    ma.add_argument("--role", required=True, choices=["staff", "volunteer"])
    ma.add_argument("--name", required=True, help="display name shown on the hall pages and at the kiosk")
    ma.add_argument("--badge", metavar="UID", help="the badge card's UID in hex")
    ma.add_argument("--pin-stdin", action="store_true", required=True, help="read the PIN from standard input")
    ma.set_defaults(handler=_member)
    mu = msub.add_parser("unlock", parents=[common], help="lift a member's hall-page PIN lock now (audited)")
    mu.add_argument("member_id", metavar="ID")
    mu.set_defaults(handler=_member)


def _add_display(sub: Any, common: argparse.ArgumentParser) -> None:
    d = sub.add_parser("display", help="hall TVs and rating tablets (paired devices with the board only)")
    dsub = d.add_subparsers(dest="display_cmd", required=True)
    da = dsub.add_parser("add", parents=[common], help="print a one-time pairing address /hall/pair/<code> "
                                                       "(valid 10 minutes)")
    da.add_argument("name")
    da.add_argument("--counter", metavar="ID", help="the counter a rating tablet stands at")
    da.set_defaults(handler=_display)
    dr = dsub.add_parser("revoke", parents=[common], help="unpair a display; its board stops at once")
    dr.add_argument("name")
    dr.set_defaults(handler=_display)


def _add_authorization(sub: Any, common: argparse.ArgumentParser) -> None:
    a = sub.add_parser("authorization", help="registered proxy authorizations")
    asub = a.add_subparsers(dest="auth_cmd", required=True)
    aa = asub.add_parser("add", parents=[common], help="add or update authorizations from a JSON file (object "
                                                        "or list)")
    aa.add_argument("file", type=Path)
    aa.set_defaults(handler=_authorization_add)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from kiosk.messages import KioskError

    try:
        return _run(args)
    except KioskError as exc:
        print(f"{exc.message.zh}\n{exc.message.en}", file=sys.stderr)
        return 2


def _actor() -> str:
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid {os.getuid()}"
    return f"{user}@{socket.gethostname()}"


def _open_private(path: str) -> Any:
    """A new file readable by its owner only (0600 from creation; an existing file is narrowed first)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8")


def _kiosk_add(hub: Any, args: argparse.Namespace) -> int:
    """Token (first line), then the slot in the hall; a placement the hall cannot take refuses before any token."""
    from sync.hub.placement import PlacementError, init_schema, place, placement_of

    if args.hall is None and (args.slot is not None or args.location is not None):
        print("--slot and --location need --hall (the hall the kiosk stands in)", file=sys.stderr)
        return 2
    init_schema(hub.db)
    before = placement_of(hub.db, args.name)
    if args.hall is not None:
        try:  # placed first: a kiosk the hall cannot take gets no token and nothing changes
            p = place(hub.db, args.name, args.hall, slot=args.slot, location=args.location)
        except PlacementError as exc:
            print(f"kiosk {args.name} not added: {exc}", file=sys.stderr)
            return 1
        print(hub.kiosks.add(args.name))
        print(f"slot {p.slot} of {p.slots} in hall {p.hall}" + (f" — {p.location}" if p.location else "")
              + ("" if before is None or before.slot == p.slot else f" (was slot {before.slot})"))
        hub.audit.write(_actor(), "kiosk_add", {"kiosk": args.name, "hall": p.hall, "slot": p.slot})
        return 0
    print(hub.kiosks.add(args.name))
    hub.audit.write(_actor(), "kiosk_add", {"kiosk": args.name})
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.cmd == "serve":
        return _serve(args)
    from sync.hub.server import open_hub

    hub = open_hub(args.db, args.data_key_file)
    try:
        handler: Callable[[Any, argparse.Namespace], int] = args.handler
        return handler(hub, args)
    finally:
        hub.db.close()


def _kiosk_revoke(hub: Any, args: argparse.Namespace) -> int:
    if not hub.kiosks.revoke(args.name):
        print(f"no kiosk named {args.name}", file=sys.stderr)
        return 1
    hub.audit.write(_actor(), "kiosk_revoke", {"kiosk": args.name})
    print(f"revoked {args.name}")
    return 0


def _export(hub: Any, args: argparse.Namespace) -> int:
    out = _open_private(args.output) if args.output else sys.stdout
    n = 0
    first = last = None
    try:
        for rec in hub.records.export(args.since):
            out.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
            first = first or rec["received_at"]
            last = rec["received_at"]
    finally:
        if out is not sys.stdout:
            out.close()
        # Audited whatever happened: who took which range of personal data, and where to.
        hub.audit.write(_actor(), "export", {"since": args.since, "records": n, "first_received_at": first,
                                       "last_received_at": last,
                                       "output": os.path.abspath(args.output) if args.output else "stdout"})
    print(f"{n} records", file=sys.stderr)
    return 0


def _rotate_data_key(hub: Any, args: argparse.Namespace) -> int:
    from sync.hub.app import create_app

    create_app(hub)  # extensions (hall, people) register the columns they seal: rotation re-seals them too
    n = hub.data_keys.rotate()
    hub.audit.write(_actor(), "rotate_data_key", {"values_resealed": n})
    print(f"{n} values re-encrypted with the new data key")
    return 0


def _signing_key(hub: Any, args: argparse.Namespace) -> int:
    """`keys create` or `keys rotate`: the new key's id."""
    if args.keys_cmd == "rotate":
        hub.code_validity_days = args.code_validity_days
        kid = hub.signing.rotate()
    else:
        kid = hub.signing.create()
    hub.audit.write(_actor(), f"signing_key_{args.keys_cmd}", {"kid": kid})
    print(kid)
    return 0


def _sign_code(hub: Any, args: argparse.Namespace) -> int:
    import datetime as dt

    claims = json.loads(args.file.read_text(encoding="utf-8"))
    for k in ("iat", "exp", "nbf"):
        if isinstance(claims.get(k), str):
            claims[k] = dt.datetime.fromisoformat(claims[k])
    print(hub.signing.sign(claims))
    return 0


def _publish(hub: Any, args: argparse.Namespace) -> int:
    body = args.file.read_text(encoding="utf-8")
    json.loads(body)  # refuse a file that is not JSON at all; kiosks validate the content
    if args.name == "roster":
        from sync.hub.members import RosterError, check_roster

        try:
            check_roster(body)
        except RosterError as exc:
            print(f"roster refused: {exc}", file=sys.stderr)
            return 2
    etag = hub.datasets.publish(args.name, body)
    hub.audit.write(_actor(), "publish", {"data_set": args.name, "etag": etag})
    print(etag)
    return 0


def _authorization_add(hub: Any, args: argparse.Namespace) -> int:
    data = json.loads(args.file.read_text(encoding="utf-8"))
    ids = [str(auth["id"]) for auth in (data if isinstance(data, list) else [data])]
    for auth in data if isinstance(data, list) else [data]:
        hub.authorizations.put(auth)
    hub.audit.write(_actor(), "authorization_add", {"ids": ids})  # ids only: the rest is personal data
    return 0


def _member(hub: Any, args: argparse.Namespace) -> int:
    from sync.hub.members import RosterError, add_member

    if args.member_cmd == "add":
        pin = sys.stdin.readline().strip()
        try:
            etag = add_member(hub, args.member_id, args.role, args.name, args.badge, pin)
        except RosterError as exc:
            print(f"member not added: {exc}", file=sys.stderr)
            return 2
        hub.audit.write(_actor(), "member_add", {"member": args.member_id, "role": args.role, "etag": etag})
        print(f"{args.member_id} ({args.role}) saved; roster {etag}")
        return 0
    from sync.hub.app import create_app
    from sync.hub.hall.auth import unlock

    create_app(hub)  # the hall's tables exist
    found = unlock(hub, args.member_id)
    hub.audit.write(_actor(), "member_unlock", {"member": args.member_id, "was_locked": found})
    print(f"{args.member_id}: " + ("lock lifted" if found else "was not locked"))
    return 0


def _display(hub: Any, args: argparse.Namespace) -> int:
    from sync.hub.app import create_app
    from sync.hub.hall.displays import add_display, revoke_display

    create_app(hub)  # the hall's tables exist
    if args.display_cmd == "add":
        try:
            code = add_display(hub.db, args.name, args.counter)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        hub.audit.write(_actor(), "display_add", {"display": args.name, "counter": args.counter})
        print(f"/hall/pair/{code}")
        print("open this address on the display within 10 minutes (it works once)", file=sys.stderr)
        return 0
    if not revoke_display(hub.db, args.name):
        print(f"no display named {args.name}", file=sys.stderr)
        return 1
    hub.audit.write(_actor(), "display_revoke", {"display": args.name})
    print(f"revoked {args.name}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from sync.hub.app import Limits
    from sync.hub.db import DbSettings
    from sync.hub.server import bind, configure_logging, make_server, open_hub, run_blocking

    configure_logging(args.log_level)
    hub = open_hub(args.db, args.data_key_file, DbSettings.from_env(args.db_pool_size, args.db_timeout))
    defaults = Limits()
    limits = Limits(max_body_bytes=args.max_body_bytes or defaults.max_body_bytes,
                    rate_per_second=args.rate_per_second or defaults.rate_per_second,
                    rate_burst=args.rate_burst or defaults.rate_burst)
    sock = bind(args.host, args.port)
    port = sock.getsockname()[1]
    scheme = "https" if args.tls_cert else "http"
    print(f"listening on {scheme}://{args.host}:{port}", flush=True)
    try:
        run_blocking(make_server(hub, log_level=args.log_level, tls_cert=args.tls_cert, tls_key=args.tls_key,
                                 limits=limits), sock)
    finally:
        hub.db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
