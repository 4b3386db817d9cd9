"""Measure what the camera costs: CPU share of one core while a paced video plays, and first-code-frame →
verdict latency. Shared by the camera tests and the idle-camera benchmark."""

from __future__ import annotations

import datetime as dt
import resource
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import cv2

from drivers.events import ScanEvent
from drivers.scanner.camera import CameraScanner
from kiosk.codes.trust import TrustMaterial, TrustSet, parse_hub_keys, parse_trust_list
from kiosk.codes.trust_store import bundled
from kiosk.codes.verify import verify_payload
from tests.scanner.media import FRAME_H, FRAME_W, background

FPS = 30
FRAME_MS = 1000 / FPS


def write_idle_video(path: Path, seconds: float, size: tuple[int, int] = (FRAME_W, FRAME_H)) -> int:
    """A static hall scene (no code) with changing sensor noise, MJPG at 30 fps, as USB cameras deliver it."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, size)
    assert writer.isOpened()
    frames = round(seconds * FPS)
    try:
        for i in range(frames):
            writer.write(background(i, size))
    finally:
        writer.release()
    return frames


@dataclass
class CpuShare:
    thread: float  # camera thread's own CPU (RUSAGE_THREAD) / wall time, share of one core
    process: float  # whole process CPU (includes any OpenCV/FFmpeg helper threads) / wall time
    frames_read: int
    frames_decoded: int
    process_ms_per_frame: float = 0.0  # whole-process CPU per frame played: holds when a busy machine starves it



def _thread_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    return usage.ru_utime + usage.ru_stime


def idle_cpu_share(video: Path, *, decode_every_frame: bool = False) -> CpuShare:
    """Play `video` at its frame rate through the camera scanner and measure CPU from its second frame to its
    last (taken on the camera thread, so the thread figure is that thread's own). The first frame's decode
    (imports, first allocations: a one-time start cost, not idle cost) falls before the first mark."""
    marks: dict[str, tuple[float, float, float]] = {}

    def on_frame(index: int, _read_at: float) -> None:
        if index < 1:
            return
        mark = (_thread_cpu(), time.process_time(), time.perf_counter())
        marks.setdefault("first", mark)
        marks["last"] = mark

    scanner = CameraScanner(lambda _e: None, str(video), realtime=True, frame_hook=on_frame,
                            decode_every_frame=decode_every_frame)
    scanner.start()
    assert scanner.finished.wait(120), "the camera did not reach the end of the video"
    scanner.stop()
    (t0, p0, w0), (t1, p1, w1) = marks["first"], marks["last"]
    wall = w1 - w0
    return CpuShare((t1 - t0) / wall, (p1 - p0) / wall, scanner.frames_read, scanner.frames_decoded,
                    (p1 - p0) * 1000 / max(1, scanner.frames_read - 2))  # the marks span frames 1 … last


def demo_dcc_and_trust() -> tuple[str, TrustMaterial]:
    from drivers.scanner.simulated import load_payloads

    trust = TrustMaterial(TrustSet(parse_trust_list(bundled("trust_list"))),
                          TrustSet(parse_hub_keys(bundled("hub_keys"))))
    return load_payloads()[0], trust


@dataclass
class Verdict:
    latency_ms: float  # from reading the first frame with the code to having the verdict
    event_frame: int  # index of the frame whose decode gave the event
    verdict: str


def first_frame_verdict(video: Path, first_code_frame: int, trust: TrustMaterial, *, realtime: bool = True,
                        decode_every_frame: bool = False) -> Verdict:
    read_at: dict[int, float] = {}
    out: list[Verdict] = []
    done = threading.Event()
    holder: list[CameraScanner] = []

    def on_scan(event: ScanEvent) -> None:
        verdict = verify_payload(event.payload, trust=trust, now=dt.datetime.now(dt.UTC))
        at = time.perf_counter()
        out.append(Verdict((at - read_at[first_code_frame]) * 1000, holder[0].frames_read - 1,
                           verdict.verdict.value))
        done.set()

    scanner = CameraScanner(on_scan, str(video), realtime=realtime, decode_every_frame=decode_every_frame,
                            frame_hook=lambda i, t: read_at.__setitem__(i, t))
    holder.append(scanner)
    scanner.start()
    try:
        assert done.wait(60), "no scan event"
    finally:
        scanner.stop()
    return out[0]
