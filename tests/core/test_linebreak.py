"""Where a Chinese line may not break (Qt-free): the joiner marks words, punctuation and a sentence's last
character, gives the text back unchanged, and leaves other text alone."""

from __future__ import annotations

from kiosk.catalog import load_bundled_catalog
from kiosk.linebreak import WJ, Joiner, catalog_words, unjoin

J = Joiner(catalog_words(load_bundled_catalog()))


def _marked(text: str) -> str:
    return J.join(text).replace(WJ, "|")


def test_words_stay_whole() -> None:
    assert _marked("请点下一步") == "请点下|一|步"
    assert "电|子|身|份|证" in _marked("可以用电子身份证办")
    assert "受|理|号" in _marked("受理号 0427-0001")


def test_punctuation_stays_with_its_words() -> None:
    assert _marked("点“好”吧") == "点“|好|”吧"  # no break after “ nor before ”
    assert _marked("窗口（1楼A区）") == "窗|口（|1|楼|A|区|）"  # a break before （ is allowed


def test_a_sentences_last_character_is_not_left_alone() -> None:
    assert _marked("还需要更多时间吗？").endswith("时|间|吗|？")
    assert _marked("到疑难事项窗口的号。").endswith("的|号|。")


def test_breaks_stay_possible_between_words() -> None:
    marked = _marked("请选择您要办理的业务类别。")
    assert marked.count("|") < len("请选择您要办理的业务类别。") - 3  # still breakable in many places
    assert "择您" in marked or "您要" in marked


def test_round_trip_idempotent_and_latin_untouched() -> None:
    for text in ("请点“下一步”继续（电子身份证）", "Please touch Next.", "", "第1步/共5步"):
        once = J.join(text)
        assert unjoin(once) == text
        assert J.join(once) == once
    assert J.join("Please touch Next.") == "Please touch Next."


def test_forbidden_offsets_are_in_the_plain_text() -> None:
    assert J.forbidden("下一步") == {1, 2}
    assert J.forbidden("（好）") == {1, 2}


def test_catalog_words_are_short_names_kept_whole() -> None:
    words = catalog_words(load_bundled_catalog())
    assert "户口簿" in words and "1楼A区" in words and "民政窗口" in words
    assert all(2 <= len(w) <= 6 for w in words)
