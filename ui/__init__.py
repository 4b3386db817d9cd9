"""PySide6 front end of the kiosk: screens, theme, keypad, voice, and adapters onto the GUI thread."""
