"""Benchmark: what an idle camera costs (share of one core while a static 1280×720 MJPG scene plays at 30 fps)
with the change gate, against the former decode-every-frame path run in the same process, and the first-code-frame
→ verdict latency with the gate.

Goals (issue 15), as medians of the same run: the gated camera's CPU per frame ≤ 1/10 of the every-frame path's
(per frame, not per second of wall time: on a busy machine the every-frame path falls behind the video and its
share of wall time is capped by what the scheduler gives it), and ≤ 10 % of a core; verdict median ≤ 33 ms (one
frame). After a quiet second the gate looks at every other frame only: the verdict of a code appearing out of
2 s of stillness is also measured (at most one frame later). As a plain test (one short run) only the direction
is checked."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import cv2

from drivers.scanner.frame_gate import FrameGate, jpeg_thumbnail
from kiosk.codes.imaging import decode_image
from tests.scanner.camera_load import (
    FRAME_MS,
    demo_dcc_and_trust,
    first_frame_verdict,
    idle_cpu_share,
    write_idle_video,
)
from tests.scanner.media import write_video

IDLE_TARGET = 0.10  # share of one core
RATIO_TARGET = 10.0  # every-frame CPU per frame / gated CPU per frame


def _packets(video: Path) -> list[Any]:
    cap = cv2.VideoCapture(str(video))
    assert cap.set(cv2.CAP_PROP_FORMAT, -1)
    out = []
    while True:
        ok, packet = cap.read()
        if not ok:
            break
        out.append(packet.copy())
    cap.release()
    return out


def test_idle_camera_cpu_and_first_frame_verdict(benchmark: Any, tmp_path: Path) -> None:
    runs = 1 if benchmark.disabled else 5
    video = tmp_path / "idle.avi"
    write_idle_video(video, seconds=2 if benchmark.disabled else 4)
    gated, every = [], []
    for _ in range(runs):  # interleaved, so both paths see the same machine load
        gated.append(idle_cpu_share(video))
        every.append(idle_cpu_share(video, decode_every_frame=True))
    g_proc = statistics.median(s.process for s in gated)
    e_proc = statistics.median(s.process for s in every)
    g_frame = statistics.median(s.process_ms_per_frame for s in gated)
    e_frame = statistics.median(s.process_ms_per_frame for s in every)

    payload, trust = demo_dcc_and_trust()
    held = tmp_path / "held.avi"
    first = write_video(held, payload, fps=30, seconds_before=0.5, seconds_with=0.5)
    first_frame_verdict(held, first, trust)  # warm-up
    lat_runs = 3 if benchmark.disabled else 15
    lat_gated = [first_frame_verdict(held, first, trust) for _ in range(lat_runs)]
    lat_every = [first_frame_verdict(held, first, trust, decode_every_frame=True) for _ in range(lat_runs)]
    lg = statistics.median(r.latency_ms for r in lat_gated)
    le = statistics.median(r.latency_ms for r in lat_every)
    # The same after 2 s of stillness, when the gate looks at every other frame only (the code may wait a frame).
    quiet = tmp_path / "quiet.avi"
    first_q = write_video(quiet, payload, fps=30, seconds_before=2.0, seconds_with=0.5)
    lat_quiet = [first_frame_verdict(quiet, first_q, trust) for _ in range(lat_runs)]
    lq = statistics.median(r.latency_ms for r in lat_quiet)

    print(f"\nIdle camera, 1280×720 MJPG at 30 fps, {runs} run(s) each, share of one core (median):")
    print(f"  change-gated   process {g_proc:6.1%}  camera thread {statistics.median(s.thread for s in gated):6.1%}"
          f"  decoded {gated[0].frames_decoded}/{gated[0].frames_read} frames")
    print(f"  every frame    process {e_proc:6.1%}  camera thread {statistics.median(s.thread for s in every):6.1%}"
          f"  decoded {every[0].frames_decoded}/{every[0].frames_read} frames")
    print(f"  CPU per frame: gated {g_frame:.2f} ms, every frame {e_frame:.2f} ms, ratio {e_frame / g_frame:.1f}× "
          f"(goal ≥ {RATIO_TARGET:.0f}×); share ratio {e_proc / g_proc:.1f}×; goal gated ≤ {IDLE_TARGET:.0%} of a core")
    print(f"First code frame → verdict at 30 fps, {lat_runs} runs: gated median {lg:.1f} ms "
          f"(max {max(r.latency_ms for r in lat_gated):.1f}), every-frame median {le:.1f} ms; target ≤ {FRAME_MS:.0f}")
    print(f"  after 2 s of stillness (every other frame looked at): gated median {lq:.1f} ms "
          f"(max {max(r.latency_ms for r in lat_quiet):.1f}), {lq - le:+.1f} ms against every frame")
    benchmark.extra_info.update({"idle_gated_process_share": round(g_proc, 4),
                                 "idle_every_frame_process_share": round(e_proc, 4),
                                 "idle_cpu_ms_per_frame_gated": round(g_frame, 3),
                                 "idle_cpu_ms_per_frame_every_frame": round(e_frame, 3),
                                 "first_frame_verdict_gated_median_ms": round(lg, 1),
                                 "first_frame_verdict_after_stillness_median_ms": round(lq, 1)})
    assert all(r.event_frame == first and r.verdict == "valid" for r in lat_gated + lat_every)
    assert all(first_q <= r.event_frame < first_q + FrameGate().idle_stride and r.verdict == "valid"
               for r in lat_quiet)

    # The per-frame work of an idle frame: 1/8-scale grayscale JPEG decode + the gate's difference.
    packets = _packets(video)
    gate = FrameGate(recheck_frames=10**9)  # the difference alone; rechecks are in the shares above
    gate.should_decode(jpeg_thumbnail(packets[0]))
    frames = iter(range(10**9))

    def idle_frame() -> bool:
        return gate.should_decode(jpeg_thumbnail(packets[1 + next(frames) % (len(packets) - 1)]))

    # Baseline in the same process: the former per-frame work (full colour decode + one decode attempt).
    n = 10 if benchmark.disabled else 60
    ours, old = [], []
    for packet in packets[1:n + 1]:
        t = time.perf_counter()
        assert not idle_frame()
        ours.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        assert not decode_image(cv2.imdecode(packet, cv2.IMREAD_COLOR), "zxing", max_retries=1).payloads
        old.append((time.perf_counter() - t) * 1000)
    print(f"Idle frame work: gated median {statistics.median(ours):.2f} ms, former decode-every-frame median "
          f"{statistics.median(old):.2f} ms ({statistics.median(old) / statistics.median(ours):.1f}×)")
    assert benchmark(idle_frame) is False
    if benchmark.enabled:
        assert e_frame / g_frame >= RATIO_TARGET and g_proc <= IDLE_TARGET and lg <= FRAME_MS
    else:  # one short run on a busy machine: only the direction
        assert g_frame < e_frame
