"""Benchmark: camera pipeline latency from the first frame that shows a code to the verdict (target: median
≤ 33 ms, one frame at 30 fps, for the kiosk's default decoder; the other decoder is shown for comparison), per
decoder, on 1280×720 video files read through OpenCV VideoCapture."""

from __future__ import annotations

import datetime as dt
import statistics
import threading
from pathlib import Path
from typing import Any

from drivers.events import ScanEvent
from drivers.scanner.camera import CameraScanner
from kiosk.codes.imaging import DEFAULT_DECODER
from kiosk.codes.trust import TrustMaterial, TrustSet, parse_hub_keys, parse_trust_list
from kiosk.codes.trust_store import bundled
from kiosk.codes.verify import verify_payload
from tests.scanner.media import write_video

TARGET_MS = 1000 / 30
SANITY_MS = 1000.0  # with benchmarks disabled (2 runs on a busy CI machine) only a gross regression fails


def _demo_dcc() -> str:
    from drivers.scanner.simulated import load_payloads

    return load_payloads()[0]


def one_run(video: Path, first_code_frame: int, decoder: str, trust: TrustMaterial) -> float:
    """Milliseconds from reading the first code frame to having the verdict."""
    read_at: dict[int, float] = {}
    verdict_at: list[float] = []
    done = threading.Event()

    def on_frame(index: int, t: float) -> None:
        read_at[index] = t

    def on_scan(event: ScanEvent) -> None:
        import time

        verdict = verify_payload(event.payload, trust=trust, now=dt.datetime.now(dt.UTC))
        verdict_at.append(time.perf_counter())
        assert verdict.verdict == "valid"
        scanner.stop()
        done.set()

    scanner = CameraScanner(on_scan, str(video), decoder=decoder, frame_hook=on_frame)
    scanner.start()
    assert done.wait(60), "no scan event"
    scanner.stop()
    return (verdict_at[0] - read_at[first_code_frame]) * 1000


def test_first_frame_to_verdict_latency(benchmark: Any, tmp_path: Path) -> None:
    runs = 2 if benchmark.disabled else 15
    payload = _demo_dcc()
    trust = TrustMaterial(TrustSet(parse_trust_list(bundled("trust_list"))),
                          TrustSet(parse_hub_keys(bundled("hub_keys"))))
    video = tmp_path / "cam.avi"
    first = write_video(video, payload, fps=30, seconds_before=0.2, seconds_with=0.5)
    results: dict[str, list[float]] = {}
    for decoder in ("pyzbar", "zxing"):
        one_run(video, first, decoder, trust)  # warm-up
        results[decoder] = [one_run(video, first, decoder, trust) for _ in range(runs)]
    print(f"\nCamera first-code-frame → verdict latency, ms (1280×720, {runs} runs; target ≤ {TARGET_MS:.0f})")
    for decoder, xs in results.items():
        print(f"  {decoder:7} median {statistics.median(xs):6.1f}  max {max(xs):6.1f}")
    ratio = statistics.median(results["pyzbar"]) / statistics.median(results["zxing"])
    print(f"  pyzbar / zxing median ratio: {ratio:.1f}×")
    default = statistics.median(results[DEFAULT_DECODER])
    assert 0 < default <= (TARGET_MS if benchmark.enabled else SANITY_MS), f"{DEFAULT_DECODER} median {default:.1f} ms"
    # The benchmark fixture times the work done for the first code frame: decode (camera settings) + verify.
    import cv2

    from kiosk.codes.imaging import decode_image

    cap = cv2.VideoCapture(str(video))
    cap.set(cv2.CAP_PROP_POS_FRAMES, first)
    ok, frame = cap.read()
    cap.release()
    assert ok

    def frame_to_verdict() -> str:
        found = decode_image(frame, "zxing", max_retries=1).payloads
        return verify_payload(found[0], trust=trust, now=dt.datetime.now(dt.UTC)).verdict.value

    assert benchmark(frame_to_verdict) == "valid"
    if benchmark.enabled:  # the frame's own work (decode + verify) fits in one frame period too
        assert benchmark.stats.stats.median * 1000 <= TARGET_MS
