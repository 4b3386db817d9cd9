"""Card-reader error kinds with the plain zh/en sentences a citizen or technician sees.

Every failure of a reader (SAM status word, PC/SC return code, serial fault, bad card data) becomes a
`ReaderError` (a `KioskError`) with one of the kinds below; `detail` is for technicians and never personal.
"""

from __future__ import annotations

from kiosk.locale import phrase
from kiosk.messages import KioskError, Message

MESSAGES: dict[str, Message] = {
    # Card placement / reading (what a citizen sees most often)
    "no_card": phrase("drivers.errors.messages.no_card"),
    "card_removed": phrase("drivers.errors.messages.card_removed"),
    "select_failed": phrase("drivers.errors.messages.select_failed"),
    "read_failed": phrase("drivers.errors.messages.read_failed"),
    "authentication_failed": phrase("drivers.errors.messages.authentication_failed"),
    "data_check_failed": phrase("drivers.errors.messages.data_check_failed"),
    "unknown_card_type": phrase("drivers.errors.messages.unknown_card_type"),
    "no_content": phrase("drivers.errors.messages.no_content"),
    "card_data_invalid": phrase("drivers.errors.messages.card_data_invalid"),
    "card_unresponsive": phrase("drivers.errors.messages.card_unresponsive"),
    "timeout": phrase("drivers.errors.messages.timeout"),
    # Reader / SAM module faults (a technician's problem; the citizen is asked to get help)
    "no_reader": phrase("drivers.errors.messages.no_reader"),
    "reader_busy": phrase("drivers.errors.messages.reader_busy"),
    "no_service": phrase("drivers.errors.messages.no_service"),
    "port_unavailable": phrase("drivers.errors.messages.port_unavailable"),
    "no_reply": phrase("drivers.errors.messages.no_reply"),
    "frame_invalid": phrase("drivers.errors.messages.frame_invalid"),
    "frame_checksum": phrase("drivers.errors.messages.frame_checksum"),
    "frame_length": phrase("drivers.errors.messages.frame_length"),
    "bad_command": phrase("drivers.errors.messages.bad_command"),
    "not_allowed": phrase("drivers.errors.messages.not_allowed"),
    "unknown_error": phrase("drivers.errors.messages.unknown_error"),
    "random_number_failed": phrase("drivers.errors.messages.random_number_failed"),
    "sam_self_test_failed": phrase("drivers.errors.messages.sam_self_test_failed"),
    "sam_not_authorized": phrase("drivers.errors.messages.sam_not_authorized"),
    "pcsc_error": phrase("drivers.errors.messages.pcsc_error"),
}


class ReaderError(KioskError):
    """A card-reader failure; `kind` is one of `MESSAGES`."""


def reader_error(kind: str, detail: str | None = None) -> ReaderError:
    message = MESSAGES.get(kind) or MESSAGES["unknown_error"]
    return ReaderError(kind, message, detail=detail)
