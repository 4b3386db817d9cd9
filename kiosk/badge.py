"""What the kiosk says about a PIN the badge itself checked (ISO 7816-4 VERIFY: the card keeps the counter):
wrong with N tries left, or blocked until staff unblock it with the PUK (`kiosk badge unblock`)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.messages import KioskError, Message

# Asks the badge on the reader to check a PIN: (right, tries left, blocked). Given by the composition root from
# drivers (drivers.badge_pin over PC/SC); the core never talks to a reader itself.
BadgeVerifier = Callable[[str], tuple[bool, int | None, bool]]


def badge_pin_refused(tries_left: int | None, blocked: bool) -> KioskError:
    """The error for a PIN the badge refused (63Cx → N tries left, 6983 → blocked)."""
    if blocked or tries_left == 0:
        return KioskError("badge_pin_blocked",
                          Message("工牌密码已锁定，请到服务台请工作人员解锁",
                                  "This badge's PIN is blocked; staff at the hall desk can unblock it"))
    n = tries_left if tries_left is not None else 0
    return KioskError("badge_pin_wrong", Message(f"密码不正确，还可以试 {n} 次",
                                                 f"The PIN is not correct; {n} tr{'y' if n == 1 else 'ies'} left"),
                      detail=f"tries_left={n}")
