"""The dashboard window, in three sections: the week, the evenings and the goals.

The week: week navigation, a choice of device (all devices, or one computer or phone; shown when there is more than
one), the per-day chart (a phone's part hatched), the honest age-group comparison, a 12-week trend, the top apps and
sites, and exports. Charts are matplotlib Figures from ``reports.charts`` rendered to images at the screen's pixel
ratio, so the GUI needs no matplotlib Qt backend and matplotlib loads only when the week is first drawn (a window
opened on its Evenings or Goals section does not draw the week until that section is chosen). The Evenings and Goals
sections (``evenings_page``, ``goals_page``) are there when the application hands in a ``Planner``.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from middenweg.cli_text import CATEGORY_NAMES, short_date
from middenweg.domain.categories import CATEGORY_ORDER, Category
from middenweg.domain.events import DeviceKind
from middenweg.domain.weeks import IsoWeek
from middenweg.gui.widgets import buddy_label, plain
from middenweg.i18n import _
from middenweg.private_files import replaced_privately
from middenweg.reference.compare import comparison_sentence, format_duration
from middenweg.reports.weekly import WeeklyReport

if TYPE_CHECKING:
    from middenweg.gui.evenings_page import EveningsPage
    from middenweg.gui.goals_page import GoalsPage
    from middenweg.storage.evening_store import EveningStore
    from middenweg.storage.goal_store import GoalStore

TREND_WEEKS = 12


class Section(enum.IntEnum):
    """The dashboard's sections, in the order of their tabs."""

    WEEK = 0
    EVENINGS = 1
    GOALS = 2


@dataclass(frozen=True, slots=True)
class Planner:
    """What the Evenings and Goals sections read and write. ``now`` is UTC epoch seconds; ``tz`` and ``tz_name``
    are asked each time (the time-zone setting may change); ``totals`` gives seconds per category in [start, end);
    ``changed`` is called after evenings, check-ins or goals were stored (e.g. so reminders are planned again);
    ``last_week`` gives last week and its summary in words, the same as the weekly notification."""

    evenings: EveningStore
    goals: GoalStore
    now: Callable[[], int]
    tz: Callable[[], ZoneInfo]
    tz_name: Callable[[], str]
    totals: Callable[[int, int], Mapping[Category, int]]
    changed: Callable[[], None] | None = None
    last_week: Callable[[], tuple[IsoWeek, str]] | None = None


@dataclass(frozen=True, slots=True)
class WeekData:
    report: WeeklyReport
    trend: Sequence[tuple[IsoWeek, Mapping[str, int]]]


@dataclass(frozen=True, slots=True)
class DeviceChoice:
    """A device the week can be shown for: its stable ``uid`` (what ``load_device_week`` is asked for), its name
    and kind (shown as "pixel_7a (phone)", in the active language)."""

    uid: str
    name: str
    kind: DeviceKind


def device_entry(name: str, kind: DeviceKind) -> str:
    """How a device is listed: its name and, in the active language, its kind (unless the name says it already,
    as "Phone (entered by hand)" does)."""
    kind_text = _("phone") if kind is DeviceKind.PHONE else _("computer")
    if kind_text.casefold() in name.casefold():
        return name
    # TRANSLATORS: an entry of the dashboard's device list, e.g. "pixel_7a (phone)".
    return _("{name} ({kind})").format(name=name, kind=kind_text)


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
    """One window, reused: closing it only hides it (Middenweg stays in the tray).

    Without a ``planner`` it shows only the week (and no tab bar). With ``devices`` (the devices that have
    history, asked each time the week loads) and ``load_device_week`` (one device's week, by uid) the week can be
    shown for one device; the choice is shown only when there is more than one device. With ``add_phone`` a button
    opens the dialog for a day's phone time."""

    def __init__(
        self,
        load: Callable[[IsoWeek], WeekData],
        this_week: Callable[[], IsoWeek],
        export_csv: Callable[[IsoWeek, Path], int],
        parent: QWidget | None = None,
        *,
        planner: Planner | None = None,
        devices: Callable[[], Sequence[DeviceChoice]] | None = None,
        load_device_week: Callable[[IsoWeek, str], WeekData] | None = None,
        add_phone: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._load, self._this_week, self._export_csv = load, this_week, export_csv
        self._devices, self._load_device_week = devices, load_device_week
        self._device_choices: list[DeviceChoice] = []
        self.week = this_week()
        self.data: WeekData | None = None
        self.setObjectName("dashboard")
        self.resize(760, 860)
        self.week_page = QWidget()

        self.previous_button = QPushButton()
        self.this_week_button = QPushButton()
        self.next_button = QPushButton()
        self.title = QLabel()
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.device_box = QComboBox()
        self.device_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # A long host name must not widen the window: the box stops growing here, its list shows names whole.
        self.device_box.setMaximumWidth(self.device_box.fontMetrics().averageCharWidth() * 32)
        self.device_label = buddy_label("", self.device_box)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addWidget(self.this_week_button)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        nav.addWidget(self.device_label)
        nav.addWidget(self.device_box)
        self.device_label.hide()
        self.device_box.hide()
        self.device_box.currentIndexChanged.connect(lambda _index: self.show_week(self.week))
        self.previous_button.clicked.connect(lambda: self.show_week(self.week.previous()))
        self.next_button.clicked.connect(lambda: self.show_week(self.week.shifted(1)))
        self.this_week_button.clicked.connect(lambda: self.show_week(self._this_week()))
        # On the week page only: a hidden page's shortcuts do not fire.
        QShortcut(QKeySequence("Alt+Left"), self.week_page, self.previous_button.click)
        QShortcut(QKeySequence("Alt+Right"), self.week_page, self.next_button.click)
        QShortcut(QKeySequence("Alt+Home"), self.week_page, self.this_week_button.click)
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
        self.phone_button = QPushButton()
        self.phone_button.setVisible(add_phone is not None)
        if add_phone is not None:
            self.phone_button.clicked.connect(add_phone)
        exports = QHBoxLayout()
        exports.addWidget(self.phone_button)
        exports.addStretch(1)
        exports.addWidget(self.save_chart_button)
        exports.addWidget(self.export_button)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel { padding: 6px; border: 1px solid palette(mid); border-radius: 4px; }")
        self.notice.hide()

        body = QWidget()
        column = QVBoxLayout(body)
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
        week_column = QVBoxLayout(self.week_page)
        week_column.addLayout(nav)
        week_column.addWidget(scroll)

        self.sections = QTabWidget()
        self.sections.setTabBarAutoHide(True)  # one section, no tabs
        self.sections.addTab(self.week_page, "")
        self.evenings_page: EveningsPage | None = None
        self.goals_page: GoalsPage | None = None
        if planner is not None:
            self._add_planner_pages(planner)
        self.sections.currentChanged.connect(self._section_shown)
        outer = QVBoxLayout(self)
        outer.addWidget(self.notice)
        outer.addWidget(self.sections)
        self.retranslate()

    def _add_planner_pages(self, planner: Planner) -> None:
        from middenweg.gui.evenings_page import EveningsPage
        from middenweg.gui.goals_page import GoalsPage

        self.evenings_page = EveningsPage(
            planner.evenings, now=planner.now, tz=planner.tz, tz_name=planner.tz_name, totals=planner.totals
        )
        self.goals_page = GoalsPage(
            planner.goals,
            planner.evenings,
            now=planner.now,
            tz=planner.tz,
            totals=planner.totals,
            last_week=planner.last_week,
        )
        for page in (self.evenings_page, self.goals_page):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.sections.addTab(scroll, "")
        # Kept evenings count toward the evenings target; whoever plans reminders hears of every change.
        self.evenings_page.changed.connect(self.goals_page.refresh)
        if planner.changed is not None:
            changed = planner.changed
            self.evenings_page.changed.connect(lambda: changed())
            self.goals_page.changed.connect(lambda: changed())

    @property
    def section(self) -> Section:
        return Section(self.sections.currentIndex())

    def show_section(self, section: Section) -> None:
        """Switch to ``section`` (the week when there is no planner); a section is brought up to date as it shows."""
        if section is not Section.WEEK and self.evenings_page is None:
            section = Section.WEEK
        if self.sections.currentIndex() == section:
            self._section_shown(section)
        else:
            self.sections.setCurrentIndex(section)

    def show_evenings(self) -> None:
        self.show_section(Section.EVENINGS)

    def show_goals(self) -> None:
        self.show_section(Section.GOALS)

    def refresh_planner(self) -> None:
        """Read evenings, check-ins and goals again (after a check-in made outside the window, say)."""
        if self.evenings_page is not None and self.goals_page is not None:
            self.evenings_page.refresh()
            self.goals_page.refresh()

    def _section_shown(self, index: int) -> None:
        self._show_title()
        if index == Section.WEEK:
            if self.data is None:
                self.show_week(self.week)
        else:
            self.refresh_planner()

    def _show_title(self) -> None:
        titles = {Section.WEEK: _("Your week"), Section.EVENINGS: _("Your evenings"), Section.GOALS: _("Your goals")}
        self.setWindowTitle(titles[self.section])  # Qt adds " — Middenweg"

    def retranslate(self) -> None:
        """Every fixed text in the active language (called again when the language setting changes)."""
        self._show_title()
        self.sections.setAccessibleName(_("Dashboard sections"))
        for section, text in (
            (Section.WEEK, _("&Week")),
            (Section.EVENINGS, _("E&venings")),
            (Section.GOALS, _("&Goals")),
        ):
            if section < self.sections.count():
                self.sections.setTabText(section, text)
        if self.evenings_page is not None and self.goals_page is not None:
            self.evenings_page.retranslate()
            self.goals_page.retranslate()
        self.previous_button.setText(_("◀ &Previous week"))
        self.this_week_button.setText(_("T&his week"))
        self.next_button.setText(_("&Next week ▶"))
        self.device_label.setText(_("&Device:"))
        self.device_box.setAccessibleName(plain(_("&Device:")))
        self._fill_device_box()
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
        self.phone_button.setText(_("&Add phone time…"))
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

    @property
    def device(self) -> str | None:
        """The uid of the device the week is shown for; None for all devices."""
        uid = self.device_box.currentData()
        return uid if isinstance(uid, str) else None

    def show_week(self, week: IsoWeek) -> None:
        """Load and draw ``week`` (of the device chosen, if any); never a week after the current one."""
        current = self._this_week()
        self.week = min(week, current)
        self._update_devices()
        self.device_box.setToolTip(self.device_box.currentText())  # the whole name, where the box cuts it off
        uid = self.device
        if uid is not None and self._load_device_week is not None:
            self.data = self._load_device_week(self.week, uid)
        else:
            self.data = self._load(self.week)
        self.next_button.setEnabled(self.week < current)
        self._draw(self.data)

    def _update_devices(self) -> None:
        """Ask for the devices again (one may have been imported or forgotten); a device that is gone is no
        longer chosen."""
        if self._devices is None or self._load_device_week is None:
            return
        choices = list(self._devices())
        if choices != self._device_choices:
            self._device_choices = choices
            self._fill_device_box()

    def _fill_device_box(self) -> None:
        """Fill the device list: "All devices" and one entry per device, keeping the choice where that device is
        still there; the list shows only when there is more than one device to choose from."""
        chosen = self.device
        self.device_box.blockSignals(True)  # filling the list is not a choice: nothing to load
        try:
            self.device_box.clear()
            self.device_box.addItem(_("All devices"), None)
            for choice in self._device_choices:
                self.device_box.addItem(device_entry(choice.name, choice.kind), choice.uid)
            several = len(self._device_choices) > 1
            index = self.device_box.findData(chosen) if several and chosen is not None else 0
            self.device_box.setCurrentIndex(max(index, 0))
        finally:
            self.device_box.blockSignals(False)
        view = self.device_box.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width())
        self.device_label.setVisible(several)
        self.device_box.setVisible(several)

    def refresh(self) -> None:
        """Show what is true now: the week (once it has been drawn, or when it is the section shown) and the
        evenings and goals."""
        if self.data is not None or self.section is Section.WEEK:
            self.show_week(self.week)
        self.refresh_planner()

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
            comparison_sentence(
                report.reference, report.totals.online, None if current else report.week.week, report.scope
            )
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
    with replaced_privately(path) as out:
        return write(out)
