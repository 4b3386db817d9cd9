"""The look of the kiosk: sizes derived from the panel (mm → px), the larger-text scale, colours checked for
contrast (WCAG 2 ratio ≥ 7:1), and the Qt style sheet built from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

FONT_FAMILY = "Noto Sans CJK SC"  # set explicitly: Qt's fallback would pick the Japanese face for Han text
SCALES = (1.0, 1.25, 1.5)

# Minimums from the accessibility rules, in pixels at scale 1.
MIN_BODY_PX = 32
MIN_HEADING_PX = 48
MIN_BUTTON_PX = 120
MIN_GAP_PX = 16
MIN_CONTRAST = 7.0


@dataclass(frozen=True)
class Palette:
    """Every foreground/background pair the style sheet uses; `pairs()` is what the contrast test checks."""

    page_bg: str = "#FFFFFF"
    text: str = "#111111"
    muted_text: str = "#2B2B2B"  # still ≥ 7:1 on white: nothing on screen is pale grey
    strip_bg: str = "#0B1F33"
    strip_text: str = "#FFFFFF"
    offline_bg: str = "#FFF1CC"
    offline_text: str = "#3D2600"
    primary_bg: str = "#0B3D91"
    primary_text: str = "#FFFFFF"
    secondary_bg: str = "#E3EAF5"
    secondary_text: str = "#0B1F33"
    selected_bg: str = "#0B5323"
    selected_text: str = "#FFFFFF"
    done_text: str = "#0B5323"
    todo_text: str = "#6B1D00"
    error_text: str = "#8A1111"
    overlay_bg: str = "#0B1F33"
    overlay_text: str = "#FFFFFF"
    light_bg: str = "#FFFFFF"  # the one big button on the dark idle screen
    light_text: str = "#0B1F33"
    border: str = "#0B1F33"

    def pairs(self) -> dict[str, tuple[str, str]]:
        bg = self.page_bg
        return {
            "body": (self.text, bg),
            "muted": (self.muted_text, bg),
            "done": (self.done_text, bg),
            "todo": (self.todo_text, bg),
            "error": (self.error_text, bg),
            "strip": (self.strip_text, self.strip_bg),
            "offline": (self.offline_text, self.offline_bg),
            "primary": (self.primary_text, self.primary_bg),
            "secondary": (self.secondary_text, self.secondary_bg),
            "selected": (self.selected_text, self.selected_bg),
            "overlay": (self.overlay_text, self.overlay_bg),
            "light": (self.light_text, self.light_bg),
            "field": (self.text, self.secondary_bg),
            "field_hint": (self.muted_text, self.secondary_bg),  # an empty box saying what it expects
            "banner": (self.strip_text, self.selected_bg),
        }


def _channel(c: float) -> float:
    c /= 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio between two #RRGGBB colours (1..21)."""
    a, b = relative_luminance(fg), relative_luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def panel_dpi(width_px: int, height_px: int, diagonal_inches: float | None, dpi: float | None) -> float:
    """Physical pixels per inch of the panel: configured DPI, else from the diagonal; offscreen Qt says 96."""
    if dpi:
        return float(dpi)
    if diagonal_inches:
        return math.hypot(width_px, height_px) / diagonal_inches
    return 96.0


@dataclass(frozen=True)
class Theme:
    """Sizes in pixels for one panel and one text scale."""

    dpi: float = 96.0
    scale: float = 1.0
    palette: Palette = Palette()

    def _mm(self, mm: float) -> float:
        return mm * self.dpi / 25.4

    @property
    def body_px(self) -> int:
        return round(max(MIN_BODY_PX, self._mm(8.0)) * self.scale)

    @property
    def heading_px(self) -> int:
        return round(max(MIN_HEADING_PX, self._mm(12.5)) * self.scale)

    @property
    def button_px(self) -> int:
        """Height of a primary button: at least 120 px and room for the text with generous padding."""
        return max(MIN_BUTTON_PX, round(self._mm(30.0)), round(self.body_px * 2.5))

    @property
    def gap_px(self) -> int:
        return max(MIN_GAP_PX, round(self._mm(5.0)))

    @property
    def icon_px(self) -> int:
        return round(self.body_px * 1.4)

    @property
    def margin_px(self) -> int:
        return max(MIN_GAP_PX, round(self._mm(6.0)))

    def with_scale(self, scale: float) -> Theme:
        return replace(self, scale=scale)

    def style_sheet(self) -> str:
        p = self.palette
        b, h, g = self.body_px, self.heading_px, self.gap_px
        radius = max(8, g // 2)
        return f"""
QWidget {{ font-family: "{FONT_FAMILY}"; font-size: {b}px; color: {p.text}; }}
QWidget#KioskWindow, QWidget#ScreenStack, QWidget[role="page"] {{ background: {p.page_bg}; }}
QLabel[role="heading"] {{ font-size: {h}px; font-weight: bold; color: {p.text}; }}
QLabel[role="body"] {{ font-size: {b}px; color: {p.text}; }}
QLabel[role="strong"] {{ font-size: {round(b * 1.15)}px; font-weight: bold; color: {p.text}; }}
QLabel[role="muted"] {{ font-size: {b}px; color: {p.muted_text}; }}
QLabel[role="done"] {{ font-size: {b}px; color: {p.done_text}; }}
QLabel[role="todo"] {{ font-size: {b}px; color: {p.todo_text}; }}
QLabel[role="error"] {{ font-size: {b}px; color: {p.error_text}; font-weight: bold; }}
QLabel[role="big"] {{ font-size: {round(h * 1.6)}px; font-weight: bold; color: {p.text}; }}
QLabel[role="huge"] {{ font-size: {round(h * 2.2)}px; font-weight: bold; color: {p.text}; }}
QLabel[role="banner"] {{ font-size: {b}px; font-weight: bold; color: {p.strip_text}; background: {p.selected_bg};
    padding: {g // 3}px {g}px; }}
QLabel[role="field"] {{ font-size: {h}px; font-weight: bold; letter-spacing: 2px; color: {p.text};
    background: {p.secondary_bg};
    border: 3px solid {p.border}; border-radius: {radius}px; padding: {g // 2}px {g}px; }}
QLabel[role="field_hint"] {{ font-size: {b}px; color: {p.muted_text}; background: {p.secondary_bg};
    border: 3px solid {p.border}; border-radius: {radius}px; padding: {g // 2}px {g}px; }}
QWidget#StatusStrip {{ background: {p.strip_bg}; }}
QWidget#StatusStrip QLabel {{ color: {p.strip_text}; font-size: {b}px; }}
QWidget#StatusStrip[offline="true"] {{ background: {p.offline_bg}; }}
QWidget#StatusStrip[offline="true"] QLabel {{ color: {p.offline_text}; }}
QWidget#IdleOverlay {{ background: {p.overlay_bg}; }}
QWidget#IdleOverlay QLabel {{ color: {p.overlay_text}; }}
BigButton {{ background: {p.secondary_bg}; border: 3px solid {p.border}; border-radius: {radius}px; }}
BigButton QLabel {{ color: {p.secondary_text}; background: transparent; border: none; }}
BigButton[kind="primary"] {{ background: {p.primary_bg}; border-color: {p.primary_bg}; }}
BigButton[kind="primary"] QLabel {{ color: {p.primary_text}; }}
BigButton[kind="light"] {{ background: {p.light_bg}; border-color: {p.light_bg}; }}
QWidget#IdleOverlay BigButton[kind="light"] QLabel {{ color: {p.light_text}; font-weight: bold; }}
BigButton[selected="true"] {{ background: {p.selected_bg}; border-color: {p.selected_bg}; }}
BigButton[selected="true"] QLabel {{ color: {p.selected_text}; }}
BigButton:pressed {{ border-width: 6px; }}
"""


def theme_for(width_px: int, height_px: int, diagonal_inches: float | None, dpi: float | None,
              scale: float = 1.0) -> Theme:
    return Theme(dpi=panel_dpi(width_px, height_px, diagonal_inches, dpi), scale=scale)
