"""The strip at the top: kiosk name, clock, online/offline (said calmly) and uploads still waiting."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.clock import CHINA_TZ
from sync.status import SyncStatus
from ui.i18n import ui_text
from ui.script import name_in
from ui.widgets import current_theme, label


class StatusStrip(QWidget):
    def __init__(self, display_name: str) -> None:
        super().__init__()
        self.setObjectName("StatusStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.display_name = display_name
        self.lang = "zh_CN"
        self.status: SyncStatus | None = None
        self.name_label = label(wrap=False)
        self.clock_label = label(wrap=False)
        # The step of the visit (第2步/共5步) lives here, so the heading row keeps its width for the heading.
        self.step_label = label(wrap=False)
        self.step_label.setObjectName("StepIndicator")
        self.state_label = label(wrap=False)  # online / uploads waiting: short, one line
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.net_label = label(wrap=True)  # offline: the calm sentence, on its own row
        self.net_label.setObjectName("OfflineNote")
        box = self._box = QVBoxLayout(self)
        row = self._row = QHBoxLayout()
        row.addWidget(self.name_label)
        row.addWidget(self.clock_label)
        row.addStretch(1)
        row.addWidget(self.step_label)
        row.addStretch(1)
        row.addWidget(self.state_label)
        box.addLayout(row)
        box.addWidget(self.net_label)
        self.net_label.hide()
        self.apply_theme()

    def apply_theme(self) -> None:
        t = current_theme()
        self._box.setContentsMargins(t.margin_px, t.gap_px // 2, t.margin_px, t.gap_px // 2)
        self._box.setSpacing(t.gap_px // 2)
        self._row.setSpacing(t.gap_px * 2)

    def set_status(self, status: SyncStatus | None) -> None:
        self.status = status
        self.refresh()

    def refresh(self, now: dt.datetime | None = None) -> None:
        now = (now or dt.datetime.now(dt.UTC)).astimezone(CHINA_TZ)
        self.name_label.setText(name_in(self.display_name, self.lang))
        self.clock_label.setText(now.strftime("%H:%M"))
        st = self.status
        offline = st is None or not st.online
        self.state_label.setText(ui_text("ui.status.offline" if offline else "ui.status.online"))
        # Second row (wraps): the calm sentence when offline, and uploads still waiting.
        parts = []
        if offline:
            parts.append(ui_text("ui.status.paused"))
        if st is not None and st.pending:
            parts.append(ui_text("ui.status.waiting", count=st.pending))
        self.net_label.setText("  ".join(parts))
        if self.property("offline") != offline:
            self.setProperty("offline", offline)
            # Re-polished only once polished: before it is first shown, its first polish reads the property (and
            # the start skips making Qt's style enums in Python before the first paint).
            for w in (self, self.name_label, self.clock_label, self.step_label, self.state_label, self.net_label):
                if w.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                    w.style().unpolish(w)
                    w.style().polish(w)
        self.net_label.setVisible(bool(parts))  # after the property: showing polishes it
