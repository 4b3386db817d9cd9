"""Keyboard-wedge burst detection: scanner-speed keystrokes ending in Enter vs a person typing."""

from __future__ import annotations

from drivers.events import ScanEvent
from drivers.scanner.wedge import WedgeBurstDetector


def type_text(det: WedgeBurstDetector, text: str, start: float, gap: float) -> float:
    t = start
    for ch in text:
        det.feed_text(ch, t)
        t += gap
    return t


def test_scanner_burst_is_a_scan() -> None:
    events: list[ScanEvent] = []
    det = WedgeBurstDetector(events.append)
    t = type_text(det, "HC1:NCFOXN%TS3DH3", 100.0, 0.004)
    assert det.in_burst(t - 0.002)
    assert det.feed_enter(t) is True
    assert [(e.payload, e.source) for e in events] == [("HC1:NCFOXN%TS3DH3", "wedge")]


def test_person_typing_is_not_a_scan() -> None:
    events: list[ScanEvent] = []
    det = WedgeBurstDetector(events.append)
    t = type_text(det, "13800138000", 5.0, 0.18)
    assert det.feed_enter(t) is False
    assert events == []


def test_a_fast_typist_rolling_two_keys_is_not_a_scan() -> None:
    events: list[ScanEvent] = []
    det = WedgeBurstDetector(events.append)
    t = type_text(det, "abc", 1.0, 0.09)
    t = type_text(det, "de", t, 0.02)  # a two-key rollover
    assert det.feed_enter(t + 0.01) is False
    assert events == []


def test_scan_right_after_typing_keeps_only_the_scan() -> None:
    events: list[ScanEvent] = []
    det = WedgeBurstDetector(events.append)
    t = type_text(det, "hello", 1.0, 0.15)
    t = type_text(det, "KC1:ABCDEFGH", t + 0.5, 0.003)
    assert det.feed_enter(t) is True
    assert [e.payload for e in events] == ["KC1:ABCDEFGH"]


def test_enter_long_after_a_burst_is_a_person() -> None:
    events: list[ScanEvent] = []
    det = WedgeBurstDetector(events.append)
    t = type_text(det, "ABCDEFGHIJ", 1.0, 0.003)
    assert det.feed_enter(t + 1.0) is False
    assert events == []


def test_same_code_scanned_twice_quickly_is_one_event_but_both_swallowed() -> None:
    events: list[ScanEvent] = []
    det = WedgeBurstDetector(events.append, repeat_seconds=2.0)
    t = type_text(det, "CODE-12345", 1.0, 0.003)
    assert det.feed_enter(t)
    t = type_text(det, "CODE-12345", t + 0.5, 0.003)
    assert det.feed_enter(t)
    t = type_text(det, "CODE-12345", t + 5.0, 0.003)
    assert det.feed_enter(t)
    assert len(events) == 2
