"""The tray application: one per data folder, tracking in-process, with a dashboard a click away.

Start-up order: ask an already running Middenweg to show its dashboard (and exit 0); take the tracker lock (a
headless tracker holding it is reported, exit 1); start tracking; wait up to ~10 s for a tray to appear (at login it
may come late); without one, show the dashboard and say why, and keep tracking.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from middenweg import i18n
from middenweg.bootstrap import LOOK_AT_FILES_EVERY, Context
from middenweg.domain.weeks import IsoWeek, day_boundaries, local_date
from middenweg.gui.driver import TrackingDriver
from middenweg.gui.handover import ask_running_instance, same_user, server_name
from middenweg.gui.scheduler_driver import SchedulerDriver
from middenweg.gui.tray import Tray, evening_line, icon
from middenweg.gui.tray_notifier import TrayNotifier
from middenweg.i18n import _
from middenweg.instance import AlreadyRunningError, InstanceLock
from middenweg.reports.weekly import CategorySeconds
from middenweg.storage.errors import StorageError
from middenweg.tracking.pause import PauseFile, pause_until
from middenweg.tracking.runner import StoreSink
from middenweg.tracking.sampler import Sampler, TrackState
from middenweg.tracking.select import ProbeSet, select_probes

if TYPE_CHECKING:
    from datetime import date

    from middenweg.domain.categories import Category
    from middenweg.domain.goals import Goal
    from middenweg.gui.checkin_dialog import CheckinDialog
    from middenweg.gui.dashboard import Dashboard, DeviceChoice, WeekData
    from middenweg.gui.folder_sync import FolderSync, SyncOutcome

TRAY_WAIT_SECONDS = 10.0
EXIT_OK, EXIT_ERROR = 0, 1


class NoDisplayError(Exception):
    """There is no graphical session to show a window or tray icon in."""


def ensure_display(environ: Mapping[str, str] | None = None) -> None:
    """Qt aborts the process when it cannot reach a display; say so in a sentence instead."""
    env = os.environ if environ is None else environ
    if sys.platform.startswith("linux") and not (
        env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM")
    ):
        raise NoDisplayError(
            _(
                "Middenweg needs a desktop session to show its tray icon and windows (DISPLAY is not set). "
                "Use `middenweg track --headless` to keep track without one, or `middenweg report` for this week."
            )
        )


def install_qt_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Qt's own strings (standard buttons, dialogs) in the same language as ours."""
    if language == "en":
        return []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translators = []
    for name in ("qtbase",):
        translator = QTranslator(app)
        if translator.load(QLocale(language), name, "_", folder):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def release_startup_memory() -> None:
    """Give back what start-up allocated and freed (import-time garbage): a tray app should stay small all day."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    if sys.platform.startswith("linux"):
        libc = ctypes.util.find_library("c")
        if libc:
            ctypes.CDLL(libc).malloc_trim(0)


class TrayApplication:
    """Everything the running app holds. Build with ``start``; ``quit`` stops tracking cleanly."""

    def __init__(self, ctx: Context, app: QApplication, probes: ProbeSet | None, lock: InstanceLock) -> None:
        self.ctx, self.app, self.probes, self.lock = ctx, app, probes, lock
        self.store = ctx.store()
        self.device = ctx.local_device()
        self.pause_file = PauseFile(ctx.paths.data_dir / "pause.json")
        self.driver: TrackingDriver | None = None
        if probes is not None:
            sampler = Sampler(
                probes.window,
                probes.idle,
                probes.media,
                ctx.rules()[0],
                StoreSink(self.store, self.device),
                idle_after=ctx.settings.idle_after,
                policy=ctx.title_policy,
                exclusions=ctx.exclusions,
                paused=self.pause_file.active,
            )
            self.driver = TrackingDriver(sampler, ctx.clock)
        self._dashboard: Dashboard | None = None
        self.tray = Tray(
            self._today,
            self.pause_file,
            lambda spec: pause_until(spec, ctx.clock.time(), ctx.tz),
        )
        self.tray.dashboard_requested.connect(self.show_dashboard)
        self.tray.evenings_requested.connect(self.show_evenings)
        self.tray.goals_requested.connect(self.show_goals)
        self.tray.phone_requested.connect(self.show_phone)
        self.tray.settings_requested.connect(self.show_settings)
        self.tray.quit_requested.connect(self.quit)
        if self.driver is not None:
            self.driver.state_changed.connect(self.tray.set_state)
        # Reminders and nudges: plyer, else the tray icon's own message, else the log.
        self.notifier = ctx.notifier([TrayNotifier(self.tray.icon)])
        self.scheduler = ctx.scheduler(
            self.notifier, on_checkin=self.show_checkin, on_phone=lambda _day: self.show_phone()
        )
        self.reminders = SchedulerDriver(self.scheduler, ctx.clock)
        self.reminders.woke.connect(self._show_evening)
        self.tray.goals = self._goal_lines
        if self.driver is not None:
            self.driver.ticked.connect(self.reminders.on_tick)
            self.driver.ticked.connect(lambda _result: self._show_evening())
        self.server = QLocalServer()
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)
        self._settings_dialog: Any = None
        self._welcome: Any = None
        self.qt_translators: list[QTranslator] = []
        self._stopped = False
        self._sync_timer: QTimer | None = None
        self._folder_sync: FolderSync | None = None
        self._file_timer = QTimer()  # `middenweg config set …` or an edited rules file while the app runs
        self._file_timer.timeout.connect(self._look_at_files)

    @property
    def dashboard(self) -> Dashboard:
        """Built when first needed: a tray app that is never opened does not hold its widgets (or their code)."""
        if self._dashboard is None:
            from middenweg.gui.dashboard import Dashboard, Planner
            from middenweg.storage.evening_store import EveningStore
            from middenweg.storage.goal_store import GoalStore

            def totals(start: int, end: int) -> dict[Category, int]:
                if self.driver is not None and not self._stopped:
                    self.driver.sampler.flush()  # goals count the last seconds too
                return self.store.category_totals(start, end)

            planner = Planner(
                evenings=EveningStore(self.store),
                goals=GoalStore(self.store),
                now=lambda: int(self.ctx.clock.time()),
                tz=lambda: self.ctx.tz,
                tz_name=lambda: self.ctx.tz_name,
                totals=totals,
                changed=self._plans_changed,
                last_week=self._last_week,
            )
            self._dashboard = Dashboard(
                self._load_week,
                self._this_week,
                self._export_week,
                planner=planner,
                devices=self._device_choices,
                load_device_week=self._load_device_week,
                add_phone=self.show_phone,
            )
            self._dashboard.setWindowIcon(icon("middenweg.svg"))
        return self._dashboard

    # -- data for the windows ---------------------------------------------------------------------------------

    def _this_week(self) -> IsoWeek:
        return IsoWeek.containing(local_date(int(self.ctx.clock.time()), self.ctx.tz))

    def _load_week(self, week: IsoWeek) -> WeekData:
        from middenweg.gui.dashboard import TREND_WEEKS, WeekData
        from middenweg.history import weekly_report, weekly_totals

        report = weekly_report(self.store, week, self.ctx.tz, self.ctx.settings.age_group)
        trend = weekly_totals(self.store, week, TREND_WEEKS, self.ctx.tz)
        return WeekData(report, trend)

    def _device_choices(self) -> list[DeviceChoice]:
        """The devices with any history, for the dashboard's device filter."""
        from middenweg.gui.dashboard import DeviceChoice

        return [DeviceChoice(d.uid, d.name, d.kind) for d in self.store.devices_with_history()]

    def _load_device_week(self, week: IsoWeek, uid: str) -> WeekData:
        """One device's week and trend (the filter's choice)."""
        from middenweg.gui.dashboard import TREND_WEEKS, WeekData
        from middenweg.history import weekly_report, weekly_totals

        ids = [d.id for d in self.store.devices() if d.uid == uid]
        report = weekly_report(self.store, week, self.ctx.tz, self.ctx.settings.age_group, device_ids=ids)
        trend = weekly_totals(self.store, week, TREND_WEEKS, self.ctx.tz, device_ids=ids)
        return WeekData(report, trend)

    def _plans_changed(self) -> None:
        """Evenings, skips, check-ins or goals were stored in the dashboard: plan the reminders again now."""
        self.scheduler.invalidate()
        if not self._stopped:
            self.reminders.wake()
        self.tray.refresh()  # the goals' lines

    def _last_week(self) -> tuple[IsoWeek, str]:
        """Last week's summary, the same text as the Monday notification."""
        from middenweg.nudges.texts import summary_text

        now = int(self.ctx.clock.time())
        week = IsoWeek.containing(local_date(now, self.ctx.tz)).previous()
        return week, summary_text(self.scheduler.week_summary(week, now))

    def _goal_lines(self) -> list[str]:
        """The tray menu's goal lines: the same words as `middenweg goals show`."""
        from middenweg.cli_goals import progress_line

        try:
            return [progress_line(progress) for progress in self.scheduler.goal_progress(int(self.ctx.clock.time()))]
        except StorageError:
            return []  # a locked database: the next refresh tries again

    def _show_evening(self, *, again: bool = False) -> None:
        """The tray says when an evening is on and how long it has left (changed only when the text changes)."""
        now = int(self.ctx.clock.time())
        try:
            on = self.scheduler.current_evening(now)
        except StorageError:
            return  # a locked database: the next tick tries again
        text = None if on is None else evening_line(on[0].kind, on[1].end - now)
        if again or text != self.tray.evening:
            self.tray.set_evening(text)

    def _today(self) -> CategorySeconds:
        now = self.ctx.clock.time()
        today = local_date(int(now), self.ctx.tz)
        start, end = day_boundaries([today], self.ctx.tz)
        return CategorySeconds.from_mapping(self.store.category_totals(start, end))

    def _export_week(self, week: IsoWeek, path: Path) -> int:
        from middenweg.gui.dashboard import write_csv_atomically
        from middenweg.history import export_history

        days = week.days()
        return write_csv_atomically(
            path,
            lambda out: export_history(self.store, out, "csv", self.ctx.tz, days[0], days[-1], self.ctx.clock.time()),
        )

    # -- windows ----------------------------------------------------------------------------------------------

    def show_dashboard(self, week: IsoWeek | None = None) -> None:
        """Show the dashboard. Opened before, it appears at once with its last view and is brought up to date
        right after (charts take ~0.2 s to draw); the first time it is drawn before it is shown."""
        if self.dashboard.data is not None and not self.dashboard.isVisible():
            self._raise_dashboard()
            QTimer.singleShot(0, lambda: self._update_dashboard(week))
            return
        self._update_dashboard(week)
        self._raise_dashboard()

    def _update_dashboard(self, week: IsoWeek | None) -> None:
        if self.driver is not None and not self._stopped:
            self.driver.sampler.flush()  # show the last seconds too, not only what the last timed write saved
        self.dashboard.show_week(week or self._this_week())

    def _raise_dashboard(self) -> None:
        if not self.dashboard.isVisible():
            screen = self.dashboard.screen().availableGeometry()
            self.dashboard.resize(min(780, screen.width() - 40), min(900, screen.height() - 60))
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()

    def show_evenings(self) -> None:
        """The dashboard on its Evenings section (the week is drawn only when its section is chosen)."""
        self.dashboard.show_evenings()
        self._raise_dashboard()

    def show_goals(self) -> None:
        """The dashboard on its Goals section, with this week's progress as of now."""
        self.dashboard.show_goals()
        self._raise_dashboard()

    def show_checkin(self, evening_id: int, day: date, slipped_seconds: int | None = None) -> bool:
        """Ask how the evening of ``day`` (its series date) went, e.g. when the morning notification is clicked.

        ``slipped_seconds`` is what goes against the evening in the history; None reads it from the history here.
        False (and nothing shown) when there is no such evening any more. One check-in window at a time: asking for
        another evening replaces it.
        """
        from middenweg.evenings.recurrence import Error as RecurrenceError
        from middenweg.evenings.recurrence import occurrence_on
        from middenweg.gui.checkin_dialog import CheckinDialog
        from middenweg.history import slipped_seconds as measured
        from middenweg.storage.evening_store import EveningStore

        evenings = EveningStore(self.store)
        evening = evenings.get(evening_id)
        if evening is None:
            return False
        if slipped_seconds is None:
            try:
                occurrence = occurrence_on(evening, evenings.changes(), day)
            except RecurrenceError:
                occurrence = None  # the question can still be answered without the measurement
            if occurrence is not None:
                slipped_seconds = measured(self.store.category_totals, evening, occurrence)
        old: CheckinDialog | None = getattr(self, "_checkin", None)  # the attribute is made by the first call
        if old is not None:
            old.close()
            old.deleteLater()
        dialog = CheckinDialog(
            evenings,
            evening,
            day,
            now=lambda: int(self.ctx.clock.time()),
            tz=lambda: self.ctx.tz,
            slipped=slipped_seconds,
        )
        dialog.setWindowIcon(icon("middenweg.svg"))
        dialog.answered.connect(lambda _result: self._dashboard.refresh_planner() if self._dashboard else None)
        self._checkin = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return True

    def show_phone(self) -> None:
        """The dialog to enter (or correct) a day's phone time; one at a time."""
        from middenweg.gui.phone_dialog import PhoneDialog

        old = getattr(self, "_phone", None)
        if old is not None and old.isVisible():
            old.raise_()
            old.activateWindow()
            return
        dialog = PhoneDialog(self.store, now=lambda: int(self.ctx.clock.time()), tz=lambda: self.ctx.tz)
        dialog.setWindowIcon(icon("middenweg.svg"))
        dialog.saved.connect(self._phone_saved)
        self._phone = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _phone_saved(self) -> None:
        """New phone time counts in the week, the goals and the tray at once."""
        if self._dashboard is not None:
            self._dashboard.refresh_planner()
            if self._dashboard.isVisible():
                self._dashboard.refresh()
        self._plans_changed()

    def show_welcome(self) -> None:
        """The first-run welcome: what Middenweg does, the age group, title privacy (can be skipped)."""
        from middenweg.gui.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.ctx.paths, save_goals=self._save_goals)
        dialog.finished.connect(lambda _result: self._setting_changed("age-group"))
        self._welcome = dialog
        dialog.open()

    def _save_goals(self, goals: Sequence[Goal]) -> None:
        """Goals chosen outside the dashboard (the welcome): stored, and shown in the dashboard if it is built."""
        from middenweg.storage.goal_store import GoalStore

        GoalStore(self.store).set(goals, cleared=(), now=int(self.ctx.clock.time()))
        if self._dashboard is not None:
            self._dashboard.refresh_planner()
        self._plans_changed()

    def show_settings(self) -> None:
        from middenweg.gui.settings_dialog import SettingsDialog

        if self._settings_dialog is None:
            self._settings_dialog = SettingsDialog(
                self.ctx.paths, self.store, on_changed=self._setting_changed, save_goals=self._save_goals
            )
        self._settings_dialog.show()
        self._settings_dialog.raise_()
        self._settings_dialog.activateWindow()

    def _remake_settings(self) -> None:
        """After a language change the settings window is made again in the new language: same place, same page."""
        old = self._settings_dialog
        if old is None:
            return
        self._settings_dialog = None
        visible, geometry, page = old.isVisible(), old.geometry(), old.tabs.currentIndex()
        old.hide()
        old.deleteLater()  # it is still inside its language box's signal
        if visible:
            self.show_settings()
            self._settings_dialog.setGeometry(geometry)
            self._settings_dialog.tabs.setCurrentIndex(page)
            self._settings_dialog.language.setFocus()

    def _setting_changed(self, key: str) -> None:
        from middenweg.config import load_settings

        self.ctx.settings = load_settings(self.ctx.paths.settings_file)
        if key == "rules":
            self.ctx.reload_rules()  # and re-categorise stored history with them
            if self.driver is not None:
                self.driver.sampler.set_rules(self.ctx.rules()[0])
        if self.driver is not None:
            sampler = self.driver.sampler
            sampler.idle_after = self.ctx.settings.idle_after
            sampler.set_privacy(self.ctx.title_policy, self.ctx.exclusions)
        if key == "language":
            language = i18n.resolve_language(self.ctx.settings.language)
            i18n.activate(language)
            for translator in self.qt_translators:
                self.app.removeTranslator(translator)
            self.qt_translators = install_qt_translations(self.app, language)
            self.tray.retranslate()
            self._show_evening(again=True)  # in the new language
            if self._dashboard is not None:
                self._dashboard.retranslate()
            self._remake_settings()
        self._arm_sync()
        if self._dashboard is not None and self._dashboard.isVisible():
            self._dashboard.refresh()
        self.tray.refresh()

    # -- single instance --------------------------------------------------------------------------------------

    def _on_connection(self) -> None:
        if not self.server.hasPendingConnections():
            return
        socket = self.server.nextPendingConnection()
        if not same_user(socket):  # besides the socket's mode: not even root's processes may hand over (#9)
            socket.abort()
            return
        socket.waitForReadyRead(1000)
        words = bytes(socket.readAll().data()).decode("utf-8", "replace").split()
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        week = None
        if len(words) > 1:
            try:
                week = IsoWeek.parse(words[1])
            except ValueError:
                week = None
        self.show_dashboard(week)

    # -- life cycle -------------------------------------------------------------------------------------------

    def start(self, *, dashboard_week: IsoWeek | None, open_dashboard: bool) -> None:
        name = server_name(self.ctx.paths.data_dir)
        QLocalServer.removeServer(name)  # a stale socket file of a crashed instance (we hold the lock)
        self.server.listen(name)
        if self.driver is not None:
            self.driver.start()
        self.reminders.start()
        notices = list(self.ctx.notices)  # e.g. a damaged database kept aside (#9): shown, not left to stderr
        open_dashboard = open_dashboard or bool(notices)
        if self.probes is None or (self.driver is not None and self.driver.state is TrackState.UNSUPPORTED):
            reason = (
                self.driver.last.status.reason if self.driver and self.driver.last and self.driver.last.status else ""
            )
            notices.append(reason or _("Middenweg cannot see the active window here."))
        if notices:
            self.dashboard.set_notice("\n".join(notices))
        if open_dashboard or dashboard_week is not None:
            self.show_dashboard(dashboard_week)
        if not self.ctx.settings.age_group_asked:
            self.show_welcome()
        self._wait_for_tray(time.monotonic() + TRAY_WAIT_SECONDS)
        QTimer.singleShot(3000, release_startup_memory)
        self._arm_sync()
        self._file_timer.start(int(LOOK_AT_FILES_EVERY * 1000))

    def _arm_sync(self) -> None:
        """Sync every few minutes while a sync folder is set (and soon after it is set); stop when it is cleared."""
        from middenweg.sync_folder import SYNC_EVERY

        if self.ctx.settings.folder_to_sync is None:
            if self._sync_timer is not None:
                self._sync_timer.stop()
            return
        if self._sync_timer is None:
            self._sync_timer = QTimer()
            self._sync_timer.timeout.connect(self.sync_folder)
        if not self._sync_timer.isActive():
            self._sync_timer.start(int(SYNC_EVERY * 1000))
            QTimer.singleShot(5000, self.sync_folder)

    def _look_at_files(self) -> None:
        language = self.ctx.settings.language
        settings_changed, rules_changed = self.ctx.reload_changed_files()
        if rules_changed:
            self._setting_changed("rules")
        if settings_changed:
            self._setting_changed("language" if self.ctx.settings.language != language else "settings")

    def sync_folder(self, *, wait: bool = False) -> None:
        """Share this computer's time and read the others' through the sync folder (every few minutes, and at
        the end, then waiting for it), on the worker thread; problems show on the dashboard's notice line."""
        folder = self.ctx.settings.folder_to_sync
        if folder is None or self._stopped:
            return
        if self.driver is not None:
            self.driver.sampler.flush()  # the last seconds go along
        if self._folder_sync is None:
            from middenweg.gui.folder_sync import FolderSync

            self._folder_sync = FolderSync(self.ctx.open_store)
            self._folder_sync.finished.connect(self._synced, Qt.ConnectionType.QueuedConnection)
        now = int(self.ctx.clock.time())
        if wait:  # at quit: after a run still going, one more with the last seconds, and its outcome said
            self._synced(self._folder_sync.run_now(folder, home=self.device, tz=self.ctx.tz, now=now))
        else:
            self._folder_sync.start(folder, home=self.device, tz=self.ctx.tz, now=now)

    def _synced(self, outcome: SyncOutcome) -> None:
        if outcome.read and self._dashboard is not None and self._dashboard.isVisible():
            self._dashboard.refresh()
        for problem in outcome.problems:
            sys.stderr.write(_("middenweg: {message}").format(message=problem) + "\n")
        if outcome.problems and self._dashboard is not None:
            self._dashboard.set_notice("\n".join(outcome.problems))

    def _wait_for_tray(self, deadline: float) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
            sys.stderr.write(_("Middenweg is running in the system tray.") + "\n")
            sys.stderr.flush()
            return
        if time.monotonic() < deadline:
            QTimer.singleShot(250, lambda: self._wait_for_tray(deadline))
            return
        sys.stderr.write(_("No system tray was found; showing the dashboard instead. Middenweg keeps track.") + "\n")
        self.dashboard.set_notice(
            _(
                "Your desktop shows no system tray, so Middenweg has no icon there. It keeps track while this "
                "window is open or minimised; closing it hides it, and `middenweg dashboard` shows it again."
            )
        )
        self.show_dashboard()

    def quit(self) -> None:
        self.stop()
        self.app.quit()

    def stop(self) -> None:
        if self._stopped:
            return
        self.sync_folder(wait=True)  # the last minutes, shared before the computer goes off
        self._stopped = True
        self._file_timer.stop()
        if self._sync_timer is not None:
            self._sync_timer.stop()
        if self._folder_sync is not None:
            self._folder_sync.close()
        self.reminders.stop()
        if self.driver is not None:
            self.driver.stop()
        self.tray.hide()
        self.server.close()
        if self.probes is not None:
            self.probes.close()
        self.ctx.close()
        self.lock.release()


def show_startup_problem(message: str) -> int:
    """Why the tray app cannot start, on stderr and in a message box, before anything else was built."""
    ensure_display()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Middenweg")
    return _cannot_start(message)


def _cannot_start(message: str) -> int:
    """Say why the tray app cannot start where a person sees it (started from the menu there is no terminal)."""
    from PySide6.QtWidgets import QMessageBox

    sys.stderr.write(_("middenweg: {message}").format(message=message) + "\n")
    QMessageBox.critical(None, "Middenweg", message)
    return EXIT_ERROR


def run(ctx: Context, *, dashboard_week: IsoWeek | None = None, open_dashboard: bool = False) -> int:
    """Start the tray app (or hand over to the running one). Returns the process exit code."""
    ensure_display()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Middenweg")
    app.setApplicationDisplayName("Middenweg")
    app.setDesktopFileName("nl.middenweg.Middenweg")  # the menu entry, so Wayland shows its name and icon
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(icon("middenweg.svg"))
    name = server_name(ctx.paths.data_dir)
    message = "dashboard" + (f" {dashboard_week}" if dashboard_week else "")
    if ask_running_instance(name, message):
        sys.stdout.write(_("Middenweg is already running; its dashboard is open now.") + "\n")
        return EXIT_OK
    lock = InstanceLock(ctx.paths.data_dir / "tracker.lock", "middenweg (tray)")
    try:
        ctx.paths.ensure()
        lock.acquire()
    except AlreadyRunningError as exc:
        sys.stderr.write(_("middenweg: {message}").format(message=exc) + "\n")
        return EXIT_ERROR
    except OSError as exc:  # a read-only or unwritable data folder
        from middenweg.storage.engine import data_folder_error

        return _cannot_start(str(data_folder_error(ctx.paths.data_dir, exc)))
    ctx.holds_tracker_lock = True
    translators = install_qt_translations(app, i18n.active_language())
    probes, _attempts = select_probes()
    try:
        tray_app = TrayApplication(ctx, app, probes, lock)
    except StorageError as exc:  # a newer, foreign or unreadable database: said in a window, nothing changed
        if probes is not None:
            probes.close()
        ctx.close()
        lock.release()
        return _cannot_start(str(exc))
    tray_app.qt_translators = translators
    app.aboutToQuit.connect(tray_app.stop)

    def on_signal(_signum: int, _frame: Any) -> None:
        tray_app.quit()

    for signame in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, signame):
            signal.signal(getattr(signal, signame), on_signal)
    # Python runs signal handlers only between bytecodes: wake the interpreter regularly while Qt waits.
    waker = QTimer()
    waker.timeout.connect(lambda: None)
    waker.start(500)
    tray_app.start(dashboard_week=dashboard_week, open_dashboard=open_dashboard)
    code = app.exec()
    tray_app.stop()
    return int(code)
