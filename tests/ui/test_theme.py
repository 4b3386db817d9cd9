"""The theme's numbers against the accessibility rules: contrast ≥ 7:1 for every text/background pair,
body ≥ 32 px, headings ≥ 48 px, buttons ≥ 120 px, gaps ≥ 16 px on every panel and text scale."""

from __future__ import annotations

import pytest

from ui.theme import (
    MIN_BODY_PX,
    MIN_BUTTON_PX,
    MIN_CONTRAST,
    MIN_GAP_PX,
    MIN_HEADING_PX,
    SCALES,
    Palette,
    contrast_ratio,
    panel_dpi,
    theme_for,
)


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", sorted(Palette().pairs()))
def test_every_text_colour_pair_has_at_least_7_to_1(name: str) -> None:
    fg, bg = Palette().pairs()[name]
    assert contrast_ratio(fg, bg) >= MIN_CONTRAST, (name, fg, bg, contrast_ratio(fg, bg))


def test_style_sheet_uses_only_checked_colours() -> None:
    import re

    palette = Palette()
    sheet = theme_for(1920, 1080, 21.5, None).style_sheet()
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", sheet)}
    checked = {c.upper() for pair in palette.pairs().values() for c in pair} | {palette.border.upper()}
    assert used <= checked, used - checked


@pytest.mark.parametrize("panel", [(1920, 1080, 21.5, None), (1080, 1920, 32.0, None), (1920, 1080, 15.6, None),
                                   (3840, 2160, 43.0, None), (1920, 1080, None, 96.0)])
@pytest.mark.parametrize("scale", SCALES)
def test_sizes_never_below_the_minimums(panel: tuple, scale: float) -> None:
    t = theme_for(*panel, scale=scale)
    assert t.body_px >= MIN_BODY_PX * scale - 0.5
    assert t.heading_px >= MIN_HEADING_PX * scale - 0.5
    assert t.button_px >= MIN_BUTTON_PX
    assert t.gap_px >= MIN_GAP_PX
    assert t.button_px > t.body_px * 2  # room for the words inside a button


def test_sizes_follow_the_panel_not_qts_96_dpi() -> None:
    small = theme_for(1920, 1080, 15.6, None)  # dense panel: same mm need more pixels
    large = theme_for(1920, 1080, 43.0, None)
    assert panel_dpi(1920, 1080, 15.6, None) > 140
    assert small.body_px > large.body_px
    assert theme_for(1920, 1080, None, 200.0).body_px > theme_for(1920, 1080, None, 96.0).body_px


def test_larger_text_scales_fonts() -> None:
    base = theme_for(1920, 1080, 21.5, None)
    assert base.with_scale(1.5).body_px == round(base.body_px / base.scale * 1.5) or \
        base.with_scale(1.5).body_px >= round(base.body_px * 1.5) - 1
    assert base.with_scale(1.25).heading_px > base.heading_px
