"""Line icons drawn for the kiosk (24×24 SVG, stroke in the button's text colour) and their QIcon/QPixmap form.

Every button shows an icon beside its words, so nobody has to rely on reading alone or on colour alone.
"""

from __future__ import annotations

from functools import lru_cache

_S = 'fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"'

ICONS: dict[str, str] = {
    "back": f'<path {_S} d="M15 4 7 12l8 8"/><path {_S} d="M7 12h13"/>',
    "next": f'<path {_S} d="M9 4l8 8-8 8"/><path {_S} d="M17 12H4"/>',
    "home": f'<path {_S} d="M3 11 12 3l9 8"/><path {_S} d="M5 10v10h5v-6h4v6h5V10"/>',
    "speaker": f'<path {_S} d="M4 9h4l5-4v14l-5-4H4z"/><path {_S} d="M16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11"/>',
    "volunteer": f'<circle {_S} cx="12" cy="6" r="3"/><path {_S} d="M5 21v-4a7 7 0 0 1 14 0v4"/>'
                 f'<path {_S} d="M19 3v5M16.5 5.5h5"/>',
    "globe": f'<circle {_S} cx="12" cy="12" r="9"/><path {_S} d="M3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18"/>',
    "textsize": f'<path {_S} d="M3 20 9 4l6 16M5.5 14h7"/><path {_S} d="M18 8v8M14 12h8"/>',
    "card": f'<rect {_S} x="2.5" y="5" width="19" height="14" rx="2"/><circle {_S} cx="8" cy="11" r="2"/>'
            f'<path {_S} d="M5 16c.5-1.5 5.5-1.5 6 0M14 10h5M14 14h4"/>',
    "qr": f'<rect {_S} x="3" y="3" width="7" height="7"/><rect {_S} x="14" y="3" width="7" height="7"/>'
          f'<rect {_S} x="3" y="14" width="7" height="7"/><path {_S} d="M14 14h3v3h-3zM20 14v7M14 20h3"/>',
    "proxy": f'<circle {_S} cx="8" cy="7" r="3"/><circle {_S} cx="17" cy="8" r="2.5"/>'
             f'<path {_S} d="M2 21v-3a6 6 0 0 1 12 0v3M14 21v-2.5a4.5 4.5 0 0 1 8 0V21"/>',
    "business": f'<rect {_S} x="4" y="3" width="16" height="18" rx="2"/><path {_S} d="M8 8h8M8 12h8M8 16h5"/>',
    "print": f'<path {_S} d="M6 9V3h12v6"/><rect {_S} x="3" y="9" width="18" height="8" rx="1"/>'
             f'<path {_S} d="M7 14h10v7H7z"/>',
    "ticket": f'<path {_S} d="M3 7h18v3a2 2 0 0 0 0 4v3H3v-3a2 2 0 0 0 0-4z"/><path {_S} d="M9 7v10"/>',
    "heart": f'<path {_S} d="M12 20s-8-5-8-11a4.5 4.5 0 0 1 8-2.5A4.5 4.5 0 0 1 20 9c0 6-8 11-8 11z"/>',
    "pension": f'<circle {_S} cx="12" cy="12" r="9"/><path {_S} d="M9 7l3 4 3-4M8 12h8M8 15h8M12 11v7"/>',
    "medical": f'<rect {_S} x="3" y="3" width="18" height="18" rx="3"/><path {_S} d="M12 7v10M7 12h10"/>',
    "care": f'<path {_S} d="M3 15h4l4 3h5a2 2 0 0 0 0-4h-4"/><path {_S} d="M7 15V13a6 6 0 0 1 5-3h3"/>'
            f'<path {_S} d="M16 3s-3 2-3 4a3 3 0 0 0 6 0c0-2-3-4-3-4z"/>',
    "flower": f'<circle {_S} cx="12" cy="8" r="2.5"/><path {_S} d="M12 5.5a3 3 0 1 1 3 2.5 3 3 0 1 1-3 2.5 3 3 0 1 1-3'
              f'-2.5 3 3 0 1 1 3-2.5z"/><path {_S} d="M12 11v10M12 17c-2-2-4-2-5-1M12 15c2-2 4-2 5-1"/>',
    "folder": f'<path {_S} d="M3 6h6l2 2h10v11H3z"/>',
    "check": f'<circle {_S} cx="12" cy="12" r="9"/><path {_S} d="M7.5 12.5l3 3 6-6"/>',
    "todo": f'<rect {_S} x="4" y="3" width="16" height="18" rx="2"/><path {_S} d="M8 9h8M8 13h8M8 17h4"/>'
            f'<path {_S} d="M16 16l3 3"/>',
    "clear": f'<circle {_S} cx="12" cy="12" r="9"/><path {_S} d="M8.5 8.5l7 7M15.5 8.5l-7 7"/>',  # 清空: all gone
    "empty_box": f'<rect {_S} x="4" y="4" width="16" height="16" rx="2"/>',
    "clock": f'<circle {_S} cx="12" cy="12" r="9"/><path {_S} d="M12 7v5l3 3"/>',
    "up": f'<path {_S} d="M4 15l8-8 8 8"/>',
    "down": f'<path {_S} d="M4 9l8 8 8-8"/>',
    "delete": f'<path {_S} d="M9 5h12v14H9l-6-7z"/><path {_S} d="M12 9l6 6M18 9l-6 6"/>',
    "phone": f'<rect {_S} x="7" y="2" width="10" height="20" rx="2"/><path {_S} d="M11 18h2"/>',
    "pen": f'<path {_S} d="M4 20l4-1 11-11-3-3L5 16z"/><path {_S} d="M14 6l3 3"/>',
    "send": f'<path {_S} d="M3 11l18-8-7 18-3-7z"/><path {_S} d="M11 14l10-11"/>',
    "yes": f'<path {_S} d="M5 12.5l4.5 4.5L19 7"/>',
    "shield": f'<path {_S} d="M12 3l8 3v6c0 5-4 8-8 9-4-1-8-4-8-9V6z"/><path {_S} d="M8.5 12l2.5 2.5 4.5-4.5"/>',
    "paper": f'<path {_S} d="M6 3h9l4 4v14H6z"/><path {_S} d="M14 3v5h5M9 13h7M9 17h7"/>',
    "calendar": f'<rect {_S} x="3" y="5" width="18" height="16" rx="2"/><path {_S} d="M3 10h18M8 3v4M16 3v4"/>',
    # A card lifted up off the reader: the card above, the reader's slot below, an arrow pointing up.
    "take_card": f'<rect {_S} x="6" y="1.5" width="12" height="8" rx="1.5"/><circle {_S} cx="9.5" cy="5.5" r="1.3"/>'
                 f'<path {_S} d="M13 4.5h3M13 7h2"/><path {_S} d="M12 17.5v-5M9.5 15l2.5-2.5 2.5 2.5"/>'
                 f'<path {_S} d="M3 22h18M5 19.5h14"/>',
    "home_cat": f'<path {_S} d="M3 11 12 3l9 8"/><path {_S} d="M5 10v10h14V10"/>',
}
# Catalog category icons map onto the drawn set.
ALIASES = {"home": "home_cat"}


def svg(name: str, colour: str) -> bytes:
    body = ICONS.get(name) or ICONS["folder"]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" color="{colour}">{body}</svg>'
            .replace("currentColor", colour).encode())


@lru_cache(maxsize=512)
def pixmap(name: str, colour: str, size: int):  # -> QPixmap (Qt imported lazily: this module is Qt-light)
    _register_cleanup()
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg(name, colour)))
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    renderer.render(painter)
    painter.end()
    return pm


_cleanup_registered = False


def _register_cleanup() -> None:
    """Drop cached pixmaps before the interpreter shuts down: a QPixmap must not outlive the QApplication."""
    global _cleanup_registered
    if not _cleanup_registered:
        import atexit

        atexit.register(pixmap.cache_clear)
        _cleanup_registered = True
