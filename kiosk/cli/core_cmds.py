"""Core `kiosk` commands: doctor, config check|show, audit verify, keys rotate."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk import audit
from kiosk.config import load_config
from kiosk.doctor import run_checks
from kiosk.store.db import open_store


def register(sub: Any) -> None:
    p = sub.add_parser("doctor", help="check this kiosk and say what is wrong")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_doctor)

    p = sub.add_parser("config", help="check or show the configuration")
    csub = p.add_subparsers(dest="config_cmd", required=True)
    csub.add_parser("check", help="validate the config file").set_defaults(handler=_config_check)
    csub.add_parser("show", help="print the effective settings (secrets hidden)").set_defaults(handler=_config_show)

    p = sub.add_parser("audit", help="audit log tools")
    asub = p.add_subparsers(dest="audit_cmd", required=True)
    v = asub.add_parser("verify", help="check the hash chain of the audit log")
    v.add_argument("--json", action="store_true")
    v.set_defaults(handler=_audit_verify)

    p = sub.add_parser("keys", help="data key management")
    ksub = p.add_subparsers(dest="keys_cmd", required=True)
    ksub.add_parser("rotate", help="new data key; re-encrypt all personal data").set_defaults(handler=_keys_rotate)


def _doctor(args: argparse.Namespace, ctx: Any) -> int:
    results = run_checks(args.config)
    failed = [r for r in results if not r.ok and r.level == "error"]
    if args.json:
        print(json.dumps({"ok": not failed, "checks": [r.as_dict() for r in results]}, ensure_ascii=False, indent=1))
    else:
        for r in results:
            mark = "WARN" if r.level == "warning" else ("OK  " if r.ok else "FAIL")
            print(f"[{mark}] {r.name}: {r.message}")
        print("All checks passed." if not failed else f"{len(failed)} problem(s) need attention.")
    return 0 if not failed else 1


def _config_check(args: argparse.Namespace, ctx: Any) -> int:
    cfg = load_config(args.config)
    print(f"config ok: kiosk {cfg.kiosk_id} in hall {cfg.hall_id}")
    return 0


def _config_show(args: argparse.Namespace, ctx: Any) -> int:
    print(json.dumps(load_config(args.config).redacted(), ensure_ascii=False, indent=2))
    return 0


def _audit_verify(args: argparse.Namespace, ctx: Any) -> int:
    store = open_store(ctx.config.data_dir)
    problems = audit.verify(store)
    seq, _ = audit.head(store)
    if args.json:
        print(json.dumps({"ok": not problems, "entries": seq,
                          "problems": [p.__dict__ for p in problems]}, ensure_ascii=False))
    elif problems:
        for p in problems:
            print(f"entry {p.seq}: {p.kind}: {p.explanation}", file=sys.stderr)
        print(f"audit log TAMPERED: {len(problems)} problem(s)", file=sys.stderr)
    else:
        print(f"audit log intact: {seq} entries")
    return 0 if not problems else 1


def _keys_rotate(args: argparse.Namespace, ctx: Any) -> int:
    store = open_store(ctx.config.data_dir)
    ring = store.keyring
    # Save the new key before re-encrypting: a crash in between leaves both keys on disk, never neither.
    kid = ring.rotate()
    ring.save()
    count = store.reencrypt_all()
    ring.drop_inactive()
    ring.save()
    audit.append(store, "technician", "keys_rotate", {"kid": kid, "values": count})
    print(f"new data key {kid}; {count} values re-encrypted")
    return 0
