"""Benchmarks of the SAM card path: decode + validate one record, and an end-to-end read over the pty emulator
paced at 115200 baud, as a ratio to the pure wire time of the 1295-byte answer (target ≤ 1.2×)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from drivers import sam_frame as sf
from drivers.sam import SamLink, parse_read_answer
from drivers.textblock import encode_text_block
from tests.drivers.card_samples import RESIDENT
from tests.drivers.sam_emulator import Card, SamEmulator

BAUD = 115200
ANSWER_BYTES = 1295
WIRE_SECONDS = ANSWER_BYTES * 10 / BAUD  # start + 8 data + stop bits per byte: 112.4 ms
TARGET_RATIO = 1.2


def _read_answer_data() -> bytes:
    text = encode_text_block(RESIDENT)
    photo = bytes(range(256)) * 4
    return (256).to_bytes(2, "big") + (1024).to_bytes(2, "big") + text + photo


def _decode_and_validate(data: bytes) -> bool:
    record = parse_read_answer(data)
    ok = bool(record.id_number_valid)
    record.wipe()
    return ok


def test_bench_decode_and_validate_one_record(benchmark: Any) -> None:
    data = _read_answer_data()
    frame = sf.encode_frame(bytes([0, 0, 0x90]) + data)
    assert len(frame) == ANSWER_BYTES

    # Baseline in the same process: the bare minimum, UTF-16 decoding of the 256-byte text block.
    n = 200 if benchmark.disabled else 5000
    base = []
    for _ in range(n):
        t = time.perf_counter()
        data[4:260].decode("utf-16-le")
        base.append(time.perf_counter() - t)
    ours = []
    for _ in range(n):
        t = time.perf_counter()
        _decode_and_validate(sf.decode_answer(frame).data)
        ours.append(time.perf_counter() - t)

    assert benchmark(lambda: _decode_and_validate(sf.decode_answer(frame).data))
    median_us = statistics.median(ours) * 1e6
    benchmark.extra_info.update({
        "frame_check_decode_validate_median_us": round(median_us, 1),
        "baseline_utf16_decode_median_us": round(statistics.median(base) * 1e6, 2),
        "ratio_vs_baseline": round(statistics.median(ours) / statistics.median(base), 1),
    })
    print(f"\ndecode+validate median {median_us:.1f} µs "
          f"(baseline UTF-16 decode {statistics.median(base) * 1e6:.2f} µs)")
    if not benchmark.disabled:
        assert median_us < 1000  # a record must cost far less than one poll interval (300 ms)


def test_bench_end_to_end_read_over_paced_pty(benchmark: Any) -> None:
    emu = SamEmulator(baud=BAUD).start()
    emu.place(Card(encode_text_block(RESIDENT)))
    link = SamLink(emu.path, BAUD, timeout=2.0, retries=0)
    link.open()
    try:
        def read_once() -> float:
            t = time.perf_counter()
            answer = link.transact(sf.READ_TEXT_PHOTO)
            assert answer.ok and _decode_and_validate(answer.data)
            return time.perf_counter() - t

        rounds = 3 if benchmark.disabled else 30
        read_once()  # warm-up (imports, first tcsetattr)
        times = [read_once() for _ in range(rounds)]
        benchmark.pedantic(read_once, rounds=1 if benchmark.disabled else 10, iterations=1)
    finally:
        link.close()
        emu.close()
    median = statistics.median(times)
    ratio = median / WIRE_SECONDS
    benchmark.extra_info.update({"wire_ms": round(WIRE_SECONDS * 1000, 2),
                                 "end_to_end_median_ms": round(median * 1000, 2), "ratio_vs_wire": round(ratio, 3)})
    print(f"\nend-to-end read median {median * 1000:.1f} ms vs wire {WIRE_SECONDS * 1000:.1f} ms: {ratio:.3f}x")
    assert median >= WIRE_SECONDS * 0.98  # the pacing is real: nothing arrives faster than the wire allows
    if not benchmark.disabled:
        assert ratio <= TARGET_RATIO
