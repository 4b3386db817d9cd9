"""Card-reader error kinds with the plain zh/en sentences a citizen or technician sees.

Every failure of a reader (SAM status word, PC/SC return code, serial fault, bad card data) becomes a
`ReaderError` (a `KioskError`) with one of the kinds below; `detail` is for technicians and never personal.
"""

from __future__ import annotations

from kiosk.messages import KioskError, Message

_PLEASE_AGAIN_ZH = "请把证件取下，再重新放好。"
_PLEASE_AGAIN_EN = "Please lift the card off and place it again."

MESSAGES: dict[str, Message] = {
    # Card placement / reading (what a citizen sees most often)
    "no_card": Message("没有检测到证件，请把证件平放在读卡区。",
                       "No card found. Please lay your card flat on the reader."),
    "card_removed": Message("证件被拿开了，请重新放好，读完前不要移动。",
                            "The card was moved away. Please place it again and keep it still until it is read."),
    "select_failed": Message("证件没有放稳。" + _PLEASE_AGAIN_ZH, "The card is not placed well. " + _PLEASE_AGAIN_EN),
    "read_failed": Message("读取证件失败。" + _PLEASE_AGAIN_ZH, "The card could not be read. " + _PLEASE_AGAIN_EN),
    "authentication_failed": Message("证件认证失败，可能不是有效证件，请找工作人员帮助。",
                                     "The card did not pass the security check. Please ask the staff for help."),
    "data_check_failed": Message("证件信息校验失败。" + _PLEASE_AGAIN_ZH,
                                 "The card data failed its check. " + _PLEASE_AGAIN_EN),
    "unknown_card_type": Message("无法识别这张卡，请使用身份证、居住证或社保卡。",
                                 "This card is not recognised. Please use an ID card, residence permit or "
                                 "social security card."),
    "no_content": Message("证件上没有这项信息。", "The card does not hold this information."),
    "card_data_invalid": Message("证件信息格式不正确，请找工作人员帮助。",
                                 "The card data is not in the expected format. Please ask the staff for help."),
    "card_unresponsive": Message("证件没有响应。" + _PLEASE_AGAIN_ZH, "The card does not respond. " + _PLEASE_AGAIN_EN),
    "timeout": Message("等待读卡超时。", "Timed out waiting for a card."),
    # Reader / SAM module faults (a technician's problem; the citizen is asked to get help)
    "no_reader": Message("读卡器未连接，请找工作人员帮助。",
                         "The card reader is not connected. Please ask the staff for help."),
    "reader_busy": Message("读卡器正被其他程序占用，请稍后再试。",
                           "The card reader is in use by another program. Please try again shortly."),
    "no_service": Message("读卡服务（pcscd）没有运行，请找工作人员帮助。",
                          "The card service (pcscd) is not running. Please ask the staff for help."),
    "port_unavailable": Message("无法打开读卡器串口，请找工作人员帮助。",
                                "The card reader's serial port cannot be opened. Please ask the staff for help."),
    "no_reply": Message("读卡器没有应答，请找工作人员帮助。",
                        "The card reader does not answer. Please ask the staff for help."),
    "frame_invalid": Message("读卡器通信出错，正在重试。", "Communication with the card reader failed; retrying."),
    "frame_checksum": Message("读卡器收到的数据校验出错，正在重试。",
                              "The card reader received damaged data (checksum); retrying."),
    "frame_length": Message("读卡器收到的数据长度出错，正在重试。",
                            "The card reader received data of the wrong length; retrying."),
    "bad_command": Message("读卡器不支持该命令。", "The card reader rejected the command."),
    "not_allowed": Message("读卡器拒绝了该操作。", "The card reader does not allow this operation."),
    "unknown_error": Message("读卡器出现未知错误，请找工作人员帮助。",
                             "The card reader reported an unknown error. Please ask the staff for help."),
    "random_number_failed": Message("读卡器安全模块取随机数失败。" + _PLEASE_AGAIN_ZH,
                                    "The reader's security module failed to get a random number. " + _PLEASE_AGAIN_EN),
    "sam_self_test_failed": Message("读卡器安全模块自检失败，请找工作人员更换读卡器。",
                                    "The card reader's security module failed its self-test. "
                                    "Please ask the staff to replace the reader."),
    "sam_not_authorized": Message("读卡器安全模块未授权，无法使用，请找工作人员帮助。",
                                  "The card reader's security module is not authorised. "
                                  "Please ask the staff for help."),
    "pcsc_error": Message("读卡服务出错，请找工作人员帮助。",
                          "The card service reported an error. Please ask the staff for help."),
}


class ReaderError(KioskError):
    """A card-reader failure; `kind` is one of `MESSAGES`."""


def reader_error(kind: str, detail: str | None = None) -> ReaderError:
    message = MESSAGES.get(kind) or MESSAGES["unknown_error"]
    return ReaderError(kind, message, detail=detail)
