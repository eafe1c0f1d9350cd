"""GUI tests run on Qt's offscreen platform, and system message boxes are answered by the test, never shown.

A real QMessageBox would wait for a click that never comes; here every question must be answered by the test
(``message_boxes.answers``) and every warning is recorded (``message_boxes.errors``), so an unexpected box fails
the test instead of hanging it. These boxes are the operating system's dialogs, the one seam the GUI tests fake.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox


@dataclass
class MessageBoxes:
    """What the code under test asked and warned about; ``answers`` are popped for questions (True = Yes)."""

    answers: list[bool] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[MessageBoxes]:
    boxes = MessageBoxes()

    def question(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        boxes.questions.append(text)
        if not boxes.answers:
            raise AssertionError(f"an unexpected question: {text}")
        return QMessageBox.StandardButton.Yes if boxes.answers.pop(0) else QMessageBox.StandardButton.No

    def warning(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        boxes.errors.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(warning))
    yield boxes
    assert not boxes.answers, f"answers that were never asked for: {boxes.answers}"
