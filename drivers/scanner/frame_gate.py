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
    """

    def __init__(self, *, pixel_delta: int = 12, changed_fraction: float = 0.005, settle_frames: int = 4,
                 recheck_frames: int = 30) -> None:
        self.pixel_delta = pixel_delta
        self.changed_fraction = changed_fraction
        self.settle_frames = settle_frames
        self.recheck_frames = recheck_frames
        self._reference: Any = None  # thumbnail of the last decoded frame
        self._settle = 0
        self._since_decode = 0

    def changed(self, thumb: Any) -> bool:
        """Whether `thumb` differs from the last decoded frame's thumbnail."""
        import cv2
        import numpy as np

        ref = self._reference
        if ref is None or ref.shape != thumb.shape:
            return True
        moved = np.count_nonzero(cv2.absdiff(thumb, ref) > self.pixel_delta)
        return moved > self.changed_fraction * thumb.size

    def should_decode(self, thumb: Any) -> bool:
        self._since_decode += 1
        if self._reference is None:  # the first frame: nothing moved yet, nothing to settle
            decide = True
        elif self.changed(thumb):
            self._settle = self.settle_frames
            decide = True
        elif self._settle > 0:
            self._settle -= 1
            decide = True
        else:
            decide = self._since_decode >= self.recheck_frames
        if decide:
            self._reference = thumb
            self._since_decode = 0
        return decide

    def reset(self) -> None:
        """Forget the reference (a new source or a reopened camera starts with a decode)."""
        self._reference, self._settle, self._since_decode = None, 0, 0
