"""The Settings dialog: language, age group, start at login, tracking and privacy, own rules, and the data.

Every control writes through `middenweg.config.set_value` the moment it changes and then tells the application
which key changed (``on_changed``), so there is no Apply button and nothing to lose. A value the settings file
refuses is shown in a message box and the control goes back to what the file holds. Keys passed to
``on_changed`` are the settings keys as the command line spells them ("age-group", "idle-after", ...), plus
"rules" after a rule was added and "history" after history was deleted. This dialog must never write the settings
file other than through ``set_value``, and never delete history without a Yes from the user.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from datetime import time as wall_time
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from middenweg.cli_text import CATEGORY_NAMES, WEEKDAY_NAMES
from middenweg.config import Settings, SettingsError, get_value, load_settings, set_value
from middenweg.domain import lengths
from middenweg.domain.categories import CATEGORY_ORDER, Category
from middenweg.domain.goals import Goal
from middenweg.gui.first_run import FirstRunDialog
from middenweg.gui.sharing_group import SharingGroup
from middenweg.gui.widgets import (
    AGE_GROUP_CHOICES,
    TITLE_CHOICES,
    buddy_label,
    confirm,
    plain,
    show_error,
    wrapped_label,
)
from middenweg.i18n import LANGUAGES, _, ngettext
from middenweg.paths import Paths
from middenweg.private_files import replaced_privately
from middenweg.reference.compare import format_duration
from middenweg.rules import Rule, RuleOrigin, load_rules
from middenweg.rules.userfile import NewRule, UserRuleError, append_rule, preview
from middenweg.storage.errors import StorageError
from middenweg.storage.records import WindowUsage
from middenweg.storage.store import Store
from middenweg.timezone import resolve_time_zone

PREVIEW_DAYS = 7
#: More rows than anyone reads; the total still counts every window.
PREVIEW_ROWS = 200
_SYSTEM = "system"
#: What the quiet-hours times show while they are off, ready to be switched on.
QUIET_HOURS_SUGGESTED = (wall_time(22), wall_time(7))
#: What the phone reminder's time shows while it is off.
PHONE_REMINDER_SUGGESTED = wall_time(21, 30)


class SettingsDialog(QDialog):
    """Settings in four tabs (General, Tracking and privacy, Rules, Data); changes apply at once."""

    def __init__(
        self,
        paths: Paths,
        store: Store | None,
        *,
        on_changed: Callable[[str], None] | None = None,
        save_goals: Callable[[Sequence[Goal]], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._store = store
        self._on_changed = on_changed
        self._save_goals = save_goals  # for the welcome's goal page, opened again from here
        self._loading = False
        self._windows: list[WindowUsage] | None = None
        self._earlier: list[Rule] = []
        self._first_run: FirstRunDialog | None = None
        self.setWindowTitle(_("Middenweg settings"))
        self._settings, file_problem = self._read_settings(Settings.defaults())

        layout = self._layout = QVBoxLayout(self)
        self.file_problem = wrapped_label("", selectable=True)
        self.file_problem.setAccessibleName(_("Problem with the settings file"))
        self.file_problem.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.file_problem)
        self._show_file_problem(file_problem)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Settings sections"))
        self._pages = [self._general_tab(), self._tracking_tab(), self._rules_tab(), self._data_tab()]
        for page, title in zip(
            self._pages, (_("&General"), _("&Tracking and privacy"), _("&Rules"), _("&Data")), strict=True
        ):
            self.tabs.addTab(_scrolling(page), title)
        layout.addWidget(self.tabs)

        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._buttons.rejected.connect(self.reject)
        close = self._buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        close.setAutoDefault(False)
        layout.addWidget(self._buttons)

        self._show_settings(self._settings)
        self._refresh_problems()
        self._update_preview()
        self._fit()

    def _fit(self) -> None:
        """Start at a size where every page fits without scrolling, if the screen allows (scroll areas otherwise)."""
        em = self.fontMetrics().horizontalAdvance("M")
        width = max(46 * em, *(page.minimumSizeHint().width() for page in self._pages))
        content = max(
            page.heightForWidth(width) if page.hasHeightForWidth() else page.sizeHint().height() for page in self._pages
        )
        layout = self._layout
        margins = layout.contentsMargins()
        chrome = (
            self.tabs.tabBar().sizeHint().height()
            + self._buttons.sizeHint().height()
            + (0 if self.file_problem.isHidden() else self.file_problem.heightForWidth(width) + em)
            + 3 * layout.spacing()
            + margins.top()
            + margins.bottom()
            + 2 * em  # the tab frame and the page margins
        )
        wanted = QSize(width + margins.left() + margins.right() + 2 * em, content + chrome)
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry().size()
            wanted = wanted.boundedTo(QSize(available.width() * 9 // 10, available.height() * 9 // 10))
        self.resize(wanted)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """The application keeps one dialog and shows it again: show what is true now, not when it was made."""
        if not event.spontaneous():
            self._settings, problem = self._read_settings(self._settings)
            self._show_file_problem(problem)
            self._show_settings(self._settings)
            self._show_autostart()
            self._windows = None
            self._refresh_problems()
            self._update_preview()
        super().showEvent(event)

    # --- reading and writing settings ---

    def _read_settings(self, fallback: Settings) -> tuple[Settings, str]:
        """The file's settings and "" — or ``fallback`` and the sentence saying why the file cannot be used."""
        try:
            return load_settings(self._paths.settings_file), ""
        except SettingsError as error:
            return fallback, str(error)

    def _show_file_problem(self, message: str) -> None:
        if message:
            self.file_problem.setText(
                _("{problem} Changes cannot be saved until the file is fixed.").format(problem=message)
            )
        self.file_problem.setVisible(bool(message))

    def _write(self, key: str, value: str) -> bool:
        """Write one setting; on success tell the application, on failure explain and show the file's value."""
        if self._loading:
            return False
        try:
            self._settings = set_value(self._paths.settings_file, key, value)
        except SettingsError as error:
            show_error(self, _("Setting not saved"), str(error))
            self._settings, problem = self._read_settings(self._settings)
            self._show_file_problem(problem)
            self._show_settings(self._settings)
            return False
        self._show_file_problem("")
        self.stays_here.setText(where_your_time_goes(self._settings))
        self._changed(key)
        return True

    def _changed(self, key: str) -> None:
        if self._on_changed is not None:
            self._on_changed(key)

    def _show_settings(self, settings: Settings) -> None:
        """Put ``settings`` into the controls without writing anything back."""
        self._loading = True
        try:
            self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
            age = get_value(settings, "age-group")
            self.age_group.setCurrentIndex(self.age_group.findData(age) if age else -1)
            self.idle_minutes.setValue(min(60, max(1, round(settings.idle_after / 60))))
            for button in self.title_buttons.buttons():
                button.setChecked(button.property("value") == settings.titles)
            self.exclusions.clear()
            for pattern in settings.exclude:
                self._add_exclusion_item(pattern)
            self._show_notifications(settings)
            self.sharing.show_settings(settings)
            self.stays_here.setText(where_your_time_goes(settings))
        finally:
            self._loading = False

    # --- General ---

    def _general_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)

        self.language = QComboBox()
        self.language.addItem(_("System (follows this computer)"), _SYSTEM)
        for code, native in LANGUAGES.items():
            self.language.addItem(native, code)
        self.language.currentIndexChanged.connect(self._language_chosen)
        form.addRow(buddy_label(_("&Language:"), self.language), self.language)

        self.age_group = QComboBox()
        self.age_group.setPlaceholderText(_("Not chosen yet"))
        for choice in AGE_GROUP_CHOICES:
            self.age_group.addItem(_(choice.label), choice.value)
        self.age_group.currentIndexChanged.connect(self._age_group_chosen)
        form.addRow(buddy_label(_("&Age group:"), self.age_group), self.age_group)
        form.addRow("", wrapped_label(_("Middenweg uses it only to compare your time with published averages.")))

        self.autostart = QCheckBox(_("&Start Middenweg when you log in"))
        self.autostart.setAccessibleName(plain(self.autostart.text()))
        self.autostart_note = wrapped_label("")
        self.autostart.toggled.connect(self._autostart_toggled)
        form.addRow("", self.autostart)
        form.addRow("", self.autostart_note)
        self._show_autostart()

        self._notifications_rows(form)

        self.welcome = QPushButton(_("Show &welcome again"))
        self.welcome.setAccessibleName(plain(self.welcome.text()))
        self.welcome.clicked.connect(self.show_welcome)
        form.addRow("", self.welcome)
        return page

    def _notifications_rows(self, form: QFormLayout) -> None:
        """Quiet hours and the weekly summary: a switch each, with the times beside it."""
        self.quiet = QCheckBox(_("&Quiet hours, from"))
        self.quiet_from, self.quiet_to = QTimeEdit(), QTimeEdit()
        quiet_row = QHBoxLayout()
        quiet_row.addWidget(self.quiet)
        quiet_row.addWidget(self.quiet_from)
        quiet_row.addWidget(QLabel(_("to")))
        quiet_row.addWidget(self.quiet_to)
        quiet_row.addStretch(1)
        form.addRow("", quiet_row)
        form.addRow(
            "", wrapped_label(_("Nudges wait until the quiet hours are over; your evening reminders still come."))
        )
        self.summary = QCheckBox(_("Weekly s&ummary on"))
        self.summary_day = QComboBox()
        for name in WEEKDAY_NAMES:
            self.summary_day.addItem(_(name))
        self.summary_time = QTimeEdit()
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary)
        summary_row.addWidget(self.summary_day)
        summary_row.addWidget(QLabel(_("at")))
        summary_row.addWidget(self.summary_time)
        summary_row.addStretch(1)
        form.addRow("", summary_row)
        self.phone_reminder = QCheckBox(_("Remind me to enter &phone time at"))
        self.phone_time = QTimeEdit()
        self.phone_time.setDisplayFormat("HH:mm")
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phone_reminder)
        phone_row.addWidget(self.phone_time)
        phone_row.addStretch(1)
        form.addRow("", phone_row)
        self.phone_reminder.setAccessibleName(_("Phone time reminder"))
        self.phone_time.setAccessibleName(_("Phone time reminder time"))
        self.phone_reminder.toggled.connect(self._phone_chosen)
        self.phone_time.timeChanged.connect(self._phone_chosen)
        self.quiet_from.setAccessibleName(_("Quiet hours start"))
        self.quiet_to.setAccessibleName(_("Quiet hours end"))
        self.summary_day.setAccessibleName(_("Weekly summary day"))
        self.summary_time.setAccessibleName(_("Weekly summary time"))
        self.quiet.setAccessibleName(_("Quiet hours"))
        self.summary.setAccessibleName(_("Weekly summary"))
        for edit in (self.quiet_from, self.quiet_to, self.summary_time):
            edit.setDisplayFormat("HH:mm")
        self.quiet.toggled.connect(self._quiet_chosen)
        self.quiet_from.timeChanged.connect(self._quiet_chosen)
        self.quiet_to.timeChanged.connect(self._quiet_chosen)
        self.summary.toggled.connect(self._summary_chosen)
        self.summary_day.currentIndexChanged.connect(self._summary_chosen)
        self.summary_time.timeChanged.connect(self._summary_chosen)

    def _show_notifications(self, settings: Settings) -> None:
        quiet, summary = settings.quiet_hours, settings.weekly_summary
        self.quiet.setChecked(quiet is not None)
        start, end = quiet or QUIET_HOURS_SUGGESTED
        self.quiet_from.setTime(QTime(start.hour, start.minute))
        self.quiet_to.setTime(QTime(end.hour, end.minute))
        day, at = summary or Settings.defaults().weekly_summary or (0, wall_time(9))
        self.summary.setChecked(summary is not None)
        self.summary_day.setCurrentIndex(day)
        self.summary_time.setTime(QTime(at.hour, at.minute))
        for edit in (self.quiet_from, self.quiet_to):
            edit.setEnabled(quiet is not None)
        self.summary_day.setEnabled(summary is not None)
        self.summary_time.setEnabled(summary is not None)
        phone = settings.phone_reminder
        self.phone_reminder.setChecked(phone is not None)
        at = phone or PHONE_REMINDER_SUGGESTED
        self.phone_time.setTime(QTime(at.hour, at.minute))
        self.phone_time.setEnabled(phone is not None)

    def _quiet_chosen(self) -> None:
        on = self.quiet.isChecked()
        for edit in (self.quiet_from, self.quiet_to):
            edit.setEnabled(on)
        span = f"{self.quiet_from.time().toString('HH:mm')}-{self.quiet_to.time().toString('HH:mm')}"
        self._write("quiet-hours", span if on else "off")

    def _phone_chosen(self) -> None:
        on = self.phone_reminder.isChecked()
        self.phone_time.setEnabled(on)
        self._write("phone-reminder", self.phone_time.time().toString("HH:mm") if on else "off")

    def _summary_chosen(self) -> None:
        on = self.summary.isChecked()
        self.summary_day.setEnabled(on)
        self.summary_time.setEnabled(on)
        day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[max(0, self.summary_day.currentIndex())]
        self._write("weekly-summary", f"{day} {self.summary_time.time().toString('HH:mm')}" if on else "off")

    def _language_chosen(self, index: int) -> None:
        if index >= 0:
            self._write("language", str(self.language.itemData(index)))  # the application rebuilds this dialog

    def _age_group_chosen(self, index: int) -> None:
        if index >= 0:
            self._write("age-group", str(self.age_group.itemData(index)))

    def _show_autostart(self) -> None:
        """The checkbox as the system has it, or disabled with the reason when start at login cannot be used."""
        self._loading = True
        try:
            try:
                from middenweg.autostart import AutostartError, autostart_backend
            except ImportError:
                self._autostart_unavailable(_("Starting at login is not available in this version of Middenweg."))
                return
            try:
                state = autostart_backend().status()
            except AutostartError as error:
                self._autostart_unavailable(str(error))
                return
            self.autostart.setEnabled(True)
            self.autostart.setChecked(state.enabled)
            self.autostart.setToolTip("")
            self.autostart_note.setVisible(False)
        finally:
            self._loading = False

    def _autostart_unavailable(self, reason: str) -> None:
        self.autostart.setChecked(False)
        self.autostart.setEnabled(False)
        self.autostart.setToolTip(reason)
        self.autostart.setAccessibleDescription(reason)
        self.autostart_note.setText(reason)
        self.autostart_note.setVisible(True)

    def _autostart_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        from middenweg.autostart import AutostartError, autostart_backend

        try:
            backend = autostart_backend()
            if checked:
                backend.enable()
            else:
                backend.disable()
        except AutostartError as error:
            show_error(self, _("Start at login"), str(error))
        self._show_autostart()
        self._changed("autostart")

    def show_welcome(self) -> None:
        """Open the welcome dialog again; what it writes shows up here when it closes."""
        before = self._settings
        dialog = FirstRunDialog(self._paths, self._save_goals, self)
        self._first_run = dialog

        def closed() -> None:
            self._first_run = None
            dialog.deleteLater()
            self._settings, problem = self._read_settings(self._settings)
            self._show_file_problem(problem)
            self._show_settings(self._settings)
            for key in dialog.written_keys:
                self._changed(key)
            if before.language != self._settings.language:
                self._changed("language")

        dialog.finished.connect(closed)
        dialog.open()

    # --- Tracking and privacy ---

    def _tracking_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)

        idle_row = QHBoxLayout()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 60)
        self.idle_minutes.setSuffix(" " + _("min"))
        # Only whole values: typing "15" must not first save 1 minute.
        self.idle_minutes.setKeyboardTracking(False)
        self.idle_minutes.valueChanged.connect(self._idle_changed)
        idle_row.addWidget(buddy_label(_("Count as a&way after:"), self.idle_minutes))
        idle_row.addWidget(self.idle_minutes)
        idle_row.addStretch(1)
        layout.addLayout(idle_row)
        layout.addWidget(wrapped_label(_("Time without keyboard or mouse input is not counted after this.")))

        titles = QGroupBox(_("Store window titles"))
        titles_layout = QVBoxLayout(titles)
        self.title_buttons = QButtonGroup(self)
        for choice in TITLE_CHOICES:
            button = QRadioButton(_(choice.label))
            button.setProperty("value", choice.value)
            button.setAccessibleName(plain(button.text()))
            button.setAccessibleDescription(_(choice.explanation))
            self.title_buttons.addButton(button)
            titles_layout.addWidget(button)
            explanation = wrapped_label(_(choice.explanation))
            explanation.setIndent(24)
            titles_layout.addWidget(explanation)
        titles_layout.addWidget(
            wrapped_label(_("Titles of password managers and private browser windows are never stored."))
        )
        self.title_buttons.buttonToggled.connect(self._titles_toggled)
        layout.addWidget(titles)

        excluded = QGroupBox(_("Never store the titles of these windows"))
        grid = QGridLayout(excluded)
        self.exclusions = QListWidget()
        self.exclusions.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.exclusions.itemChanged.connect(self._exclusion_edited)
        self.exclusions.setMinimumHeight(80)
        grid.addWidget(buddy_label(_("E&xcluded windows:"), self.exclusions), 0, 0, 1, 4)
        grid.addWidget(self.exclusions, 1, 0, 1, 3)
        self.remove_exclusion = QPushButton(_("Re&move"))
        self.remove_exclusion.setAccessibleName(plain(self.remove_exclusion.text()))
        self.remove_exclusion.clicked.connect(self._remove_exclusion)
        grid.addWidget(self.remove_exclusion, 1, 3, Qt.AlignmentFlag.AlignTop)

        self.exclusion_kind = QComboBox()
        self.exclusion_kind.addItem(_("App name"), "app")
        self.exclusion_kind.addItem(_("Window title"), "title")
        self.exclusion_pattern = QLineEdit()
        self.exclusion_pattern.setPlaceholderText(_("signal or *bank*"))
        self.exclusion_pattern.returnPressed.connect(self._add_exclusion)
        self.add_exclusion = QPushButton(_("Add excl&usion"))
        self.add_exclusion.setAccessibleName(plain(self.add_exclusion.text()))
        self.add_exclusion.setAutoDefault(False)
        self.add_exclusion.clicked.connect(self._add_exclusion)
        grid.addWidget(buddy_label(_("Match &by:"), self.exclusion_kind), 2, 0)
        grid.addWidget(self.exclusion_kind, 2, 1, 1, 3)
        grid.addWidget(buddy_label(_("&Pattern:"), self.exclusion_pattern), 3, 0)
        grid.addWidget(self.exclusion_pattern, 3, 1, 1, 2)
        grid.addWidget(self.add_exclusion, 3, 3)
        grid.addWidget(
            wrapped_label(_("* stands for any text, ? for one character; case does not matter.")), 4, 0, 1, 4
        )
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        layout.addWidget(excluded)
        layout.addStretch(1)
        return page

    def _idle_changed(self, minutes: int) -> None:
        self._write("idle-after", str(minutes * 60))

    def _titles_toggled(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            self._write("titles", str(button.property("value")))

    def _add_exclusion_item(self, pattern: str) -> None:
        item = QListWidgetItem(pattern)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.exclusions.addItem(item)

    def _exclusion_patterns(self) -> list[str]:
        return [self.exclusions.item(row).text().strip() for row in range(self.exclusions.count())]

    def _write_exclusions(self, patterns: Sequence[str]) -> bool:
        if any("," in pattern for pattern in patterns):
            show_error(
                self,
                _("Setting not saved"),
                _("A pattern cannot contain a comma; use * in its place, as in *bank*statement*."),
            )
            self._show_settings(self._settings)
            return False
        written = self._write("exclude", ", ".join(pattern for pattern in patterns if pattern))
        if written:
            self._show_settings(self._settings)  # as the file has them: trimmed, "app:" in lower case
        return written

    def _add_exclusion(self) -> None:
        glob = self.exclusion_pattern.text().strip()
        if not glob:
            self.exclusion_pattern.setFocus()
            return
        pattern = f"{self.exclusion_kind.currentData()}:{glob}"
        if self._write_exclusions([*self._exclusion_patterns(), pattern]):
            self.exclusion_pattern.clear()

    def _exclusion_edited(self, _item: QListWidgetItem) -> None:
        if not self._loading:
            self._write_exclusions(self._exclusion_patterns())

    def _remove_exclusion(self) -> None:
        row = self.exclusions.currentRow()
        if row < 0:
            return
        patterns = self._exclusion_patterns()
        del patterns[row]
        self._write_exclusions(patterns)
        self.exclusions.setCurrentRow(min(row, self.exclusions.count() - 1))

    # --- Rules ---

    def _rules_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            wrapped_label(
                _(
                    "Say how a window should count. Your rules come before the built-in ones. "
                    "* stands for any text and ? for one character; a pattern must match the whole name or title."
                )
            )
        )
        form = QFormLayout()
        self.rule_app = QLineEdit()
        self.rule_app.setPlaceholderText(_("for example: firefox"))
        self.rule_title = QLineEdit()
        self.rule_title.setPlaceholderText(_("for example: *Mastodon*"))
        self.rule_in_browser = QCheckBox(_("Only in web &browsers"))
        self.rule_in_browser.setAccessibleName(plain(self.rule_in_browser.text()))
        self.rule_category = QComboBox()
        for category in CATEGORY_ORDER:
            self.rule_category.addItem(_(CATEGORY_NAMES[category]), category.value)
        self.rule_label = QLineEdit()
        self.rule_label.setPlaceholderText(_("the name shown in the dashboard"))
        self.rule_label.setMaxLength(lengths.LABEL)  # what the rules file accepts
        form.addRow(buddy_label(_("&App pattern:"), self.rule_app), self.rule_app)
        form.addRow(buddy_label(_("T&itle pattern:"), self.rule_title), self.rule_title)
        form.addRow("", self.rule_in_browser)
        form.addRow(buddy_label(_("&Category:"), self.rule_category), self.rule_category)
        form.addRow(buddy_label(_("&Label (optional):"), self.rule_label), self.rule_label)
        layout.addLayout(form)

        self.rule_add = QPushButton(_("Add rul&e"))
        self.rule_add.setAccessibleName(plain(self.rule_add.text()))
        self.rule_add.setAutoDefault(False)
        self.rule_add.clicked.connect(self.add_rule)
        add_row = QHBoxLayout()
        self.rule_message = wrapped_label("")
        self.rule_message.setAccessibleName(_("Rule status"))
        add_row.addWidget(self.rule_message, 1)
        add_row.addWidget(self.rule_add)
        layout.addLayout(add_row)

        self.preview_total = wrapped_label("")
        self.preview_total.setAccessibleName(_("Preview total"))
        self.preview_list = QListWidget()
        self.preview_list.setMinimumHeight(90)
        self.preview_list.setWordWrap(True)
        self.preview_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(buddy_label(_("&Windows of the last 7 days this rule would catch:"), self.preview_list))
        layout.addWidget(self.preview_list, 1)
        layout.addWidget(self.preview_total)

        self.rule_problems = wrapped_label("", selectable=True)
        self.rule_problems.setAccessibleName(_("Problems in your rules file"))
        self.open_rules = QPushButton(_("&Open rules file"))
        self.open_rules.setAccessibleName(plain(self.open_rules.text()))
        self.open_rules.setAutoDefault(False)
        self.open_rules.clicked.connect(lambda: _open_local(self._paths.rules_file))
        problems_row = QHBoxLayout()
        problems_row.addWidget(self.rule_problems, 1)
        problems_row.addWidget(self.open_rules)
        layout.addLayout(problems_row)

        for edit in (self.rule_app, self.rule_title, self.rule_label):
            edit.textChanged.connect(self._update_preview)
        self.rule_in_browser.toggled.connect(self._update_preview)
        self.rule_category.currentIndexChanged.connect(self._update_preview)
        return page

    def _new_rule(self) -> NewRule:
        return NewRule(
            app=self.rule_app.text(),
            title=self.rule_title.text(),
            category=Category(str(self.rule_category.currentData())),
            label=self.rule_label.text(),
            in_browser=self.rule_in_browser.isChecked(),
        )

    def _recent_windows(self) -> list[WindowUsage]:
        if self._windows is None:
            if self._store is None:
                self._windows = []
            else:
                now = int(time.time())
                try:
                    self._windows = self._store.window_usage(now - PREVIEW_DAYS * 86400, now + 1)
                except StorageError as error:
                    self.preview_total.setText(str(error))
                    self._windows = []
        return self._windows

    def _update_preview(self) -> None:
        self.preview_list.clear()
        rule = self._new_rule()
        has_pattern = bool(self.rule_app.text().strip() or self.rule_title.text().strip())
        self.rule_add.setEnabled(has_pattern)
        if not has_pattern:
            self.preview_total.setText(_("Fill in an app pattern, a title pattern or both to see what they catch."))
            return
        if self._store is None:
            self.preview_total.setText(_("The history is not open, so there is nothing to preview."))
            return
        try:
            caught = preview(rule, self._recent_windows(), earlier=self._earlier)
        except UserRuleError as error:
            self.preview_total.setText(str(error))
            self.rule_add.setEnabled(False)
            return
        for window in caught[:PREVIEW_ROWS]:
            shown = window.title if window.title is not None else _("(title not stored)")
            self.preview_list.addItem(
                _("{title} · {app} · {time}").format(title=shown, app=window.app, time=format_duration(window.seconds))
            )
        seconds = sum(window.seconds for window in caught)
        self.preview_total.setText(
            ngettext(
                "{count} window, {time} in the last 7 days.",
                "{count} windows, {time} in the last 7 days.",
                len(caught),
            ).format(count=len(caught), time=format_duration(seconds))
        )

    def add_rule(self) -> None:
        """Append the rule in the form to the user's rules file and tell the application."""
        rule = self._new_rule()
        try:
            append_rule(
                self._paths.rules_file,
                app=rule.app,
                title=rule.title,
                category=rule.category,
                label=rule.label,
                in_browser=rule.in_browser,
            )
        except UserRuleError as error:
            show_error(self, _("Rule not added"), str(error))
            return
        self.rule_message.setText(_("The rule was added to {file}.").format(file=self._paths.rules_file))
        for edit in (self.rule_app, self.rule_title, self.rule_label):
            edit.clear()
        self.rule_in_browser.setChecked(False)
        self._refresh_problems()
        self._changed("rules")
        self.rule_app.setFocus()

    def _refresh_problems(self) -> None:
        rules, problems = load_rules(self._paths.rules_file)
        # The user's rules already in the file come before a new one, so the preview leaves their windows out.
        self._earlier = [rule for rule in rules.rules if rule.origin is RuleOrigin.USER]
        if problems:
            self.rule_problems.setText(
                _("Problems in your rules file:") + "\n" + "\n".join(str(problem) for problem in problems)
            )
        elif self._paths.rules_file.exists():
            self.rule_problems.setText(_("No problems in {file}.").format(file=self._paths.rules_file))
        else:
            self.rule_problems.setText(_("You have no rules of your own yet."))
        self.open_rules.setEnabled(self._paths.rules_file.exists())

    # --- Data ---

    def _data_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)

        where = QGroupBox(_("Where your data is"))
        where_form = QFormLayout(where)
        self.config_path = wrapped_label(str(self._paths.config_dir), selectable=True)
        self.data_path = wrapped_label(str(self._paths.data_dir), selectable=True)
        self.open_config = QPushButton(_("Open &settings folder"))
        self.open_config.clicked.connect(lambda: _open_local(self._paths.config_dir))
        self.open_data = QPushButton(_("Open data &folder"))
        self.open_data.clicked.connect(lambda: _open_local(self._paths.data_dir))
        for button in (self.open_config, self.open_data):
            button.setAccessibleName(plain(button.text()))
            button.setAutoDefault(False)
        self.config_path.setAccessibleName(_("Settings and rules folder"))
        self.data_path.setAccessibleName(_("History folder"))
        where_form.addRow(QLabel(_("Settings and rules:")), self.config_path)
        where_form.addRow("", self.open_config)
        where_form.addRow(QLabel(_("History:")), self.data_path)
        where_form.addRow("", self.open_data)
        self.stays_here = wrapped_label("")
        where_form.addRow("", self.stays_here)
        layout.addWidget(where)

        self.sharing = SharingGroup(self._write, lambda: self._settings)
        layout.addWidget(self.sharing)

        history = QGroupBox(_("Your history"))
        history_layout = QVBoxLayout(history)
        self.export = QPushButton(_("&Export history…"))
        self.export.clicked.connect(self.export_history)
        export_row = QHBoxLayout()
        export_row.addWidget(self.export)
        export_row.addWidget(wrapped_label(_("As a CSV file for spreadsheets, or JSON.")), 1)
        history_layout.addLayout(export_row)

        self.forget_date = QDateEdit()
        self.forget_date.setCalendarPopup(True)
        self.forget_date.setDisplayFormat("yyyy-MM-dd")
        today = QDate.currentDate()
        self.forget_date.setDate(today)
        self.forget_date.setMaximumDate(today)
        self.forget_day = QPushButton(_("Delete th&is day…"))
        self.forget_day.clicked.connect(self.delete_day)
        day_row = QHBoxLayout()
        day_row.addWidget(buddy_label(_("Da&y:"), self.forget_date))
        day_row.addWidget(self.forget_date)
        day_row.addWidget(self.forget_day)
        day_row.addStretch(1)
        history_layout.addLayout(day_row)

        self.forget_all = QPushButton(_("Delete &all history…"))
        self.forget_all.clicked.connect(self.delete_all)
        all_row = QHBoxLayout()
        all_row.addWidget(self.forget_all)
        all_row.addStretch(1)
        history_layout.addLayout(all_row)
        self.data_message = wrapped_label("")
        self.data_message.setAccessibleName(_("History status"))
        history_layout.addWidget(self.data_message)
        for button in (self.export, self.forget_day, self.forget_all):
            button.setAccessibleName(plain(button.text()))
            button.setAutoDefault(False)
            button.setEnabled(self._store is not None)
        if self._store is None:
            self.data_message.setText(_("The history is not open, so it cannot be exported or deleted here."))
        layout.addWidget(history)
        layout.addStretch(1)
        return page

    def export_history(self) -> None:
        """Ask where to, then write all history as CSV or JSON (by the file name's ending)."""
        if self._store is None:
            return
        from middenweg.history import export_history

        csv_filter = _("CSV file (*.csv)")
        json_filter = _("JSON file (*.json)")
        chosen, selected = QFileDialog.getSaveFileName(
            self,
            _("Export history"),
            str(Path.home() / "middenweg-history.csv"),
            f"{csv_filter};;{json_filter}",
        )
        if not chosen:
            return
        path = Path(chosen)
        fmt = "json" if path.suffix.lower() == ".json" or (not path.suffix and selected == json_filter) else "csv"
        if not path.suffix:
            path = path.with_suffix("." + fmt)
        tz = resolve_time_zone(self._settings.time_zone)
        try:
            with replaced_privately(path) as out:
                count = export_history(self._store, out, fmt, tz, None, None, time.time())
        except OSError as error:
            show_error(
                self,
                _("Export failed"),
                _("Cannot write {path}: {problem}.").format(path=path, problem=error.strerror or error),
            )
            return
        except StorageError as error:
            show_error(self, _("Export failed"), str(error))
            return
        self.data_message.setText(
            ngettext("Wrote {n} event to {path}.", "Wrote {n} events to {path}.", count).format(n=count, path=path)
        )

    def delete_day(self) -> None:
        """Delete the chosen day's history on every device, after a Yes."""
        if self._store is None:
            return
        from middenweg.history import forget_days

        qdate = self.forget_date.date()
        day = date(qdate.year(), qdate.month(), qdate.day())
        question = _("Delete the history of {day}? This cannot be undone.").format(day=day.isoformat())
        if not confirm(self, _("Delete history"), question):
            self.data_message.setText(_("Nothing was deleted."))
            return
        tz = resolve_time_zone(self._settings.time_zone)
        try:
            removed = forget_days(self._store, tz, day, day)
        except StorageError as error:
            show_error(self, _("Delete history"), str(error))
            return
        self._deleted(removed)

    def delete_all(self) -> None:
        """Delete all history, after a Yes."""
        if self._store is None:
            return
        question = _("Delete ALL history from Middenweg? This cannot be undone.")
        if not confirm(self, _("Delete history"), question):
            self.data_message.setText(_("Nothing was deleted."))
            return
        try:
            removed = self._store.forget_all()
        except StorageError as error:
            show_error(self, _("Delete history"), str(error))
            return
        self._deleted(removed)

    def _deleted(self, removed: int) -> None:
        self.data_message.setText(ngettext("Deleted {n} event.", "Deleted {n} events.", removed).format(n=removed))
        self._windows = None
        self._update_preview()
        self._changed("history")


def where_your_time_goes(settings: Settings) -> str:
    """One sentence under the data folders: local only, or where else the history goes (privacy: say it plainly)."""
    if settings.database_url is not None:
        return _("Your history is kept on the shared database server below, not on this computer.")
    if settings.sync_folder is not None:
        return _("Everything stays on this computer, except your time, which is shared through {folder}.").format(
            folder=settings.sync_folder
        )
    return _("Everything stays on this computer.")


def _scrolling(page: QWidget) -> QScrollArea:
    """``page`` in a frameless scroll area: on a small screen or with large fonts a page scrolls, never clips."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def _open_local(path: Path) -> None:
    """Show a folder or file in the desktop's own file manager or editor."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
