"""Which camera frames are worth decoding: a cheap difference between small grayscale thumbnails, so an idle
camera costs little while a code held up is decoded on the first frame that shows it.
"""

from __future__ import annotations

from typing import Any

THUMB_WIDTH = 160  # 1280×720 → 160×90, the size a JPEG decodes to at 1/8 scale (block averages)


def thumbnail(frame: Any) -> Any:
    """A decoded frame (BGR or gray) as a small grayscale picture; area averaging keeps sensor noise out."""
    import cv2

    h, w = frame.shape[:2]
    scale = min(1.0, THUMB_WIDTH / w)
    small = cv2.resize(frame, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)


def jpeg_thumbnail(jpeg: Any) -> Any:
    """A JPEG frame (raw MJPEG buffer) decoded at 1/8 scale in grayscale: only the block averages, ~3× cheaper
    than a full decode. None when the buffer is not a readable JPEG."""
    import cv2

    return cv2.imdecode(jpeg, cv2.IMREAD_REDUCED_GRAYSCALE_8)


def is_jpeg(frame: Any) -> bool:
    """Whether a raw frame is a JPEG buffer (a 1-row byte array starting with the SOI marker FF D8)."""
    return (frame is not None and frame.ndim == 2 and frame.shape[0] == 1 and frame.shape[1] > 2
            and int(frame[0, 0]) == 0xFF and int(frame[0, 1]) == 0xD8)


class FrameGate:
    """Decide per frame whether to decode it.

    Decode when the picture changed since the last decoded frame (more than `changed_fraction` of the thumbnail
    pixels moved by more than `pixel_delta` grey levels), then also the next `settle_frames` frames (a code still
    moving is often blurred; the frames after it comes to rest are sharp but look almost the same at thumbnail
    scale), and at least every `recheck_frames` frames (a code held so still that nothing changes is still read,
    and a code left in view keeps refreshing the scanner's one-event-per-presentation window).

    Once nothing has changed for `quiet_frames` frames looked at, only every `idle_stride`-th frame is looked at
    (`skip` says which to pass over: the camera grabs those without decoding even a thumbnail); the first change
    seen returns to every frame. An idle camera then costs about 1/`idle_stride` as much, and a code that appears
    out of stillness is read at most `idle_stride - 1` frames later (a hand bringing a phone moves first, and
    that motion already returns the gate to every frame).
    """

    def __init__(self, *, pixel_delta: int = 12, changed_fraction: float = 0.005, settle_frames: int = 4,
                 recheck_frames: int = 30, idle_stride: int = 2, quiet_frames: int = 30) -> None:
        self.pixel_delta = pixel_delta
        self.changed_fraction = changed_fraction
        self.settle_frames = settle_frames
        self.recheck_frames = recheck_frames
        self.idle_stride = max(1, idle_stride)
        self.quiet_frames = quiet_frames
        self._reference: Any = None  # thumbnail of the last decoded frame
        self._settle = 0
        self._since_decode = 0
        self._quiet = 0  # frames looked at in a row without a change (settle frames excluded)
        self._skipped = 0  # frames passed over since the last one looked at

    def changed(self, thumb: Any) -> bool:
        """Whether `thumb` differs from the last decoded frame's thumbnail."""
        import cv2
        import numpy as np

        ref = self._reference
        if ref is None or ref.shape != thumb.shape:
            return True
        moved = np.count_nonzero(cv2.absdiff(thumb, ref) > self.pixel_delta)
        return moved > self.changed_fraction * thumb.size

    def skip(self) -> bool:
        """Whether to pass over the next frame without looking at it (call once per frame, before `should_decode`,
        which is then not called for a skipped frame). Never a frame that is due for a recheck."""
        if (self._reference is None or self._settle > 0 or self._quiet < self.quiet_frames
                or self._skipped + 1 >= self.idle_stride or self._since_decode + 1 >= self.recheck_frames):
            self._skipped = 0
            return False
        self._skipped += 1
        self._since_decode += 1
        return True

    def should_decode(self, thumb: Any) -> bool:
        self._since_decode += 1
        if self._reference is None:  # the first frame: nothing moved yet, nothing to settle
            decide = True
        elif self.changed(thumb):
            self._settle = self.settle_frames
            self._quiet = 0
            decide = True
        elif self._settle > 0:
            self._settle -= 1
            decide = True
        else:
            self._quiet += 1
            decide = self._since_decode >= self.recheck_frames
        if decide:
            self._reference = thumb
            self._since_decode = 0
        return decide

    def reset(self) -> None:
        """Forget the reference (a new source or a reopened camera starts with a decode)."""
        self._reference, self._settle, self._since_decode, self._quiet, self._skipped = None, 0, 0, 0, 0
