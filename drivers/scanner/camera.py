"""Camera scanner: OpenCV `VideoCapture` (device index, device path or video file), each frame decoded on the
camera thread with pyzbar (or zxing-cpp) plus image retries; one event per presented code.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from drivers.events import ScanCallback
from drivers.scanner.base import CodeScanner, ErrorCallback, scanner_error
from kiosk.codes.imaging import DEFAULT_DECODER, decode_image, decoder_fn

log = logging.getLogger(__name__)

FrameHook = Callable[[int, float], None]  # (frame index, perf_counter when read) — benchmarks and diagnostics


class CameraScanner(CodeScanner):
    name = "camera"

    def __init__(self, callback: ScanCallback, source: str | int = 0, *, decoder: str = DEFAULT_DECODER,
                 on_error: ErrorCallback | None = None, repeat_seconds: float = 3.0, realtime: bool = False,
                 loop: bool = False, retry_seconds: float = 2.0, frame_hook: FrameHook | None = None) -> None:
        super().__init__(callback, on_error=on_error, repeat_seconds=repeat_seconds)
        decoder_fn(decoder)  # refuse an unknown decoder now, not on the worker thread
        self.source = int(source) if isinstance(source, str) and source.isdigit() else source
        self.decoder = decoder
        self.realtime = realtime  # pace a video file at its frame rate (demo); devices pace themselves
        self.loop = loop  # replay a video file from the start when it ends (demo)
        self.retry_seconds = retry_seconds
        self.frame_hook = frame_hook
        self.frames_read = 0
        self.retries_per_frame = 1

    @property
    def is_file(self) -> bool:
        return isinstance(self.source, str) and not self.source.startswith("/dev/")

    def _open(self) -> Any:
        import cv2

        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            cap.release()
            return None
        if not self.is_file:
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # decode the newest frame, not a queue of stale ones
        return cap

    def _run(self) -> None:
        import cv2

        while not self._stop.is_set():
            cap = self._open()
            if cap is None:
                self._error(scanner_error("camera_unavailable", "摄像头无法打开，请联系工作人员",
                                          "The camera cannot be opened; please call staff", detail=str(self.source)))
                if self.is_file or self._stop.wait(self.retry_seconds):
                    return
                continue
            try:
                ended = self._read_frames(cap, cv2.CAP_PROP_FPS)
            finally:
                cap.release()
            if ended and self.is_file and not self.loop:
                return
            if ended and not self.is_file:
                self._error(scanner_error("camera_lost", "摄像头连接中断，正在重新连接",
                                          "The camera stopped delivering pictures; reconnecting",
                                          detail=str(self.source)))
                if self._stop.wait(self.retry_seconds):
                    return

    def _read_frames(self, cap: Any, fps_prop: int) -> bool:
        """Read and decode until the source ends (True) or stop is asked (False)."""
        fps = cap.get(fps_prop) or 0.0
        period = 1.0 / fps if self.realtime and fps > 0 else 0.0
        next_due = time.perf_counter()
        while not self._stop.is_set():
            ok, frame = cap.read()
            if not ok or frame is None:
                return True
            read_at = time.perf_counter()
            index = self.frames_read
            self.frames_read += 1
            if self.frame_hook is not None:
                self.frame_hook(index, read_at)
            # One retry transformation per frame, a different one each frame: hard codes still get every
            # transformation within a few frames, and no frame takes much longer than a plain decode.
            for payload in decode_image(frame, self.decoder, max_retries=self.retries_per_frame,
                                        retry_offset=index).payloads:
                self._emit(payload)
            if period:
                next_due += period
                delay = next_due - time.perf_counter()
                if delay > 0 and self._stop.wait(delay):
                    return False
        return False
