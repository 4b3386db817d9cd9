"""Receipt printing without Qt: render a PDF receipt (fpdf2, Noto Sans CJK embedded) and hand it to CUPS (`lp`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drivers.printer.receipt import ReceiptDoc, ReceiptLine, render_pdf
    from drivers.printer.spool import PrintResult, ReceiptPrinter

__all__ = ["PrintResult", "ReceiptDoc", "ReceiptLine", "ReceiptPrinter", "render_pdf"]
_HOME = {"ReceiptDoc": "receipt", "ReceiptLine": "receipt", "render_pdf": "receipt", "PrintResult": "spool",
         "ReceiptPrinter": "spool"}


def __getattr__(name: str) -> Any:
    # Loaded on first use, so `python -m drivers.printer.print_font` (set-up builds the print faces) does not
    # import print_font through the package first (runpy warned of that).
    if name in _HOME:
        return getattr(importlib.import_module(f"drivers.printer.{_HOME[name]}"), name)
    raise AttributeError(name)
