"""`kiosk scan`: read codes from images, video files or stdin lines and print a verdict per input (and the
doctor check for the age of the code trust data). Heavy imports (OpenCV, decoders) happen inside handlers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.doctor import CheckResult, register_check
from kiosk.locale import phrase
from kiosk.messages import KioskError


def register(sub: Any) -> None:
    p = sub.add_parser("scan", help="read and verify codes from images, video files or stdin lines",
                       description="Verify codes. INPUT is an image, a video file, or - for payload lines on stdin.")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--trust-list", type=Path, help="DGCG-shaped trust list file (default: the kiosk's stored copy)")
    p.add_argument("--hub-keys", type=Path, help="hub keys JSON file (default: the kiosk's stored copy)")
    p.add_argument("--at", help="verify as of this ISO-8601 time (default: now; no zone = UTC)")
    p.add_argument("--decoder", choices=["pyzbar", "zxing"], help="image decoder (default: scanner.decoder)")
    p.add_argument("--json", action="store_true", help="one JSON object per line per input")
    p.set_defaults(handler=_scan)


def _parse_at(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise KioskError("bad_argument", phrase("codes.cli.bad_argument", text=text)) from None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _trust(args: argparse.Namespace, ctx: Any) -> Any:
    from kiosk.codes import trust as trust_mod
    from kiosk.codes.trust_store import load_trust_material
    from kiosk.store.db import DB_NAME

    # No kiosk database here (a technician's laptop): nothing is trusted unless given as a file.
    stored = trust_mod.TrustMaterial(trust_mod.TrustSet(stored=False), trust_mod.TrustSet(stored=False))
    if args.trust_list is None or args.hub_keys is None:
        cfg = ctx.config
        if (cfg.data_dir / DB_NAME).exists():
            from kiosk.store.db import open_store

            store = open_store(cfg.data_dir)
            try:
                stored = load_trust_material(store, cfg)
            finally:
                store.close()
    # Staleness is about the data's age now, whatever time the codes are checked at (--at).
    wall = dt.datetime.now(dt.UTC)
    dsc = trust_mod.TrustSet(trust_mod.parse_trust_list(_read(args.trust_list))) if args.trust_list else \
        stored.dsc.judged_at(wall)
    hub = trust_mod.TrustSet(trust_mod.parse_hub_keys(_read(args.hub_keys))) if args.hub_keys else \
        stored.hub.judged_at(wall)
    return trust_mod.TrustMaterial(dsc, hub)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KioskError("file_unreadable", phrase("codes.cli.file_unreadable", path=path),
                         detail=type(exc).__name__) from None


def _payloads_of_file(path: str, decoder: str) -> list[str] | None:
    """Codes in an image, or in the first frame of a video that shows one. None = not an image or video."""
    from kiosk.codes.imaging import decode_image, read_image_file

    img = read_image_file(path)
    if img is not None:
        return list(decode_image(img, decoder).payloads)
    import cv2

    cap = cv2.VideoCapture(path)
    if not cap.isOpened():
        return None
    try:
        frames = 0
        while True:
            ok, frame = cap.read()
            if not ok:
                return [] if frames else None
            frames += 1
            found = decode_image(frame, decoder).payloads
            if found:
                return list(found)
    finally:
        cap.release()


def _inputs(names: list[str], decoder: str) -> Iterator[tuple[str, list[str] | None]]:
    for name in names:
        if name == "-":
            for n, line in enumerate(sys.stdin, 1):
                if line.strip():
                    yield f"stdin:{n}", [line.strip()]
            continue
        if not Path(name).is_file():
            yield name, None
            continue
        yield name, _payloads_of_file(name, decoder)


def _scan(args: argparse.Namespace, ctx: Any) -> int:
    from kiosk.codes.verdict import CodeFormat, Verdict, VerdictKind, no_code, verdict_of
    from kiosk.codes.verify import verify_payload

    now = _parse_at(args.at)
    trust = _trust(args, ctx)
    decoder = args.decoder or ctx.config.scanner.decoder
    skew = dt.timedelta(seconds=ctx.config.codes.clock_skew_seconds)
    failures = 0
    for name, payloads in _inputs(args.inputs, decoder):
        found = bool(payloads)
        verdict: Verdict
        if payloads is None:
            failures += 1
            verdict = verdict_of(CodeFormat.UNKNOWN, VerdictKind.NO_CODE, stage="input",
                                 detail="not a readable image or video file",
                                 message=phrase("codes.cli.cannot_read_not_image", name=name))
        elif not payloads:
            verdict = no_code()
        else:
            verdict = verify_payload(payloads[0], trust=trust, now=now, skew=skew)
        out = verdict.as_json(name, found=found)
        if args.json:
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            who = f" {verdict.issuer}" if verdict.issuer else ""
            print(f"{name}: {verdict.verdict.value} ({verdict.format.value}{who}) — {verdict.message.zh} "
                  f"{verdict.message.en}", flush=True)
    return 1 if failures else 0


def _trust_age_check(cfg: Any) -> list[CheckResult]:
    """Doctor: how old the stored code trust data is, against codes.trust_list_max_age_hours."""
    from kiosk.codes.trust_store import HUB_KEYS, TRUST_LIST
    from kiosk.store.db import DB_NAME, connect

    db = cfg.data_dir / DB_NAME
    if not db.exists():
        return [CheckResult("code_trust", True, "No database yet: no code trust data until the kiosk has fetched "
                                                "it from the hub.", "warning")]
    conn = connect(db)
    try:
        rows = {r["name"]: r["fetched_at"] for r in conn.execute(
            "SELECT name, fetched_at FROM hub_cache WHERE name IN (?, ?)", (TRUST_LIST, HUB_KEYS))}
    finally:
        conn.close()
    now = dt.datetime.now(dt.UTC)
    limit = dt.timedelta(hours=cfg.codes.trust_list_max_age_hours)
    results = []
    for name, label in ((TRUST_LIST, "EU DCC trust list"), (HUB_KEYS, "hub signing keys")):
        fetched = rows.get(name)
        if fetched is None:
            results.append(CheckResult(f"code_trust_{name}", True, f"{label}: not fetched from the hub yet; codes "
                                                                   "that need it are refused until then.", "warning"))
            continue
        t = dt.datetime.fromisoformat(fetched)
        age = now - (t if t.tzinfo else t.replace(tzinfo=dt.UTC))
        hours = age.total_seconds() / 3600
        if age > limit:
            results.append(CheckResult(f"code_trust_{name}", False,
                                       f"{label} is {hours:.0f} h old (limit {limit.total_seconds() / 3600:.0f} h): "
                                       "codes cannot be checked offline. Connect the kiosk to the hub so it can "
                                       "fetch fresh data."))
        else:
            results.append(CheckResult(f"code_trust_{name}", True, f"{label} is {hours:.1f} h old."))
    return results


register_check(_trust_age_check)
