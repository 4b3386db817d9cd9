"""Code scanners (Qt-free, one worker thread each): camera (OpenCV + pyzbar/zxing-cpp), serial modules,
keyboard-wedge burst detection and a simulated scanner for the demo. All deliver `drivers.events.ScanEvent`s.
"""

from drivers.scanner.base import CodeScanner, RepeatFilter
from drivers.scanner.factory import make_scanner

__all__ = ["CodeScanner", "RepeatFilter", "make_scanner"]
