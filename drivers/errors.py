"""Card-reader error kinds with the plain zh/en sentences a citizen or technician sees.

Every failure of a reader (SAM status word, PC/SC return code, serial fault, bad card data) becomes a
`ReaderError` (a `KioskError`) with one of the kinds below; `detail` is for technicians and never personal.
"""

from __future__ import annotations

from kiosk.locale import phrase
from kiosk.messages import KioskError, Message

_PLEASE_AGAIN_ZH = "请把证件取下，再重新放好。"
_PLEASE_AGAIN_EN = "Please lift the card off and place it again."

MESSAGES: dict[str, Message] = {
    # Card placement / reading (what a citizen sees most often)
    "no_card": phrase("drivers.errors.messages.no_card"),
    "card_removed": phrase("drivers.errors.messages.card_removed"),
    "select_failed": Message("证件没有放稳。" + _PLEASE_AGAIN_ZH, "The card is not placed well. " + _PLEASE_AGAIN_EN),
    "read_failed": Message("读取证件失败。" + _PLEASE_AGAIN_ZH, "The card could not be read. " + _PLEASE_AGAIN_EN),
    "authentication_failed": phrase("drivers.errors.messages.authentication_failed"),
    "data_check_failed": Message("证件信息校验失败。" + _PLEASE_AGAIN_ZH,
                                 "The card data failed its check. " + _PLEASE_AGAIN_EN),
    "unknown_card_type": phrase("drivers.errors.messages.unknown_card_type"),
    "no_content": phrase("drivers.errors.messages.no_content"),
    "card_data_invalid": phrase("drivers.errors.messages.card_data_invalid"),
    "card_unresponsive": Message("证件没有响应。" + _PLEASE_AGAIN_ZH, "The card does not respond. " + _PLEASE_AGAIN_EN),
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
    "random_number_failed": Message("读卡器安全模块取随机数失败。" + _PLEASE_AGAIN_ZH,
                                    "The reader's security module failed to get a random number. " + _PLEASE_AGAIN_EN),
    "sam_self_test_failed": phrase("drivers.errors.messages.sam_self_test_failed"),
    "sam_not_authorized": phrase("drivers.errors.messages.sam_not_authorized"),
    "pcsc_error": phrase("drivers.errors.messages.pcsc_error"),
}


class ReaderError(KioskError):
    """A card-reader failure; `kind` is one of `MESSAGES`."""


def reader_error(kind: str, detail: str | None = None) -> ReaderError:
    message = MESSAGES.get(kind) or MESSAGES["unknown_error"]
    return ReaderError(kind, message, detail=detail)
