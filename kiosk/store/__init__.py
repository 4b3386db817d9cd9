"""The kiosk's SQLite store: connection rules, migrations, encryption of personal data, outbox writes."""

from kiosk.store.db import Store, open_store
from kiosk.store.keyring import Keyring

__all__ = ["Keyring", "Store", "open_store"]
