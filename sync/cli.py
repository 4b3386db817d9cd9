"""`kiosk sync` and `kiosk outbox` commands, and the sync checks of `kiosk doctor`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.doctor import CheckResult, register_check
from kiosk.locale import phrase

PASSPHRASE_ENV = "KIOSK_OUTBOX_PASSPHRASE"


def register(sub: Any) -> None:
    p = sub.add_parser("sync", help="deliver waiting records to the hub now")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="one pass over what is due now")
    mode.add_argument("--until-empty", action="store_true", help="keep going (waiting out retries) until nothing "
                                                                 "is pending")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds for --until-empty (default 600)")
    p.add_argument("--pull", action="store_true", help="also pull hub data sets and send a heartbeat")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_sync)

    p = sub.add_parser("outbox", help="records waiting for the hub: list, show, retry, export, import")
    osub = p.add_subparsers(dest="outbox_cmd", required=True)
    ls = osub.add_parser("list", help="list entries (newest last)")
    ls.add_argument("--state", choices=["pending", "sending", "delivered", "rejected"])
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=_list)
    sh = osub.add_parser("show", help="one entry (state, attempts, last error, receipt; no personal data)")
    sh.add_argument("id")
    sh.set_defaults(handler=_show)
    rt = osub.add_parser("retry", help="send a rejected entry again (same key)")
    rt.add_argument("id")
    rt.set_defaults(handler=_retry)
    fg = osub.add_parser("forget", help="drop a rejected entry for good")
    fg.add_argument("id")
    fg.set_defaults(handler=_forget)
    ex = osub.add_parser("export", help="write undelivered entries to FILE (JSON lines, bodies sealed with a "
                                        "passphrase)")
    ex.add_argument("file", type=Path)
    ex.add_argument("--passphrase-file", type=Path, help=f"default ${PASSPHRASE_ENV}, else a new one is printed")
    ex.add_argument("--include-delivered", action="store_true")
    ex.set_defaults(handler=_export)
    im = osub.add_parser("import", help="add entries from an export FILE, keeping their keys")
    im.add_argument("file", type=Path)
    im.add_argument("--passphrase-file", type=Path, help=f"default ${PASSPHRASE_ENV}")
    im.set_defaults(handler=_import)


def _open(ctx: Any) -> Any:
    from kiosk.store.db import open_store

    return open_store(ctx.config.data_dir)


def _sync(args: argparse.Namespace, ctx: Any) -> int:
    from kiosk.messages import KioskError
    from sync.worker import SyncWorker

    cfg = ctx.config
    if cfg.hub_url is None:
        raise KioskError("hub_not_configured", phrase("sync.cli.hub_not_configured"))
    worker = SyncWorker(cfg.data_dir, cfg)
    try:
        pulled = []
        if args.pull:
            pulled = worker.pull()
            worker.heartbeat()
        if args.once:
            res = worker.drain_once()
            summary: dict[str, Any] = {"delivered": res.delivered, "retry_later": res.retried,
                                       "rejected": res.rejected}
        else:
            summary = {"empty": worker.drain_until_empty(args.timeout)}
        client = worker._client()
        if client is not None and client.reachable is None:  # nothing was sent: ask, so "online" is true
            worker.check_hub()
        status = worker.status()
    finally:
        worker.close()
    summary.update({"online": status.online, "pending": status.pending, "dead_letters": status.rejected,
                    "last_error": status.last_error, "pulled": {p.name: p.outcome for p in pulled}})
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(" ".join(f"{k}={v}" for k, v in summary.items() if v not in ({}, None)))
    if args.until_empty:
        return 0 if summary["empty"] else 1
    return 0


def _list(args: argparse.Namespace, ctx: Any) -> int:
    from sync import outbox

    store = _open(ctx)
    entries = outbox.list_entries(store, args.state, args.limit)
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=1))
    else:
        for e in entries:
            receipt = (e.receipt or {}).get("receipt_no") or ""
            print(f"{e.id}  {e.kind:<18} {e.state:<9} attempts={e.attempts:<3} {receipt} {e.last_error or ''}".rstrip())
        c = outbox.counts(store)
        print(f"{c.pending} waiting, {c.rejected} rejected, {c.delivered} delivered")
    return 0


def _show(args: argparse.Namespace, ctx: Any) -> int:
    from sync import outbox

    entry = outbox.get_entry(_open(ctx), args.id)
    if entry is None:
        print(f"no outbox entry {args.id}", file=sys.stderr)
        return 1
    print(json.dumps(entry.as_dict(), ensure_ascii=False, indent=1))
    return 0


def _retry(args: argparse.Namespace, ctx: Any) -> int:
    from sync import outbox

    if not outbox.retry(_open(ctx), args.id, actor="technician"):
        print(f"no waiting or rejected entry {args.id}", file=sys.stderr)
        return 1
    print(f"{args.id} will be sent again")
    return 0


def _forget(args: argparse.Namespace, ctx: Any) -> int:
    from sync import outbox

    if not outbox.forget(_open(ctx), args.id, actor="technician"):
        print(f"no rejected entry {args.id}", file=sys.stderr)
        return 1
    print(f"{args.id} forgotten")
    return 0


def _passphrase(path: Path | None) -> str | None:
    if path is not None:
        return path.read_text(encoding="utf-8").strip()
    return os.environ.get(PASSPHRASE_ENV) or None


def _export(args: argparse.Namespace, ctx: Any) -> int:
    from sync import outbox

    passphrase = _passphrase(args.passphrase_file)
    generated = passphrase is None
    if passphrase is None:
        passphrase = outbox.new_passphrase()
    n = outbox.export_jsonl(_open(ctx), args.file, passphrase, include_delivered=args.include_delivered)
    print(f"exported {n} entries to {args.file}")
    if generated:
        print(f"passphrase (needed for import, keep it apart from the file): {passphrase}")
    return 0


def _import(args: argparse.Namespace, ctx: Any) -> int:
    from kiosk.messages import KioskError
    from sync import outbox

    passphrase = _passphrase(args.passphrase_file)
    if passphrase is None:
        raise KioskError("outbox_import_passphrase",
                         phrase("sync.cli.outbox_import_passphrase", passphrase_env=PASSPHRASE_ENV))
    imported, skipped = outbox.import_jsonl(_open(ctx), args.file, passphrase)
    print(f"imported {imported} entries, {skipped} already here (same key)")
    return 0


# --- doctor -------------------------------------------------------------------------------------------------
def _age_words(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def sync_checks(cfg: Any) -> list[CheckResult]:
    from kiosk.store.db import DB_NAME, connect
    from sync.outbox import parse_iso
    from sync.pull import CACHE_NAMES, DATASETS, UNPUBLISHED_PREFIX

    results: list[CheckResult] = []
    if cfg.hub_url is None:
        results.append(CheckResult("hub", True, "No hub_url configured: this kiosk works offline only.", "warning"))
    else:
        results.append(_hub_reachable(cfg))
        results.append(_token_file(cfg))
    path = cfg.data_dir / DB_NAME
    if not path.exists():
        return results
    conn = connect(path)
    try:
        if not conn.execute("PRAGMA user_version").fetchone()[0]:
            return results
        row = conn.execute("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state IN ('pending','sending')") \
            .fetchone()
        rejected = conn.execute("SELECT COUNT(*) FROM outbox WHERE state='rejected'").fetchone()[0]
        cache = {r[0]: r[1] for r in conn.execute("SELECT name, fetched_at FROM hub_cache").fetchall()}
    finally:
        conn.close()
    now = dt.datetime.now(dt.UTC)
    pending, oldest = int(row[0]), row[1]
    if pending:
        age = (now - parse_iso(oldest)).total_seconds()
        results.append(CheckResult("outbox_pending", age < 86400,
                                   f"{pending} records waiting to upload; the oldest is {_age_words(age)} old"
                                   + ("" if age < 86400 else " — check the network line to the hub."), "warning"))
    else:
        results.append(CheckResult("outbox_pending", True, "No records waiting to upload."))
    if rejected:
        results.append(CheckResult("outbox_rejected", False, f"{rejected} records were refused by the hub; see "
                                                             "`kiosk outbox list --state rejected`, then retry or "
                                                             "forget each.", "warning"))
    for name in DATASETS:
        fetched = cache.get(CACHE_NAMES[name])
        asked = cache.get(UNPUBLISHED_PREFIX + CACHE_NAMES[name])
        if asked is not None:  # the hub answered that it publishes none
            ago = _age_words((now - parse_iso(asked)).total_seconds())
            if name == "trust-list":
                results.append(CheckResult(f"hub_data_{name}", False, f"The hub has no trust list published (asked "
                                           f"{ago} ago): ask the hub operator to run `kiosk-hub publish trust-list "
                                           "FILE`.", "warning"))
            else:
                results.append(CheckResult(f"hub_data_{name}", True, f"The hub has no {name} published (asked "
                                           f"{ago} ago).", "warning"))
            continue
        if fetched is None:
            # Only the catalog has a copy bundled with the software; trust material is never bundled outside the demo.
            fallback = ("(the catalog bundled with the software is in use)." if name == "catalog" else
                        "— codes that need it are refused until the kiosk reaches the hub.")
            results.append(CheckResult(f"hub_data_{name}", True, f"Hub data set {name} never pulled yet {fallback}",
                                       "warning"))
            continue
        age = (now - parse_iso(fetched)).total_seconds()
        stale = name == "trust-list" and age > cfg.codes.trust_list_max_age_hours * 3600
        results.append(CheckResult(f"hub_data_{name}", not stale,
                                   f"Hub data set {name} is {_age_words(age)} old"
                                   + (" — too old for offline code checks; connect to the hub." if stale else "."),
                                   "warning"))
    return results


def _token_file(cfg: Any) -> CheckResult:
    from kiosk.messages import KioskError
    from sync.client import load_token

    if cfg.token_file is None:
        return CheckResult("token", False, "No token_file configured: the hub will refuse this kiosk. Ask the hub "
                                           "operator for a token (`kiosk-hub kiosk add NAME`) and set token_file.")
    try:
        load_token(cfg.token_file)
    except KioskError as exc:
        return CheckResult("token", False, exc.message.en + " — ask the hub operator for this kiosk's token.")
    return CheckResult("token", True, f"Kiosk token file {cfg.token_file} is present and private (0600).")


def _hub_reachable(cfg: Any) -> CheckResult:
    """The hub's `/v1/health`: 200 when it and its database answer; 503 with `database: unavailable` when the
    hub runs but cannot reach its database."""
    import requests

    database = None
    try:
        r = requests.get(cfg.hub_url + "/v1/health", timeout=3.0,
                         verify=str(cfg.ca_bundle) if cfg.ca_bundle else True)
        ok = r.status_code == 200
        detail = f"HTTP {r.status_code}"
        try:
            database = r.json().get("database")
        except (ValueError, AttributeError):
            database = None
    except requests.exceptions.SSLError:
        ok, detail = False, "TLS certificate not trusted (check ca_bundle)"
    except requests.RequestException as exc:
        ok, detail = False, type(exc).__name__
    except OSError:  # requests raises a bare OSError when the configured ca_bundle file does not exist
        ok, detail = False, f"CA certificate file missing: {cfg.ca_bundle}"
    if ok:
        return CheckResult("hub", True, f"Hub at {cfg.hub_url} is reachable (database: {database or 'ok'}).")
    if database == "unavailable":
        return CheckResult("hub", False, f"Hub at {cfg.hub_url} answers, but its database is unavailable ({detail}); "
                                         "records wait safely in the outbox until it is back — tell the hub "
                                         "operator.", "warning")
    return CheckResult("hub", False, f"Hub at {cfg.hub_url} is not reachable ({detail}); records wait safely in the "
                                     "outbox until it is.", "warning")


register_check(sync_checks)
