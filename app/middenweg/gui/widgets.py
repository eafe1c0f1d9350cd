"""Small pieces the dialogs share: labelled controls, the choices they offer, and the two OS message boxes.

Labels carry a mnemonic (``&``) and are the buddy of their control, and each control gets an accessible name, so
every setting can be reached from the keyboard and read by a screen reader. Confirmation and error boxes go through
`confirm` and `show_error` only, so tests answer them at one place. Nothing here reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from middenweg.domain.age import AgeGroup
from middenweg.i18n import N_

#: The "age-group" value for "prefer not to say" (see config).
AGE_NOT_SAID = "none"


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a setting: the value written to the settings file, its label and an optional explanation.
    ``label`` and ``explanation`` are N_-marked English; translate them where they are shown."""

    value: str
    label: str
    explanation: str = ""


AGE_GROUP_CHOICES: tuple[Choice, ...] = (
    Choice(AgeGroup.UNDER_16.value, N_("Under 16")),
    Choice(AgeGroup.AGE_16_24.value, N_("16 to 24")),
    Choice(AgeGroup.AGE_25_34.value, N_("25 to 34")),
    Choice(AgeGroup.AGE_35_44.value, N_("35 to 44")),
    Choice(AgeGroup.AGE_45_54.value, N_("45 to 54")),
    Choice(AgeGroup.AGE_55_64.value, N_("55 to 64")),
    Choice(AgeGroup.AGE_65_PLUS.value, N_("65 or older")),
    Choice(AGE_NOT_SAID, N_("Prefer not to say")),
)

TITLE_CHOICES: tuple[Choice, ...] = (
    Choice(
        "social-only",
        N_("&Only for social and messaging windows"),
        N_("Shows which chat or site took the time; titles of other windows are not stored."),
    ),
    Choice(
        "all",
        N_("&All windows"),
        N_("Stores every window title, so you can see exactly what you did."),
    ),
    Choice(
        "none",
        N_("Non&e"),
        N_("Stores only the app's name; sites in a browser are still recognised while you use them."),
    ),
)

AGE_GROUP_EXPLANATION = N_("Middenweg uses it only to set your time beside what studies found for people your age.")


def plain(text: str) -> str:
    """``text`` without its mnemonic marker ("&Language:" -> "Language"), for accessible names."""
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip(":").strip()


def buddy_label(text: str, control: QWidget) -> QLabel:
    """A visible label with a mnemonic for ``control``; it also names the control for screen readers."""
    label = QLabel(text)
    label.setBuddy(control)
    if not control.accessibleName():
        control.setAccessibleName(plain(text))
    return label


def wrapped_label(text: str, *, selectable: bool = False) -> QLabel:
    """A paragraph that wraps to the dialog's width (Dutch runs about a third longer than English)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
    return label


def confirm(parent: QWidget, title: str, question: str) -> bool:
    """Ask a yes/no question in a system message box; No is the default. True when the answer is Yes.

    The Yes and No buttons are Qt's standard ones, translated by the Qt translator the application installs.
    """
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget, title: str, message: str) -> None:
    """Show a problem a person can act on (the message says what to do) in a warning box."""
    QMessageBox.warning(parent, title, message)
