"""`kiosk doctor` checks for the code scanner and the receipt printer, in plain words with the fix."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from drivers.health import SCANNER_NOT_CONFIGURED
from kiosk.config import KioskConfig
from kiosk.doctor import CheckResult

FRAMES_TO_CHECK = 5


def scanner_check(cfg: KioskConfig) -> list[CheckResult]:
    sc = cfg.scanner
    if sc.driver == "none":
        return [CheckResult("scanner", False, f"{SCANNER_NOT_CONFIGURED.zh}。{SCANNER_NOT_CONFIGURED.en} "
                                              "(scanner.driver = none): health codes cannot be scanned here. Set "
                                              "scanner.driver to \"camera\", \"serial\" or \"wedge\" if the kiosk "
                                              "has a scanner.", "warning")]
    if sc.driver in ("simulated", "wedge"):
        note = {"simulated": "simulated (demo)",
                "wedge": "a keyboard-wedge scanner typing into the kiosk window"}[sc.driver]
        return [CheckResult("scanner", True, f"Code scanner: {note}.")]
    if sc.driver == "serial":
        if not sc.port or not Path(sc.port).exists():
            return [CheckResult("scanner", False, f"Serial code scanner port {sc.port} is not there: check its USB "
                                                  "cable, then run `kiosk devices` to find its port.")]
        return [CheckResult("scanner", True, f"Serial code scanner port {sc.port} is present.")]
    import cv2  # heavy; only when a camera is configured

    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)  # our message says it better

    source = sc.camera
    if isinstance(source, str) and not source.isdigit() and not Path(source).exists():
        return [CheckResult("scanner", False, f"Camera {source} is not there: check the camera's USB cable.")]
    cap = cv2.VideoCapture(int(source) if isinstance(source, str) and source.isdigit() else source)
    frames = 0
    size = ""
    try:
        if not cap.isOpened():
            return [CheckResult("scanner", False, f"Camera {source} cannot be opened: check its USB cable, and that "
                                                  "no other program (or a running kiosk) uses it.")]
        for _ in range(FRAMES_TO_CHECK):  # one frame can be a stale buffer: a working camera keeps delivering
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            frames += 1
            size = f"{frame.shape[1]}x{frame.shape[0]}"
    finally:
        cap.release()
    if frames == 0:
        return [CheckResult("scanner", False, f"Camera {source} opens but gives no picture: check its USB cable, and "
                                              "that no other program uses it.")]
    if frames < FRAMES_TO_CHECK:
        return [CheckResult("scanner", False, f"Camera {source} stopped after {frames} picture(s): check its cable "
                                              "and power (a USB hub may not give it enough).")]
    return [CheckResult("scanner", True, f"Camera {source} gives pictures ({FRAMES_TO_CHECK} frames in a row, "
                                         f"{size}).")]


def printer_check(cfg: KioskConfig) -> list[CheckResult]:
    pc = cfg.printer
    if pc.pdf_dir is not None:
        return [CheckResult("printer", True, f"Receipts are written as PDF files to {pc.pdf_dir}.")]
    lpstat = shutil.which("lpstat")
    if lpstat is None or shutil.which("lp") is None:
        return [CheckResult("printer", False, "The printing tools (CUPS client: lp, lpstat) are not installed: "
                                              "run packaging/setup.sh, which installs cups-client.")]
    cmd = [lpstat, "-p", pc.name] if pc.name else [lpstat, "-d"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [CheckResult("printer", False, f"The print service does not answer ({type(exc).__name__}): "
                                              "check that CUPS runs (systemctl status cups).")]
    text = (out.stdout + out.stderr).strip()
    if out.returncode != 0 or "no system default" in text or "disabled" in text:
        which = f"printer \"{pc.name}\"" if pc.name else "a default printer"
        return [CheckResult("printer", False, f"The print service does not know {which} or it is switched off "
                                              f"({text.splitlines()[0] if text else 'no answer'}): add it in CUPS, "
                                              "check paper and power.")]
    waiting = _queued_jobs(lpstat, pc.name)
    if waiting:
        return [CheckResult("printer", False, f"Printer ready ({text.splitlines()[0]}), but {waiting} job(s) wait in "
                                              "its queue: check paper and the paper jam light; `cancel -a` clears "
                                              "the queue.", "warning")]
    return [CheckResult("printer", True, f"Printer ready, queue empty: {text.splitlines()[0]}")]


def _queued_jobs(lpstat: str, name: str | None) -> int:
    try:
        out = subprocess.run([lpstat, "-o", *([name] if name else [])], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    return len([line for line in out.stdout.splitlines() if line.strip()]) if out.returncode == 0 else 0
