"""Sending a rendered receipt to the system printer with `lp`, or keeping the PDF in a folder (tests, demo).

Blocking (subprocess, file I/O): call it from a worker thread, never the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from drivers.printer.receipt import ReceiptDoc, render_pdf
from kiosk.config import PrinterConfig
from kiosk.locale import phrase
from kiosk.messages import KioskError


@dataclass(frozen=True)
class PrintResult:
    pdf: Path | None  # the kept PDF (pdf_dir mode)
    job: str | None  # the CUPS job id (printer mode)


def _failed(detail: str) -> KioskError:
    return KioskError("print_failed", phrase("drivers.printer.spool.print_failed"), detail=detail)


class ReceiptPrinter:
    def __init__(self, config: PrinterConfig) -> None:
        self.config = config

    def print_receipt(self, doc: ReceiptDoc, name: str) -> PrintResult:
        """Render and print (or keep) one receipt; `name` is a file-safe stem such as the receipt number."""
        stem = "".join(ch for ch in name if ch.isalnum() or ch in "-_") or "receipt"
        if self.config.pdf_dir is not None:
            stamp = dt.datetime.now(dt.UTC).strftime("%H%M%S%f")
            return PrintResult(render_pdf(doc, Path(self.config.pdf_dir) / f"{stem}-{stamp}.pdf"), None)
        lp = shutil.which("lp")
        if lp is None:
            raise _failed("lp not installed")
        with tempfile.TemporaryDirectory(prefix="kiosk-receipt-") as tmp:
            pdf = render_pdf(doc, Path(tmp) / f"{stem}.pdf")
            cmd = [lp]
            if self.config.name:
                cmd += ["-d", self.config.name]
            try:
                out = subprocess.run([*cmd, str(pdf)], capture_output=True, text=True, timeout=30, check=True)
            except subprocess.CalledProcessError as exc:
                raise _failed(f"lp exit {exc.returncode}") from None
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise _failed(type(exc).__name__) from None
        return PrintResult(None, out.stdout.strip() or None)
