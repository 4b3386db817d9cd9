"""Which card reader `card_reader.driver` asks for: the one place that knows every reader driver (so the reader
interface in `drivers.reader` names none of them). Each driver is imported only when asked for (pyscard, serial)."""

from __future__ import annotations

from drivers.events import ReaderCallback
from drivers.reader import CardReader
from kiosk.config import CardReaderConfig
from kiosk.locale import phrase
from kiosk.messages import KioskError


def make_reader(conf: CardReaderConfig, callback: ReaderCallback) -> CardReader | None:
    """The reader `card_reader.driver` asks for, not yet started (None for "none"). A missing port is not an
    error here: the SAM reader keeps trying to open it, so a reader plugged in later is found."""
    if conf.driver == "sam":
        from drivers.sam import SamReader

        if not conf.port:
            raise KioskError("config_invalid", phrase("drivers.readers.config_invalid"),
                             detail="card_reader.port not set")
        return SamReader(callback, conf.port, conf.baud)
    if conf.driver == "pcsc":
        from drivers.pcsc import PcscReader

        return PcscReader(callback, conf.reader)
    if conf.driver == "simulated":
        from drivers.simulated import SimulatedReader

        return SimulatedReader(callback, conf.simulated_file)
    return None
