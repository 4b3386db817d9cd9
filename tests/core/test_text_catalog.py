"""The one text catalog (kiosk/locale): every key in both languages with the same placeholders, every key the
code names exists and every catalog key is used, and no words are written inline (an AST scan of the product
code: `Message(...)` with literal text, Qt `tr()`, a literal CJK string set on a ui widget)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest

from kiosk import locale
from kiosk.messages import Message

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("kiosk", "ui", "drivers", "sync")
CATALOG_DIR = ROOT / "kiosk" / "locale"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
WIDGET_TEXT_CALLS = {"setText", "set_text", "setPlaceholderText", "setToolTip", "setWindowTitle", "QLabel",
                     "QPushButton", "label"}


def _sources() -> list[Path]:
    return sorted(p for pkg in PRODUCT for p in (ROOT / pkg).rglob("*.py") if CATALOG_DIR not in p.parents)


def _called(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _literal_text(node: ast.expr) -> bool:
    """Text written in the code: a non-empty string literal, an f-string with literal words, or a sum of those."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and re.search(r"\w", str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_text(node.left) or _literal_text(node.right)
    return False


def _has_cjk(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and CJK.search(n.value)
               for n in ast.walk(node))


def inline_words(path: Path, source: str) -> list[str]:
    """Where `source` writes words a person sees instead of taking them from the catalog."""
    found = []
    in_ui = path.relative_to(ROOT).parts[0] == "ui"
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        args = [*node.args, *(k.value for k in node.keywords)]
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if name in ("Message", "M") and any(_literal_text(a) for a in args):
            found.append(f"{where}: Message with literal text")
        elif name in ("tr", "translate", "qsTr"):
            found.append(f"{where}: Qt translation call {name}()")
        elif in_ui and name in WIDGET_TEXT_CALLS and any(_has_cjk(a) for a in args):
            found.append(f"{where}: literal Chinese text on a widget ({name})")
    return found


def test_no_inline_words_in_the_product_code() -> None:
    found = [hit for p in _sources() for hit in inline_words(p, p.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("snippet, problem", [
    ('x = Message("您好", "Hello")', "Message with literal text"),
    ('x = M(f"第{n}步", f"Step {n}")', "Message with literal text"),
    ('x = Message("请" + where, "Please " + where)', "Message with literal text"),
    ('label.setText(tr("Back"))', "Qt translation call tr()"),
    ('self.title.setText("返回")', "literal Chinese text on a widget (setText)"),
])
def test_the_scan_finds_inline_words(snippet: str, problem: str) -> None:
    """The scan itself: each way of writing words inline is caught (and a catalog look-up is not)."""
    fake = ROOT / "ui" / "fake.py"
    assert [hit.split(": ", 1)[1] for hit in inline_words(fake, snippet)] == [problem]
    assert inline_words(fake, 'x = phrase("ui.window.back")\nlabel.setText(ui_text("ui.window.back"))') == []
    assert inline_words(fake, 'x = Message(zh, en)\ny = Message("", "")') == []


def _catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(locale.po_path(lang)))


def test_one_catalog_per_language_each_key_in_both_with_the_same_placeholders() -> None:
    files = sorted(p.relative_to(CATALOG_DIR).as_posix() for p in CATALOG_DIR.rglob("*.po"))
    assert files == ["en/LC_MESSAGES/kiosk.po", "zh_CN/LC_MESSAGES/kiosk.po"]
    zh, en = _catalog("zh_CN"), _catalog("en")
    assert zh.metadata["Language"] == "zh_CN" and en.metadata["Language"] == "en"
    zh_texts = {e.msgid: e.msgstr for e in zh}
    en_texts = {e.msgid: e.msgstr for e in en}
    assert set(zh_texts) == set(en_texts), {"only zh_CN": set(zh_texts) - set(en_texts),
                                            "only en": set(en_texts) - set(zh_texts)}
    assert len(zh) == len(zh_texts) and len(en) == len(en_texts), "a key twice in one file"
    for po in (zh, en):
        assert not [e.msgid for e in po if e.fuzzy or e.obsolete or not e.msgstr.strip()]
    for key in zh_texts:
        assert locale.placeholders(zh_texts[key]) == locale.placeholders(en_texts[key]), key
        assert not CJK.search(en_texts[key]) or key == "ui.window.other_language", key  # it names 中文 in Chinese
        assert re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", key), key


def _keys_named_in_code() -> tuple[set[str], set[str]]:
    """Catalog keys written in the code, and key prefixes the code completes at run time (`"drivers.scanner." +
    kind`)."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    for p in _sources():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called(node) in ("phrase", "ui_text") and node.args:
                for arg in ast.walk(node.args[0]):
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        (prefixes if arg.value.endswith(".") else exact).add(arg.value)
    return exact, prefixes


def test_every_key_named_in_the_code_is_in_the_catalog_and_every_key_is_used() -> None:
    exact, prefixes = _keys_named_in_code()
    keys = set(locale.keys())
    assert exact - keys == set(), "named in the code, missing from the catalog"
    unused = {k for k in keys - exact if not any(k.startswith(p) for p in prefixes)}
    assert unused == set(), "in the catalog, used nowhere"


def test_phrase_fills_each_language_with_its_own_words() -> None:
    m = locale.phrase("journey.assisted", role=locale.phrase("journey.role.staff"), name=Message("王芳", "Wang Fang"))
    assert m == Message("工作人员 王芳 协助中", "Helped by staff member Wang Fang")
    assert locale.phrase("journey.help_claimed") == Message("志愿者 {name} 正在过来", "Volunteer {name} is on the way")
    with pytest.raises(KeyError):
        locale.phrase("journey.no_such_words")
