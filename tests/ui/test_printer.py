"""Receipt printing (drivers/printer, Qt-free): a PDF with the Chinese text, kept in pdf_dir for tests and
the demo, or handed to the system printer with `lp` (a failure becomes a plain print_failed error)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from drivers.printer import ReceiptDoc, ReceiptLine, ReceiptPrinter, render_pdf
from kiosk.config import PrinterConfig
from kiosk.messages import KioskError


def _doc() -> ReceiptDoc:
    return ReceiptDoc(title="演示自助终端 — 办理回执",
                      lines=[ReceiptLine("申请人：陈**"), ReceiptLine("养老金领取资格认证", 11.0, True),
                             ReceiptLine("回执编号：k01-20261127-0001"),
                             ReceiptLine("照片：请交到 民政窗口（2楼C区）" * 3, 9.0)],
                      footer="请保管好本回执。")


def test_pdf_holds_the_text_and_wraps_long_lines(tmp_path: Path) -> None:
    pdf = render_pdf(_doc(), tmp_path / "r.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile3" in data  # the font is embedded (Noto Sans CJK, CFF)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "k01-20261127-0001" in text


def test_pdf_dir_mode_keeps_one_file_per_receipt(tmp_path: Path) -> None:
    printer = ReceiptPrinter(PrinterConfig(pdf_dir=tmp_path / "out"))
    a = printer.print_receipt(_doc(), "k01-20261127-0001")
    b = printer.print_receipt(_doc(), "../../etc/passwd")  # a name cannot leave the folder
    assert a.pdf is not None and b.pdf is not None and a.pdf != b.pdf
    assert {p.parent for p in (a.pdf, b.pdf)} == {tmp_path / "out"}


def test_system_printer_failure_is_a_plain_error() -> None:
    if shutil.which("lp") is None:
        pytest.fail("cups-client (lp) is installed by packaging/setup.sh")
    printer = ReceiptPrinter(PrinterConfig(name="no-such-printer-here"))
    with pytest.raises(KioskError) as err:
        printer.print_receipt(_doc(), "x")
    assert err.value.kind == "print_failed" and "服务台" in err.value.message.zh
