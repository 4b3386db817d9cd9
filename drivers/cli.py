"""`kiosk read-card` and `kiosk devices` commands, and the doctor check for the configured card reader.

Module-level imports stay light (no pyserial/pyscard): the reader modules are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import time
from typing import Any

from drivers.device_checks import printer_check, scanner_check
from drivers.errors import reader_error
from drivers.events import ReaderEvent, ReaderEventKind
from drivers.health import READER_NOT_CONFIGURED
from kiosk.config import KioskConfig
from kiosk.doctor import CheckResult, register_check
from kiosk.identity.idnumber import mask_id_number
from kiosk.identity.record import IdentityRecord


def register(sub: Any) -> None:
    p = sub.add_parser("read-card", help="wait for one ID card, badge or social security card and print it")
    p.add_argument("--driver", choices=["sam", "pcsc", "simulated"],
                   help="reader type (default: card_reader.driver from the config)")
    p.add_argument("--port", help="SAM reader serial port, e.g. /dev/ttyUSB0")
    p.add_argument("--baud", type=int, help="SAM reader speed (default 115200 or the config)")
    p.add_argument("--reader", help="PC/SC reader name (part of it is enough)")
    p.add_argument("--card", type=int, default=0, help="simulated reader: which demo card to insert")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a card (default 30)")
    p.add_argument("--json", action="store_true", help="print the full record as one JSON object")
    p.set_defaults(handler=_read_card)

    p = sub.add_parser("badge", help="staff badges (the PIN lives on the badge)")
    bsub = p.add_subparsers(dest="badge_cmd", required=True)
    u = bsub.add_parser("unblock", help="unblock a badge's PIN with its PUK and set a new PIN (hall desk, admin "
                                        "only); reads the PUK, then the new 6-digit PIN, from stdin")
    u.add_argument("--reader", help="PC/SC reader name (part of it is enough)")
    u.set_defaults(handler=_badge_unblock)

    p = sub.add_parser("devices", help="list the card readers and serial ports this computer sees")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_devices)


def _badge_unblock(args: argparse.Namespace, ctx: Any) -> int:
    """`kiosk badge unblock`: RESET RETRY COUNTER with the PUK, on a badge in a PC/SC reader, by an admin."""
    import sys

    from drivers.badge_pin import unblock_pin
    from drivers.pcsc import on_card

    if os.geteuid() != 0:  # the hall desk's administrator account (sudo), never the kiosk's own user
        print("需要管理员权限（sudo）\nThis needs an administrator (run it with sudo)", file=sys.stderr)
        return 2
    puk, new_pin = sys.stdin.readline().strip(), sys.stdin.readline().strip()
    if not (new_pin.isdigit() and len(new_pin) == 6):
        print("新密码须为 6 位数字\nThe new PIN must be 6 digits", file=sys.stderr)
        return 2
    cfg = _config_or_none(ctx)
    reader = args.reader or (cfg.card_reader.reader if cfg is not None else None)
    result = on_card(reader, lambda t: unblock_pin(t, puk, new_pin))
    if result.ok:
        print("工牌已解锁，新密码已生效\nBadge unblocked; the new PIN is set")
        return 0
    if result.blocked:
        print("PUK 已锁定，此工牌需要重新发卡\nThe PUK is blocked: this badge has to be reissued", file=sys.stderr)
    else:
        print(f"PUK 不正确，还可以试 {result.tries_left} 次\nWrong PUK; {result.tries_left} tries left",
              file=sys.stderr)
    return 1


def _make_reader(args: argparse.Namespace, cfg: KioskConfig | None, callback: Any) -> Any:
    conf = cfg.card_reader if cfg is not None else None
    driver = args.driver or (conf.driver if conf else "none")
    if driver == "sam":
        from drivers.sam import SamReader

        port = args.port or (conf.port if conf else None)
        if not port:
            raise reader_error("port_unavailable", detail="no --port and no card_reader.port in the config")
        return SamReader(callback, port, args.baud or (conf.baud if conf else 115200))
    if driver == "pcsc":
        from drivers.pcsc import PcscReader

        return PcscReader(callback, args.reader or (conf.reader if conf else None))
    if driver == "simulated":
        from drivers.simulated import SimulatedReader

        reader = SimulatedReader(callback, conf.simulated_file if conf else None)
        reader.insert(args.card)
        return reader
    raise reader_error("no_reader", detail=f"card_reader.driver = {driver}")


def read_one(args: argparse.Namespace, cfg: KioskConfig | None) -> IdentityRecord:
    """Start the reader, wait for the first identity or error (or the timeout), stop the reader."""
    events: queue.Queue[ReaderEvent] = queue.Queue()
    reader = _make_reader(args, cfg, events.put)
    reader.start()
    deadline = time.monotonic() + args.timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise reader_error("timeout", detail=f"{args.timeout:g} s")
            try:
                ev = events.get(timeout=remaining)
            except queue.Empty:
                continue
            if ev.kind == ReaderEventKind.IDENTITY and ev.record is not None:
                return ev.record
            if ev.kind == ReaderEventKind.ERROR and ev.error is not None:
                raise ev.error
    finally:
        reader.stop()


def _read_card(args: argparse.Namespace, ctx: Any) -> int:
    cfg = ctx.config if args.driver is None or args.driver == "simulated" else _config_or_none(ctx)
    record = read_one(args, cfg)
    try:
        if args.json:
            print(json.dumps(record.to_json_dict(), ensure_ascii=False))
        else:  # a technician's check at the kiosk: masked, like on screen
            shown = record.display_id_number or (mask_id_number(record.uid) if record.uid else "")
            print(f"{record.card_type.value}: {record.display_name or '-'} {shown}".strip())
            if record.id_number is not None:
                print("ID number check digit: " + ("valid" if record.id_number_valid else "INVALID"))
    finally:
        record.wipe()
    return 0


def _config_or_none(ctx: Any) -> KioskConfig | None:
    try:
        return ctx.config
    except Exception:  # explicit options are enough for a reader test; a broken config is doctor's business
        return None


def list_devices() -> dict[str, Any]:
    """Serial ports and PC/SC readers found (pcscd may be down: that is reported, not raised)."""
    from serial.tools import list_ports

    ports = [{"device": p.device, "description": p.description, "hwid": p.hwid} for p in list_ports.comports()]
    return {"serial_ports": ports, "pcsc": pcsc_readers()}


def pcsc_readers() -> dict[str, Any]:
    from smartcard import scard as sc

    from drivers.pcsc import list_readers, pcsc_error

    hresult, context = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if hresult != sc.SCARD_S_SUCCESS:
        err = pcsc_error(hresult, "SCardEstablishContext")
        return {"available": False, "readers": [], "error": err.kind, "message": err.message.as_dict()}
    try:
        return {"available": True, "readers": list_readers(context)}
    except Exception as exc:  # the daemon went away between the two calls
        return {"available": False, "readers": [], "error": "pcsc_error", "detail": type(exc).__name__}
    finally:
        sc.SCardReleaseContext(context)


def _devices(args: argparse.Namespace, ctx: Any) -> int:
    found = list_devices()
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
        return 0
    print("Serial ports:" if found["serial_ports"] else "Serial ports: none")
    for p in found["serial_ports"]:
        print(f"  {p['device']}  {p['description']}  {p['hwid']}")
    pcsc = found["pcsc"]
    if not pcsc["available"]:
        print(f"PC/SC readers: card service not reachable ({pcsc.get('error')})")
    else:
        print("PC/SC readers:" if pcsc["readers"] else "PC/SC readers: none")
        for name in pcsc["readers"]:
            print(f"  {name}")
    return 0


def card_reader_check(cfg: KioskConfig) -> list[CheckResult]:
    """Doctor: is the configured card reader there and answering? Plain fix-it words on failure."""
    conf = cfg.card_reader
    if conf.driver == "none":
        return [CheckResult("card_reader", False, f"{READER_NOT_CONFIGURED.zh}。{READER_NOT_CONFIGURED.en} "
                                                  "(card_reader.driver = none): citizens cannot use their ID card "
                                                  "here. Set card_reader.driver to \"sam\" or \"pcsc\" (`kiosk "
                                                  "devices` lists what is plugged in).", "warning")]
    if conf.driver == "simulated":
        from drivers.simulated import load_cards

        try:
            cards = load_cards(conf.simulated_file)
        except Exception as exc:
            return [CheckResult("card_reader", False, f"Demo card file cannot be used: {exc}. Fix the file or remove "
                                                      "card_reader.simulated_file from the config.")]
        return [CheckResult("card_reader", False, f"Card reader is SIMULATED ({len(cards)} demo cards). On a real "
                                                  "kiosk set card_reader.driver to \"sam\" or \"pcsc\".", "warning")]
    if conf.driver == "sam":
        return _sam_check(conf.port, conf.baud)
    return _pcsc_check(conf.reader)


def _sam_check(port: str | None, baud: int) -> list[CheckResult]:
    if not port:
        return [CheckResult("card_reader", False, "SAM card reader has no port: set card_reader.port in the config "
                                                  "(run `kiosk devices` to see the serial ports).")]
    if not os.path.exists(port):
        return [CheckResult("card_reader", False, f"SAM card reader port {port} is not there: check the reader's USB "
                                                  "cable and power, then run `kiosk devices` to find its port.")]
    if not os.access(port, os.R_OK | os.W_OK):
        return [CheckResult("card_reader", False, f"No permission to use {port}: add the kiosk user to the "
                                                  "'dialout' group (sudo usermod -aG dialout USER) and log in again.")]
    from drivers import sam_frame as sf
    from drivers.errors import ReaderError
    from drivers.sam import SamLink

    link = SamLink(port, baud, timeout=1.0, retries=1)
    sam_id = None
    try:
        link.open()
        status = link.transact(sf.SAM_STATUS)
        if status.ok:
            answer = link.transact(sf.SAM_ID)
            sam_id = format_sam_id(answer.data) if answer.ok else None
    except ReaderError as exc:
        return [CheckResult("card_reader", False, f"SAM card reader on {port} does not work: {exc.message.en} "
                                                  f"Check the baud rate (card_reader.baud = {baud}) and the cable.")]
    except Exception as exc:  # port vanished mid-check
        return [CheckResult("card_reader", False, f"SAM card reader on {port} went away ({type(exc).__name__}); "
                                                  "check the USB cable.")]
    finally:
        link.close()
    if not status.ok:
        err = status.error()
        return [CheckResult("card_reader", False, f"SAM card reader on {port}: {err.message.en} "
                                                  "Call the reader's supplier if this stays.")]
    if sam_id is None:
        return [CheckResult("card_reader", False, f"SAM card reader on {port} answers but does not give its security "
                                                  "module's id; call the reader's supplier.")]
    return [CheckResult("card_reader", True, f"SAM card reader on {port} answers; its security module (SAM id "
                                             f"{sam_id}) is ready.")]


def format_sam_id(data: bytes) -> str | None:
    """The 16-byte SAM id as the readers' own tools print it: `05.01-20121108-0000012345-2345678901`
    (two 16-bit and three 32-bit little-endian numbers)."""
    import struct

    if len(data) < 16:
        return None
    a, b, c, d, e = struct.unpack("<HHIII", bytes(data[:16]))
    return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"


def pcscd_check(cfg: KioskConfig) -> list[CheckResult]:
    """Doctor: is pcscd reachable and which readers does it list? An error only when the card reader is PC/SC;
    otherwise (badges and social security cards may still use it) a warning."""
    level = "error" if cfg.card_reader.driver == "pcsc" else "warning"
    try:
        found = pcsc_readers()
    except ImportError:
        return [CheckResult("pcscd", False, "The PC/SC library (pyscard) is missing; run packaging/setup.sh.", level)]
    if not found["available"]:
        return [CheckResult("pcscd", False, "The card service pcscd is not reachable: start it with `sudo systemctl "
                                            "enable --now pcscd.socket`.", level)]
    readers = found["readers"]
    if not readers:
        return [CheckResult("pcscd", False, "pcscd runs but lists no card reader: plug in the reader's USB cable.",
                            level)]
    return [CheckResult("pcscd", True, f"pcscd runs and lists {len(readers)} reader(s): {', '.join(readers)}.")]


def _pcsc_check(reader_filter: str | None) -> list[CheckResult]:
    found = pcsc_readers()
    if not found["available"]:
        return [CheckResult("card_reader", False, "The card service pcscd is not reachable: start it with "
                                                  "`sudo systemctl enable --now pcscd.socket`, then run "
                                                  "`kiosk doctor` again.")]
    readers = [r for r in found["readers"] if reader_filter is None or reader_filter.lower() in r.lower()]
    if not readers:
        wanted = f" named like \"{reader_filter}\"" if reader_filter else ""
        return [CheckResult("card_reader", False, f"pcscd runs but no card reader{wanted} is plugged in: connect "
                                                  "the reader's USB cable; `kiosk devices` lists what is seen.")]
    return [CheckResult("card_reader", True, f"PC/SC card reader ready: {', '.join(readers)}.")]


def badge_signin_check(cfg: KioskConfig) -> list[CheckResult]:
    """Doctor: can staff sign in here? Only a reader that reads badges (PC/SC) can; a SAM ID-card reader cannot."""
    from kiosk.badge import reads_badges

    driver = cfg.card_reader.driver
    if reads_badges(driver):
        return [CheckResult("badge_signin", True, "Staff badges are read on the card reader "
                                                  f"({driver}) and check their own PIN.")]
    return [CheckResult("badge_signin", False, "本机读卡器读不了工作证，工作人员不能在本机登录。The card reader "
                                               f"(card_reader.driver = {driver}) cannot read staff badges: badge "
                                               "sign-in needs a PC/SC badge reader. Paper powers of attorney and "
                                               "staff health checks are therefore not offered here (the screen sends "
                                               "people to the hall desk); connect a PC/SC reader to offer them.",
                        "warning")]


register_check(card_reader_check)
register_check(badge_signin_check)
register_check(pcscd_check)
register_check(scanner_check)
register_check(printer_check)
