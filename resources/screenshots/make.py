"""Make the README screenshots, in English and Dutch, from a demo home: `python resources/screenshots/make.py`.

Windows are rendered offscreen from the real widgets; the tray menu needs a real tray, so that one runs the app on
a private Xvfb with icewm (the test desktop) and grabs the screen around the menu.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TZ = ZoneInfo("Europe/Amsterdam")

GRAB_SCREEN = r"""
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
image = app.primaryScreen().grabWindow(0).toImage()
x, y, w, h = (int(v) for v in sys.argv[2:6])
image.copy(x, y, w, h).save(sys.argv[1])
"""


def windows(lang: str, home: Path) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["MIDDENWEG_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication, QScrollArea

    from middenweg import i18n
    from middenweg.bootstrap import Context
    from middenweg.gui.app import TrayApplication, install_qt_translations
    from middenweg.gui.first_run import FirstRunDialog
    from middenweg.gui.settings_dialog import SettingsDialog
    from middenweg.instance import InstanceLock

    app = QApplication.instance() or QApplication([])
    i18n.activate(lang)
    install_qt_translations(app, lang)  # type: ignore[arg-type]
    ctx = Context.create()
    i18n.activate(lang)
    tray_app = TrayApplication(ctx, app, None, InstanceLock(home / "data" / "shot.lock", "screenshots"))  # type: ignore[arg-type]
    board = tray_app.dashboard
    board.resize(780, 900)
    board.show_week(tray_app._this_week().previous())  # a whole week
    scroll_body = board.week_page.findChild(QScrollArea).widget()  # the Week section's whole content
    scroll_body.resize(760, scroll_body.sizeHint().height())
    scroll_body.grab().save(str(HERE / f"dashboard-{lang}.png"))
    board.resize(780, 900)
    board.show()  # laid out at its real size (a hidden window keeps its first size)
    board.device_box.setCurrentIndex(board.device_box.count() - 1)  # the phone's week alone
    for _ in range(3):
        app.processEvents()
    board.grab().save(str(HERE / f"dashboard-phone-{lang}.png"))
    board.device_box.setCurrentIndex(0)
    for section, name in ((board.show_evenings, "evenings"), (board.show_goals, "goals")):
        section()
        for _ in range(3):
            app.processEvents()
        board.grab().save(str(HERE / f"{name}-{lang}.png"))
    page = board.evenings_page
    page.evening_list.setCurrentRow(0)
    page.edit_evening()
    app.processEvents()
    page.dialog.grab().save(str(HERE / f"evening-dialog-{lang}.png"))
    page.dialog.reject()
    page.move_next()
    app.processEvents()
    page.move_dialog.grab().save(str(HERE / f"move-dialog-{lang}.png"))
    page.move_dialog.reject()
    past = page.past[-1]
    tray_app.show_checkin(past.evening_id, past.date)
    app.processEvents()
    tray_app._checkin.grab().save(str(HERE / f"checkin-{lang}.png"))
    tray_app._checkin.close()
    tray_app.show_phone()
    app.processEvents()
    tray_app._phone.grab().save(str(HERE / f"phone-dialog-{lang}.png"))
    tray_app._phone.close()
    settings = SettingsDialog(ctx.paths, ctx.store())
    settings.show()
    for index in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(index)
        app.processEvents()
        settings.grab().save(str(HERE / f"settings-{index + 1}-{lang}.png"))
    welcome = FirstRunDialog(ctx.paths)
    welcome.show()
    app.processEvents()
    welcome.grab().save(str(HERE / f"welcome-{lang}.png"))


def tray_menu(lang: str, home: Path) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from desktop import running_desktop, stop_process, wait_until

    with tempfile.TemporaryDirectory() as tmp, running_desktop(Path(tmp)) as desk:
        env = desk.env(MIDDENWEG_HOME=str(home), PYTHONPATH=str(REPO / "app"), LANGUAGE=lang, TZ=TZ.key)
        log = Path(tmp) / "app.log"
        app = subprocess.Popen(
            [sys.executable, "-m", "middenweg"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_until(lambda: "system tray" in log.read_text() or "systeemvak" in log.read_text(), "tray", timeout=40)
            time.sleep(1)
            desk.xdotool("mousemove", "1106", "787")
            desk.xdotool("click", "3")
            time.sleep(1.5)
            subprocess.run(
                [sys.executable, "-c", GRAB_SCREEN, str(HERE / f"tray-{lang}.png"), "760", "440", "520", "360"],
                env=env, check=True,
            )  # fmt: skip
        finally:
            stop_process(app, timeout=10)


def main() -> int:
    from middenweg.demo import make_demo_home

    lang = sys.argv[1] if len(sys.argv) > 1 else None
    if lang is None:  # one process per language: gettext and Qt translators are process-wide
        for code in ("en", "nl"):
            subprocess.run([sys.executable, __file__, code], check=True)
        return 0
    with tempfile.TemporaryDirectory(prefix="middenweg-shots-") as tmp:
        home = Path(tmp) / "home"
        from middenweg import i18n

        i18n.activate(lang)  # the demo's evening is named in the language it is made in
        make_demo_home(home, now=time.time(), tz=TZ)
        tray_menu(lang, home)
        windows(lang, home)
    return 0


if __name__ == "__main__":
    sys.exit(main())
