"""The Settings dialog's "Several computers" box: this computer's name, a sync folder, a shared database.

It writes through the dialog's own ``write(key, value)`` (``config.set_value`` underneath), so a value the settings
file refuses is explained there and the box shows the file's value again. Nothing here connects anywhere: a sync
runs in the application, and a new database is opened when Middenweg starts again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from middenweg.config import Settings, get_value
from middenweg.domain import lengths
from middenweg.gui.widgets import buddy_label, plain, wrapped_label
from middenweg.i18n import _

Write = Callable[[str, str], bool]


class SharingGroup(QGroupBox):
    """Opt-in sharing between computers; everything stays local until the user fills one of these in."""

    def __init__(self, write: Write, current: Callable[[], Settings], parent: QWidget | None = None) -> None:
        super().__init__(_("Several computers"), parent)
        self._write_setting, self._current = write, current
        self._settings: Settings | None = None
        form = QFormLayout(self)

        self.device_name = QLineEdit()
        self.device_name.setMaxLength(lengths.GIVEN_DEVICE_NAME)
        self.device_name.setAccessibleName(_("This computer's name"))
        self.device_name.editingFinished.connect(self._name_edited)
        form.addRow(buddy_label(_("This computer's &name:"), self.device_name), self.device_name)

        self.sync_folder = QLineEdit()
        self.sync_folder.setReadOnly(True)
        self.sync_folder.setPlaceholderText(_("Not shared"))
        self.sync_folder.setAccessibleName(_("Sync folder"))
        self.choose_folder = QPushButton(_("&Choose folder…"))
        self.choose_folder.clicked.connect(self.choose_sync_folder)
        self.stop_sync = QPushButton(_("Stop s&haring"))
        self.stop_sync.clicked.connect(lambda: self._write("sync-folder", "off"))
        form.addRow(buddy_label(_("Sync f&older:"), self.sync_folder), self.sync_folder)
        form.addRow("", _buttons(self.choose_folder, self.stop_sync))
        self.folder_note = wrapped_label("")
        form.addRow("", self.folder_note)

        self.database_url = QLineEdit()
        self.database_url.setAccessibleName(_("Shared database"))
        self.database_url.setPlaceholderText("postgresql+psycopg://USER:PASSWORD@HOST/DATABASE")
        self.use_server = QPushButton(_("&Use this server"))
        self.use_server.clicked.connect(self._server_chosen)
        self.use_local = QPushButton(_("Use this computer's fi&le"))
        self.use_local.clicked.connect(lambda: self._write("database-url", "local"))
        form.addRow(buddy_label(_("Shared data&base:"), self.database_url), self.database_url)
        form.addRow("", _buttons(self.use_server, self.use_local))
        self.database_note = wrapped_label("")
        form.addRow("", self.database_note)
        for button in (self.choose_folder, self.stop_sync, self.use_server, self.use_local):
            button.setAccessibleName(plain(button.text()))
            button.setAutoDefault(False)

    def _write(self, key: str, value: str) -> bool:
        written = self._write_setting(key, value)
        if written:
            self.show_settings(self._current())
        return written

    def show_settings(self, settings: Settings) -> None:
        """Put ``settings`` into the fields (the password of a server masked) without writing anything."""
        self._settings = settings
        self.device_name.setText(settings.device_name)
        folder = settings.sync_folder
        self.sync_folder.setText("" if folder is None else str(folder))
        self.stop_sync.setEnabled(folder is not None)
        on_server = settings.database_url is not None
        self.choose_folder.setEnabled(not on_server)
        self.folder_note.setText(
            _("Not used while a shared database is set: the computers on it already see each other's time.")
            if on_server
            else _(
                "A folder that Syncthing, Nextcloud or Dropbox keeps the same on your computers. Each computer "
                "writes only its own files there and reads the others', so every report shows your whole week."
            )
        )
        self.database_url.setText(get_value(settings, "database-url") if on_server else "")
        for field_ in (self.sync_folder, self.database_url):
            field_.setCursorPosition(0)  # a long path or URL shows its beginning, where it is recognised
        self.use_local.setEnabled(on_server)
        self.database_note.setText(
            _(
                "Your history is on this server; this computer's own file is not used. A change here is used when "
                "Middenweg starts again."
            )
            if on_server
            else _(
                "For those who run a PostgreSQL server: every computer writes its time to the same database. A "
                "change here is used when Middenweg starts again."
            )
        )

    def choose_sync_folder(self) -> None:
        start = self.sync_folder.text() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, _("Choose the sync folder"), start)
        if folder:
            self._write("sync-folder", folder)

    def _name_edited(self) -> None:
        name = self.device_name.text()
        if self._settings is not None and name != self._settings.device_name:
            self._write("device-name", name)

    def _server_chosen(self) -> None:
        url = self.database_url.text().strip()
        if self._settings is not None and url == get_value(self._settings, "database-url"):
            return  # the masked URL already in use, unchanged
        self._write("database-url", url)


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row
