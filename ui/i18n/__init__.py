"""Runtime language switch: English source strings in code (`tr`), Chinese from the committed `kiosk_zh_CN.ts`
compiled to `.qm` by the set-up (or on first run); `Languages.set()` installs the QTranslator.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TS_FILES = {"zh_CN": HERE / "kiosk_zh_CN.ts"}
LANGUAGES = ("zh_CN", "en")
CONTEXT = ""  # lupdate files bare tr("...") calls under the empty context


def tr(text: str) -> str:
    """Translate a fixed UI string into the current language (source strings are English)."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(CONTEXT, text)


def lrelease_path() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.exists():
        return str(beside)
    return shutil.which("pyside6-lrelease")


def qm_path(lang: str, out_dir: Path | None = None) -> Path:
    return (out_dir or HERE) / f"kiosk_{lang}.qm"


def compile_ts(lang: str, out_dir: Path | None = None) -> Path | None:
    """Build the .qm for `lang` unless it is newer than its .ts; None when it cannot be built."""
    ts = TS_FILES.get(lang)
    if ts is None:
        return None
    qm = qm_path(lang, out_dir)
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    tool = lrelease_path()
    if tool is None:
        log.warning("pyside6-lrelease not found; texts stay in English")
        return None
    qm.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not compile translations: %s", type(exc).__name__)
        return None
    return qm


class Languages:
    """The application's one QTranslator (`Languages.of(app)`): switching installs or removes it, which fires
    LanguageChange; the window then re-reads every text. One per application, so a closed window can never
    leave its translator behind for the next one."""

    _instances: ClassVar[dict[int, Languages]] = {}

    @classmethod
    def of(cls, app: object, qm_dir: Path | None = None) -> Languages:
        inst = cls._instances.get(id(app))
        if inst is None or inst._app is not app:
            inst = cls._instances[id(app)] = cls(app, qm_dir)
        return inst

    def __init__(self, app: object, qm_dir: Path | None = None) -> None:
        from PySide6.QtCore import QTranslator

        self._app = app
        self._qm_dir = qm_dir
        self._translator = QTranslator()
        self._installed = False
        self.current = "en"

    def set(self, lang: str) -> None:
        from PySide6.QtCore import QCoreApplication

        if lang not in LANGUAGES:
            raise ValueError(lang)
        if self._installed:
            QCoreApplication.removeTranslator(self._translator)
            self._installed = False
        if lang != "en":
            qm = qm_path(lang, self._qm_dir)
            if not (qm.exists() and qm.stat().st_mtime >= TS_FILES[lang].stat().st_mtime):
                qm = compile_ts(lang, self._qm_dir) or qm
            if qm.exists() and self._translator.load(str(qm)):
                QCoreApplication.installTranslator(self._translator)
                self._installed = True
            else:
                log.warning("translation for %s unavailable", lang)
        self.current = lang
