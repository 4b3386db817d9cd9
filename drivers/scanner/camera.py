"""Camera scanner: OpenCV `VideoCapture` (device index, device path or video file); frames whose picture changed
are decoded on the camera thread with pyzbar (or zxing-cpp) plus image retries; one event per presented code.

Idle cost: MJPEG frames are taken undecoded where the source allows it (a video file's packets, a camera's
MJPEG buffers with RGB conversion off), the change check runs on a 1/8-scale grayscale decode, only frames
the `FrameGate` picks are decoded in full (grayscale, which is all the code decoders read), and after a quiet
second only every other frame is looked at at all (the others are grabbed, not retrieved).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from drivers.events import ScanCallback
from drivers.scanner.base import CodeScanner, ErrorCallback, scanner_error
from drivers.scanner.frame_gate import FrameGate, is_jpeg, jpeg_thumbnail, thumbnail
from kiosk.codes.imaging import DEFAULT_DECODER, decode_image, decoder_fn

log = logging.getLogger(__name__)

FrameHook = Callable[[int, float], None]  # (frame index, perf_counter when read) — benchmarks and diagnostics
_REOPEN = "reopen"  # the source's raw frames are not JPEG: open it again for decoded frames


class CameraScanner(CodeScanner):
    name = "camera"

    def __init__(self, callback: ScanCallback, source: str | int = 0, *, decoder: str = DEFAULT_DECODER,
                 on_error: ErrorCallback | None = None, repeat_seconds: float = 3.0, realtime: bool = False,
                 loop: bool = False, retry_seconds: float = 2.0, frame_hook: FrameHook | None = None,
                 gate: FrameGate | None = None, decode_every_frame: bool = False) -> None:
        super().__init__(callback, on_error=on_error, repeat_seconds=repeat_seconds)
        decoder_fn(decoder)  # refuse an unknown decoder now, not on the worker thread
        self.source = int(source) if isinstance(source, str) and source.isdigit() else source
        self.decoder = decoder
        self.realtime = realtime  # pace a video file at its frame rate (demo); devices pace themselves
        self.loop = loop  # replay a video file from the start when it ends (demo)
        self.retry_seconds = retry_seconds
        self.frame_hook = frame_hook
        self.frames_read = 0
        self.frames_decoded = 0
        self.retries_per_frame = 1
        self.gate = gate or FrameGate()
        self.decode_every_frame = decode_every_frame  # the former path (every frame decoded): benchmark baseline
        self._raw_allowed = not decode_every_frame
        self._raw = False

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
        self._raw = self._raw_allowed and self._ask_raw(cap)
        self.gate.reset()
        return cap

    def _ask_raw(self, cap: Any) -> bool:
        """Ask for undecoded frames: a file's packets (FFmpeg), a camera's MJPEG buffers (V4L2 without RGB
        conversion). Whether they really are JPEG is checked on the first frame."""
        import cv2

        if self.is_file:
            return bool(cap.set(cv2.CAP_PROP_FORMAT, -1))
        cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        return bool(cap.set(cv2.CAP_PROP_CONVERT_RGB, 0))

    def _run(self) -> None:
        import cv2

        while not self._stop.is_set():
            cap = self._open()
            if cap is None:
                self._error(scanner_error("camera_unavailable", detail=str(self.source)))
                if self.is_file or self._stop.wait(self.retry_seconds):
                    return
                continue
            try:
                ended = self._read_frames(cap, cv2.CAP_PROP_FPS)
            finally:
                cap.release()
            if ended == _REOPEN:
                continue
            if ended and self.is_file and not self.loop:
                return
            if ended and not self.is_file:
                self._error(scanner_error("camera_lost", detail=str(self.source)))
                if self._stop.wait(self.retry_seconds):
                    return

    def _read_frames(self, cap: Any, fps_prop: int) -> bool | str:
        """Read and decode until the source ends (True), stop is asked (False) or it must be reopened."""
        fps = cap.get(fps_prop) or 0.0
        period = 1.0 / fps if self.realtime and fps > 0 else 0.0
        next_due = time.perf_counter()
        checked_raw = False
        if fps > 0 and not self.decode_every_frame:
            # A code left in view must be seen again within the repeat window, or it would count as presented
            # anew at each recheck: recheck at least twice per window (every frame when the window is 0).
            self.gate.recheck_frames = max(1, min(self.gate.recheck_frames, int(self.repeats.window * fps / 2)))
        while not self._stop.is_set():
            if not self.decode_every_frame and self.gate.skip():
                # Passed over: grabbed (the source moves on, a camera's buffer is handed back), not retrieved.
                if not cap.grab():
                    return True
                frame = None
            else:
                ok, frame = cap.read()
                if not ok or frame is None:
                    return True
            read_at = time.perf_counter()
            if self._raw and not checked_raw:
                checked_raw = True
                if not is_jpeg(frame):  # e.g. an H.264 file or a YUYV-only camera: decoded frames then
                    log.info("camera %s: raw frames are not JPEG; using decoded frames", self.source)
                    self._raw_allowed = False
                    return _REOPEN
            index = self.frames_read
            self.frames_read += 1
            if self.frame_hook is not None:
                self.frame_hook(index, read_at)
            if frame is not None:
                self._look_at(frame, index)
            if period:
                next_due += period
                delay = next_due - time.perf_counter()
                if delay > 0 and self._stop.wait(delay):
                    return False
        return False

    def _look_at(self, frame: Any, index: int) -> None:
        """Decode the frame if it is worth it, and emit what it shows."""
        import cv2

        if self.decode_every_frame:
            image, offset = frame, index
        else:
            thumb = jpeg_thumbnail(frame) if self._raw else thumbnail(frame)
            if thumb is None:  # a corrupt JPEG frame (USB hiccup): the next one will do
                return
            if not self.gate.should_decode(thumb):
                return
            image = cv2.imdecode(frame, cv2.IMREAD_GRAYSCALE) if self._raw else frame
            offset = self.frames_decoded
        self.frames_decoded += 1
        # One retry transformation per decoded frame, a different one each time: hard codes still get every
        # transformation within a few frames, and no frame takes much longer than a plain decode.
        for payload in decode_image(image, self.decoder, max_retries=self.retries_per_frame,
                                    retry_offset=offset).payloads:
            self._emit(payload)
