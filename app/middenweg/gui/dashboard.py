"""The weekly dashboard: week navigation, the per-day chart, the honest age-group comparison, a 12-week trend,
the top apps and sites, and exports.

Charts are matplotlib Figures from ``reports.charts`` rendered to images at the screen's pixel ratio, so the GUI
needs no matplotlib Qt backend and matplotlib loads only when the dashboard first draws.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from middenweg.cli_text import CATEGORY_NAMES, short_date
from middenweg.domain.categories import CATEGORY_ORDER, Category
from middenweg.domain.weeks import IsoWeek
from middenweg.i18n import _
from middenweg.reference.compare import comparison_sentence, format_duration
from middenweg.reports.weekly import WeeklyReport

TREND_WEEKS = 12


@dataclass(frozen=True, slots=True)
class WeekData:
    report: WeeklyReport
    trend: Sequence[tuple[IsoWeek, Mapping[str, int]]]


class ChartView(QLabel):
    """A chart as a crisp image with a text summary for screen readers."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable by keyboard so its summary can be read out
        self.figure: Any = None

    def show_figure(self, figure: Any, summary: str) -> None:
        self.figure = figure
        ratio = self.devicePixelRatioF()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=figure.dpi * ratio, facecolor=figure.get_facecolor())
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)
        self.setMinimumHeight(int(pixmap.height() / ratio))
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class Dashboard(QWidget):
    """One window, reused: closing it only hides it (Middenweg stays in the tray)."""

    def __init__(
        self,
        load: Callable[[IsoWeek], WeekData],
        this_week: Callable[[], IsoWeek],
        export_csv: Callable[[IsoWeek, Path], int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load, self._this_week, self._export_csv = load, this_week, export_csv
        self.week = this_week()
        self.data: WeekData | None = None
        self.setObjectName("dashboard")
        self.resize(760, 860)

        self.previous_button = QPushButton()
        self.this_week_button = QPushButton()
        self.next_button = QPushButton()
        self.title = QLabel()
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addWidget(self.this_week_button)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        self.previous_button.clicked.connect(lambda: self.show_week(self.week.previous()))
        self.next_button.clicked.connect(lambda: self.show_week(self.week.shifted(1)))
        self.this_week_button.clicked.connect(lambda: self.show_week(self._this_week()))
        QShortcut(QKeySequence("Alt+Left"), self, self.previous_button.click)
        QShortcut(QKeySequence("Alt+Right"), self, self.next_button.click)
        QShortcut(QKeySequence("Alt+Home"), self, self.this_week_button.click)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence("Esc"), self, self.close)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.week_chart = ChartView("")
        self.reference_text = QLabel()
        self.reference_text.setWordWrap(True)
        self.reference_chart = ChartView("")
        self.caveat = QLabel()
        self.caveat.setWordWrap(True)
        self.trend_chart = ChartView("")
        self.top_apps = QTreeWidget()
        self.top_apps.setRootIsDecorated(False)
        self.top_apps.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.top_apps.setMinimumHeight(160)
        self.save_chart_button = QPushButton()
        self.export_button = QPushButton()
        self.save_chart_button.clicked.connect(self.save_chart)
        self.export_button.clicked.connect(self.export_week)
        exports = QHBoxLayout()
        exports.addStretch(1)
        exports.addWidget(self.save_chart_button)
        exports.addWidget(self.export_button)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel { padding: 6px; border: 1px solid palette(mid); border-radius: 4px; }")
        self.notice.hide()

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.notice)
        column.addWidget(self.title)
        column.addWidget(self.summary)
        column.addWidget(self.week_chart)
        self.compare_heading, self.trend_heading, self.top_heading = _heading(""), _heading(""), _heading("")
        column.addWidget(self.compare_heading)
        column.addWidget(self.reference_text)
        column.addWidget(self.reference_chart)
        column.addWidget(self.caveat)
        column.addWidget(self.trend_heading)
        column.addWidget(self.trend_chart)
        column.addWidget(self.top_heading)
        column.addWidget(self.top_apps)
        column.addLayout(exports)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.addLayout(nav)
        outer.addWidget(scroll)
        self.retranslate()

    def retranslate(self) -> None:
        """Every fixed text in the active language (called again when the language setting changes)."""
        self.setWindowTitle(_("Your week"))  # Qt adds " — Middenweg"
        self.previous_button.setText(_("◀ &Previous week"))
        self.this_week_button.setText(_("T&his week"))
        self.next_button.setText(_("&Next week ▶"))
        self.title.setAccessibleName(_("Week shown"))
        self.summary.setAccessibleName(_("Totals this week"))
        self.notice.setAccessibleName(_("Notice"))
        self.week_chart.setAccessibleName(_("Social and messaging time per day"))
        self.reference_chart.setAccessibleName(_("Your week beside your age group"))
        self.caveat.setAccessibleName(_("What the comparison means"))
        self.trend_chart.setAccessibleName(_("The last 12 weeks"))
        self.top_apps.setAccessibleName(_("Top apps and sites"))
        self.top_apps.setHeaderLabels([_("App or site"), _("Category"), _("Time")])
        for heading, text in (
            (self.compare_heading, _("Compared with your age group")),
            (self.trend_heading, _("The last 12 weeks")),
            (self.top_heading, _("Top apps and sites")),
        ):
            heading.setText(text)
            heading.setAccessibleName(text)
        self.save_chart_button.setText(_("&Save chart…"))
        self.export_button.setText(_("&Export week as CSV…"))
        if self.data is not None:
            self._draw(self.data)

    def set_notice(self, text: str) -> None:
        """A sentence above the week (e.g. why there is no tray icon, or why the window cannot be seen)."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        event.ignore()
        self.hide()

    def dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5

    def show_week(self, week: IsoWeek) -> None:
        """Load and draw ``week``; never a week after the current one."""
        current = self._this_week()
        self.week = min(week, current)
        self.data = self._load(self.week)
        self.next_button.setEnabled(self.week < current)
        self._draw(self.data)

    def refresh(self) -> None:
        self.show_week(self.week)

    def _draw(self, data: WeekData) -> None:
        from middenweg.reports import charts  # matplotlib loads here, the first time a chart is drawn

        report = data.report
        days = report.days
        self.title.setText(
            _("Week {number} · {first} – {last} {year}").format(
                number=report.week.week,
                first=short_date(days[0].date),
                last=short_date(days[-1].date),
                year=days[-1].date.year,
            )
        )
        change = report.change_percent
        parts = []
        for category in CATEGORY_ORDER:
            text = _("{category}: {time}").format(
                category=_(CATEGORY_NAMES[category]), time=format_duration(report.totals.get(category))
            )
            if change[category.value] is not None:
                text += _(" ({change:+.0f} % against the week before)").format(change=change[category.value])
            parts.append(text)
        self.summary.setText(" · ".join(parts))
        palette = charts.DARK if self.dark() else charts.LIGHT
        self.week_chart.show_figure(charts.week_chart(report, palette), charts.week_summary(report))
        current = report.week == self._this_week()
        self.reference_text.setText(
            comparison_sentence(report.reference, report.totals.online, None if current else report.week.week)
        )
        self.reference_chart.show_figure(charts.reference_chart(report, palette), charts.reference_summary(report))
        self.caveat.setText(report.reference.caveat)
        self.trend_chart.show_figure(charts.trend_chart(data.trend, palette), charts.trend_summary(data.trend))
        self.top_apps.clear()
        for app in report.top_apps:
            if app.category is Category.OTHER:
                continue
            QTreeWidgetItem(self.top_apps, [app.label, _(CATEGORY_NAMES[app.category]), format_duration(app.seconds)])
        if self.top_apps.topLevelItemCount() == 0:
            QTreeWidgetItem(self.top_apps, [_("No social or messaging time this week."), "", ""])

    def save_chart(self) -> None:
        from middenweg.reports import charts

        if self.week_chart.figure is None:
            return
        name = f"middenweg-{self.week}.png"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save chart"), str(Path.home() / name), _("PNG image (*.png);;SVG image (*.svg)")
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".png", ".svg"):
            target = target.with_suffix(".svg" if "svg" in _filter.lower() else ".png")
        try:
            charts.save_figure(self.week_chart.figure, target)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, _("Save chart"), _("The chart could not be saved: {problem}").format(problem=exc))

    def export_week(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export week as CSV"), str(Path.home() / f"middenweg-{self.week}.csv"), _("CSV file (*.csv)")
        )
        if not path:
            return
        try:
            self._export_csv(self.week, Path(path))
        except OSError as exc:
            QMessageBox.warning(
                self, _("Export week as CSV"), _("The week could not be exported: {problem}").format(problem=exc)
            )


def write_csv_atomically(path: Path, write: Callable[[Any], int]) -> int:
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:
            count = write(out)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count
