"""What the kiosk says about a PIN the badge itself checked (ISO 7816-4 VERIFY: the card keeps the counter):
wrong with N tries left, or blocked until staff unblock it with the PUK (`kiosk badge unblock`); and whether this
kiosk's reader can read a badge at all (a GA 467 SAM ID-card reader cannot)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.locale import phrase
from kiosk.messages import KioskError

# Asks the badge on the reader to check a PIN: (right, tries left, blocked). Given by the composition root from
# drivers (drivers.badge_pin over PC/SC); the core never talks to a reader itself.
BadgeVerifier = Callable[[str], tuple[bool, int | None, bool]]


def badge_pin_refused(tries_left: int | None, blocked: bool) -> KioskError:
    """The error for a PIN the badge refused (63Cx → N tries left, 6983 → blocked)."""
    if blocked or tries_left == 0:
        return KioskError("badge_pin_blocked",
                          phrase("badge.badge_pin_blocked"))
    n = tries_left if tries_left is not None else 0
    return KioskError("badge_pin_wrong",
                      phrase("badge.badge_pin_wrong_one" if n == 1 else "badge.badge_pin_wrong", n=n),
                      detail=f"tries_left={n}")


# Readers that report a staff badge (its UID) and let it check a PIN: PC/SC. The simulated reader (demo) reports its
# demo badges, checked against the demo roster. A GA 467 SAM reader reads resident ID cards only.
BADGE_DRIVERS = frozenset({"pcsc", "simulated"})

# What a citizen reads where no badge can be read (plain words; `kiosk doctor` tells staff it needs PC/SC).
BADGES_NEED_PCSC = phrase("badge.badges_need_pcsc")


def reads_badges(driver: str) -> bool:
    """Whether a card reader with this driver can read staff badges (and so sign staff in)."""
    return driver in BADGE_DRIVERS
