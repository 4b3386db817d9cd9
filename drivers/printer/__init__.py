"""Receipt printing without Qt: render a PDF receipt (fpdf2, Noto Sans CJK embedded) and hand it to CUPS (`lp`)."""

from drivers.printer.receipt import ReceiptDoc, ReceiptLine, render_pdf
from drivers.printer.spool import PrintResult, ReceiptPrinter

__all__ = ["PrintResult", "ReceiptDoc", "ReceiptLine", "ReceiptPrinter", "render_pdf"]
