"""The welcome shown on first start (and again from Settings): what Middenweg does, the age group, title privacy.

Four short pages (welcome, age group, window titles, weekly goals) with Back, Next/Done and Skip. Done writes the
age group (``none`` when nothing was picked) so the application knows it asked; Skip writes only what the person
actually chose, and leaves the age group unset otherwise so that Middenweg may ask again another time. The two
goals on the last page are off until ticked; ticked ones are stored through ``save_goals`` (Done or Skip). Enter goes
to the next page (Done on the last), Escape skips. Settings are written through `middenweg.config.set_value` only;
this dialog must never write a value the person did not see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from middenweg.config import Settings, SettingsError, get_value, load_settings, set_value
from middenweg.domain.goals import Goal, GoalName
from middenweg.gui.widgets import (
    AGE_GROUP_CHOICES,
    AGE_GROUP_EXPLANATION,
    AGE_NOT_SAID,
    TITLE_CHOICES,
    plain,
    show_error,
    wrapped_label,
)
from middenweg.i18n import _, ngettext
from middenweg.paths import Paths
from middenweg.storage.errors import StorageError

#: Where the goal page starts: the source's own examples (at most 7 h a week, two phone-free evenings a week).
SUGGESTED_HOURS = 7
SUGGESTED_EVENINGS = 2


class FirstRunDialog(QDialog):
    """The welcome dialog. After it closes, `written_keys` says which settings it wrote."""

    def __init__(
        self,
        paths: Paths,
        save_goals: Callable[[Sequence[Goal]], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths, self._save_goals = paths, save_goals
        self.written_keys: tuple[str, ...] = ()
        self.written_goals: tuple[Goal, ...] = ()
        try:
            self._settings = load_settings(paths.settings_file)
        except SettingsError:
            # The settings dialog and the tray say what is wrong with the file; here the choices start empty.
            self._settings = Settings.defaults()
        self.setWindowTitle(_("Welcome to Middenweg"))

        self.pages = QStackedWidget()
        self.pages.addWidget(self._welcome_page())
        self.pages.addWidget(self._age_page())
        self.pages.addWidget(self._titles_page())
        self.pages.addWidget(self._goal_page())

        self.step = QLabel()
        self.skip_button = QPushButton(_("&Skip"))
        self.back_button = QPushButton(_("&Back"))
        self.next_button = QPushButton(_("&Next"))
        for button in (self.skip_button, self.back_button, self.next_button):
            button.setAccessibleName(plain(button.text()))
            button.setAutoDefault(False)
        self.next_button.setDefault(True)  # Enter, wherever the focus is on a page
        self.skip_button.setToolTip(_("Close without answering; you can do this later in Settings."))
        self.skip_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(self._go_back)
        self.next_button.clicked.connect(self._go_next)

        buttons = QHBoxLayout()
        buttons.addWidget(self.step)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self._show_page(0)

    # --- pages ---

    @staticmethod
    def _page(heading: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(heading)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        layout.addWidget(title)
        return page, layout

    def _welcome_page(self) -> QWidget:
        page, layout = self._page(_("Welcome to Middenweg"))
        layout.addWidget(
            wrapped_label(
                _(
                    "Middenweg measures the time you spend in social media and messaging apps on this computer, "
                    "shows it week by week, and helps you keep your evenings phone-free."
                )
            )
        )
        layout.addWidget(
            wrapped_label(
                _(
                    "Everything stays on this computer. Nothing is sent anywhere, and you can pause tracking or "
                    "delete your history at any time."
                )
            )
        )
        layout.addWidget(wrapped_label(_("Two short questions follow. You can change both answers later in Settings.")))
        layout.addStretch(1)
        return page

    def _age_page(self) -> QWidget:
        page, layout = self._page(_("Your age group"))
        layout.addWidget(wrapped_label(_(AGE_GROUP_EXPLANATION)))
        self.age_buttons = QButtonGroup(self)
        asked = get_value(self._settings, "age-group")
        for choice in AGE_GROUP_CHOICES:
            button = QRadioButton(_(choice.label))
            button.setProperty("value", choice.value)
            button.setAccessibleName(_(choice.label))
            button.setChecked(choice.value == asked)
            self.age_buttons.addButton(button)
            layout.addWidget(button)
        layout.addStretch(1)
        return page

    def _titles_page(self) -> QWidget:
        page, layout = self._page(_("Window titles"))
        layout.addWidget(
            wrapped_label(
                _(
                    "Window titles show which site or chat took your time, but they can be private. "
                    "Which titles may Middenweg store?"
                )
            )
        )
        self.title_buttons = QButtonGroup(self)
        for choice in TITLE_CHOICES:
            button = QRadioButton(_(choice.label))
            button.setProperty("value", choice.value)
            button.setAccessibleName(plain(button.text()))
            button.setAccessibleDescription(_(choice.explanation))
            button.setChecked(choice.value == self._settings.titles)
            self.title_buttons.addButton(button)
            layout.addWidget(button)
            explanation = wrapped_label(_(choice.explanation))
            explanation.setIndent(24)
            layout.addWidget(explanation)
        layout.addStretch(1)
        return page

    def _goal_page(self) -> QWidget:
        page, layout = self._page(_("Weekly goals"))
        layout.addWidget(wrapped_label(_("Two goals to start with, if you like. Both stay off unless you tick them.")))
        self.hours_goal = QCheckBox(_("At most this much social media and messaging a &week:"))
        self.hours = QSpinBox()
        self.hours.setRange(1, 80)
        self.hours.setValue(SUGGESTED_HOURS)
        self.hours.setSuffix(_(" h"))
        self.evenings_goal = QCheckBox(_("&Phone-free evenings a week:"))
        self.evenings = QSpinBox()
        self.evenings.setRange(1, 7)
        self.evenings.setValue(SUGGESTED_EVENINGS)
        self.evenings.valueChanged.connect(self._evenings_suffix)
        self._evenings_suffix(self.evenings.value())
        for box, spin in ((self.hours_goal, self.hours), (self.evenings_goal, self.evenings)):
            spin.setAccessibleName(plain(box.text()).rstrip(":"))
            spin.setEnabled(False)
            box.toggled.connect(spin.setEnabled)
            row = QHBoxLayout()
            row.addWidget(box)
            row.addWidget(spin)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(
            wrapped_label(
                _(
                    "More goals, and the evenings themselves, are in the dashboard: Goals and Evenings, also in the "
                    "tray menu."
                )
            )
        )
        layout.addWidget(wrapped_label(_("Press Done to start. Middenweg keeps running in the system tray.")))
        layout.addStretch(1)
        return page

    def _evenings_suffix(self, count: int) -> None:
        self.evenings.setSuffix(ngettext(" evening", " evenings", count))

    def chosen_goals(self) -> list[Goal]:
        """The ticked goals, as they will be stored."""
        goals = []
        if self.hours_goal.isChecked():
            goals.append(Goal(GoalName.WEEKLY_TOTAL, self.hours.value() * 3600))
        if self.evenings_goal.isChecked():
            goals.append(Goal(GoalName.EVENINGS_PER_WEEK, self.evenings.value()))
        return goals

    # --- moving between pages ---

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        last = index == self.pages.count() - 1
        self.step.setText(_("Step {number} of {count}").format(number=index + 1, count=self.pages.count()))
        self.back_button.setEnabled(index > 0)
        self.next_button.setText(_("&Done") if last else _("&Next"))
        self.next_button.setAccessibleName(plain(self.next_button.text()))
        # Focus on the page's first choice, or on the button that moves on when a page has none.
        buttons = {1: self.age_buttons, 2: self.title_buttons}.get(index)
        if buttons is not None:
            target = buttons.checkedButton() or buttons.buttons()[0]
            target.setFocus()
        else:
            self.next_button.setFocus()

    def _go_back(self) -> None:
        self._show_page(max(0, self.pages.currentIndex() - 1))

    def _go_next(self) -> None:
        index = self.pages.currentIndex()
        if index < self.pages.count() - 1:
            self._show_page(index + 1)
        else:
            self.done_clicked()

    # --- finishing ---

    def _chosen(self, group: QButtonGroup) -> str | None:
        button = group.checkedButton()
        return None if button is None else str(button.property("value"))

    def _save(self, values: list[tuple[str, str]]) -> bool:
        written: list[str] = []
        for key, value in values:
            try:
                set_value(self._paths.settings_file, key, value)
            except SettingsError as error:
                self.written_keys = tuple(written)
                show_error(self, _("Setting not saved"), str(error))
                return False
            written.append(key)
        self.written_keys = tuple(written)
        return True

    def _store_goals(self) -> bool:
        goals = self.chosen_goals()
        if not goals or self._save_goals is None:
            return True
        try:
            self._save_goals(goals)
        except StorageError as error:
            show_error(self, _("Goals not saved"), str(error))
            return False
        self.written_goals = tuple(goals)
        return True

    def done_clicked(self) -> None:
        """Done: save the age group (``none`` when not picked), the title choice and the ticked goals, then close."""
        age = self._chosen(self.age_buttons) or AGE_NOT_SAID
        values = [("age-group", age)]
        titles = self._chosen(self.title_buttons)
        if titles is not None and titles != self._settings.titles:
            values.append(("titles", titles))
        if self._save(values) and self._store_goals():
            self.accept()

    def reject(self) -> None:
        """Skip (also Escape and closing the window): save only what was actively chosen, then close."""
        values: list[tuple[str, str]] = []
        age = self._chosen(self.age_buttons)
        if age is not None and age != get_value(self._settings, "age-group"):
            values.append(("age-group", age))
        titles = self._chosen(self.title_buttons)
        if titles is not None and titles != self._settings.titles:
            values.append(("titles", titles))
        # Closing must always work, even when the file refuses the values: the error was shown.
        self._save(values)
        self._store_goals()
        super().reject()
