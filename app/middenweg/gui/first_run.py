"""The welcome shown on first start (and again from Settings): what Middenweg does, the age group, title privacy.

Four short pages (welcome, age group, window titles, weekly goal) with Back, Next/Done and Skip. Done writes the
age group (``none`` when nothing was picked) so the application knows it asked; Skip writes only what the person
actually chose, and leaves the age group unset otherwise so that Middenweg may ask again another time. Enter goes
to the next page (Done on the last), Escape skips. Settings are written through `middenweg.config.set_value` only;
this dialog must never write a value the person did not see.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from middenweg.config import Settings, SettingsError, get_value, load_settings, set_value
from middenweg.gui.widgets import (
    AGE_GROUP_CHOICES,
    AGE_GROUP_EXPLANATION,
    AGE_NOT_SAID,
    TITLE_CHOICES,
    plain,
    show_error,
    wrapped_label,
)
from middenweg.i18n import _
from middenweg.paths import Paths


class FirstRunDialog(QDialog):
    """The welcome dialog. After it closes, `written_keys` says which settings it wrote."""

    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self.written_keys: tuple[str, ...] = ()
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
        page, layout = self._page(_("A weekly goal"))
        layout.addWidget(
            wrapped_label(
                _(
                    "Setting a weekly goal for social media and messaging is not possible yet. It comes in a "
                    "later version of Middenweg; you will find it in Settings."
                )
            )
        )
        layout.addWidget(wrapped_label(_("Press Done to start. Middenweg keeps running in the system tray.")))
        layout.addStretch(1)
        return page

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

    def done_clicked(self) -> None:
        """Done: save the age group (``none`` when not picked) and the title choice, then close."""
        age = self._chosen(self.age_buttons) or AGE_NOT_SAID
        values = [("age-group", age)]
        titles = self._chosen(self.title_buttons)
        if titles is not None and titles != self._settings.titles:
            values.append(("titles", titles))
        if self._save(values):
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
        super().reject()
