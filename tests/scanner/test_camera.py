"""Camera scanner on a real video file through OpenCV VideoCapture: one event per presented code."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from drivers.events import ScanEvent
from drivers.scanner.camera import CameraScanner
from kiosk.messages import KioskError
from tests.scanner.media import write_video

PAYLOAD = "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IDOEZ/IVS8+J19M1GH0:5T4"


class Collector:
    def __init__(self, frames: list[int] | None = None, scanner: list[CameraScanner] | None = None) -> None:
        self.events: list[ScanEvent] = []
        self.frame_at_event: list[int] = []
        self._scanner = scanner
        self.got = threading.Event()

    def __call__(self, event: ScanEvent) -> None:
        self.events.append(event)
        if self._scanner:
            self.frame_at_event.append(self._scanner[0].frames_read - 1)
        self.got.set()


@pytest.mark.parametrize("decoder", ["pyzbar", "zxing"])
def test_video_with_a_code_from_second_one_gives_exactly_one_event(tmp_path: Path, decoder: str) -> None:
    video = tmp_path / "hall.avi"
    first = write_video(video, PAYLOAD, fps=30, seconds_before=1.0, seconds_with=1.5)
    holder: list[CameraScanner] = []
    collect = Collector(scanner=holder)
    scanner = CameraScanner(collect, str(video), decoder=decoder)
    holder.append(scanner)
    scanner.start()
    assert scanner.finished.wait(60), "camera worker did not reach the end of the video"
    scanner.stop()
    assert [e.payload for e in collect.events] == [PAYLOAD]
    assert collect.events[0].source == "camera"
    assert scanner.frames_read == 75
    # The event came from the first frame that shows the code (none before second 1).
    assert collect.frame_at_event == [first]


def test_code_shown_twice_with_a_pause_is_two_events(tmp_path: Path) -> None:
    # Two presentations 2 s apart in video time; the repeat window counts in wall time on the camera thread,
    # so a 0-second window makes every separate sighting run count: continuous frames still dedupe by payload.
    import cv2

    from tests.scanner.media import background, frame_with, qr_image

    video = tmp_path / "twice.avi"
    size = (640, 480)
    w = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, size)
    code = qr_image(PAYLOAD)
    for i in range(40):
        w.write(frame_with(code, seed=i, height=300, size=size) if 5 <= i < 15 or 25 <= i < 35
                else background(i, size))
    w.release()
    collect = Collector()
    scanner = CameraScanner(collect, str(video), repeat_seconds=3600)
    scanner.start()
    assert scanner.finished.wait(60)
    assert len(collect.events) == 1  # same payload within the window: one presentation

    collect2 = Collector()
    scanner2 = CameraScanner(collect2, str(video), repeat_seconds=0.0)
    scanner2.start()
    assert scanner2.finished.wait(60)
    # With no window every sighting counts: at least the two presentations, never more than frames with the code.
    assert 2 <= len(collect2.events) <= 20
    assert {e.payload for e in collect2.events} == {PAYLOAD}


def test_missing_camera_reports_an_error_and_ends(tmp_path: Path) -> None:
    errors: list[KioskError] = []
    scanner = CameraScanner(lambda e: None, str(tmp_path / "nothing.avi"), on_error=errors.append)
    scanner.start()
    assert scanner.finished.wait(10)
    assert [e.kind for e in errors] == ["camera_unavailable"] and errors[0].message.zh


def test_unknown_decoder_is_refused_up_front() -> None:
    with pytest.raises(ValueError):
        CameraScanner(lambda e: None, 0, decoder="magic")


def test_stop_ends_a_realtime_video_promptly(tmp_path: Path) -> None:
    video = tmp_path / "long.avi"
    write_video(video, PAYLOAD, fps=30, seconds_before=1.0, seconds_with=9.0, size=(640, 480))
    collect = Collector()
    scanner = CameraScanner(collect, str(video), realtime=True)
    scanner.start()
    assert collect.got.wait(30)  # paced at 30 fps, the code appears after ~1 s
    scanner.stop(timeout=5)
    assert scanner.finished.wait(5) and not scanner.running
    assert scanner.frames_read < 300  # stopped before the end of the 10 s video
