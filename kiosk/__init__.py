"""Qt-free core of the service-hall kiosk: identity, catalog, sessions, codes, store, audit, config, CLI.

Nothing in this package imports Qt; the `ui` package calls into it, never the reverse.
"""

__version__ = "0.1.0"
