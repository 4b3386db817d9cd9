"""The screen tour: drives the real window offscreen through every screen and dialog state with the demo
cards and writes one PNG per state, named by screen (for the README, reviews and the no-clipping checks)."""

from __future__ import annotations

from ui.tour.driving import demo_records, insert, lift, settle, tap_choice, tour_window, type_keys, wait_for
from ui.tour.record import screen_data
from ui.tour.runner import SIZES, render_tour, tour_matrix

__all__ = ["SIZES", "demo_records", "insert", "lift", "render_tour", "screen_data", "settle", "tap_choice",
           "tour_matrix", "tour_window", "type_keys", "wait_for"]
