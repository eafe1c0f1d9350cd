"""The composition root: builds settings, language, time zone, storage and rules once and hands them down.

Nothing here runs at import time; ``Context`` opens the database and reads the rules only when first asked, so
``middenweg --version`` or ``config get`` never touch the database.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from middenweg import i18n
from middenweg.clock import Clock, SystemClock
from middenweg.config import Settings, SettingsError, load_settings_with_warnings
from middenweg.domain import lengths
from middenweg.domain.categories import Category
from middenweg.domain.events import DeviceKind
from middenweg.i18n import _
from middenweg.instance import AlreadyRunningError, InstanceLock
from middenweg.notifications import LogNotifier, Notifier, NotifierChain, PlyerNotifier
from middenweg.paths import Paths
from middenweg.privacy import DEFAULT_EXCLUSIONS, Exclusions, TitlePolicy
from middenweg.private_files import write_private
from middenweg.rules import RuleProblem, RuleSet, load_rules
from middenweg.storage.engine import data_folder_error, move_aside
from middenweg.storage.errors import DamagedDatabaseError
from middenweg.storage.records import DeviceRecord, DeviceSpec
from middenweg.storage.store import Categorise, Store
from middenweg.timezone import resolve_time_zone, zone_name

if TYPE_CHECKING:
    from middenweg.scheduler import Scheduler

log = logging.getLogger(__name__)

RULES_FINGERPRINT_KEY = "rules_fingerprint"

#: In the data folder: the uid of this computer's device (see ``Context.local_device``).
THIS_COMPUTER_FILE = "this-computer"

#: Seconds between looks at settings.toml and rules.toml while tracking (a stat of each: a few microseconds).
LOOK_AT_FILES_EVERY = 5.0

#: A file's inode, modification time and size, or None when it is missing or unreadable. The inode tells two
#: versions apart even within one tick of the file system's clock: Middenweg and most editors save by renaming a new
#: file over the old one.
FileStamp = tuple[int, int, int] | None


def file_stamp(path: Path) -> FileStamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@dataclass
class Context:
    """What one run of Middenweg works with. Build it with ``Context.create``."""

    paths: Paths
    settings: Settings
    settings_warnings: list[str]
    clock: Clock
    environ: Mapping[str, str]
    _store: Store | None = field(default=None, repr=False)
    _rules: tuple[RuleSet, list[RuleProblem]] | None = field(default=None, repr=False)
    #: True once this process holds the tracker lock (the tracker, the tray app): no other Middenweg uses the files.
    holds_tracker_lock: bool = False
    #: Sentences the user must see (a damaged database kept aside); ``on_notice`` shows each as it comes.
    notices: list[str] = field(default_factory=list)
    on_notice: Callable[[str], None] | None = field(default=None, repr=False)
    #: What settings.toml and rules.toml looked like when last read (see ``reload_changed_files``).
    _stamps: dict[str, FileStamp] = field(default_factory=dict, repr=False)

    @classmethod
    def create(cls, environ: Mapping[str, str] | None = None, clock: Clock | None = None) -> Context:
        env = dict(os.environ if environ is None else environ)
        paths = Paths.from_environment(env)
        stamps = {"settings": file_stamp(paths.settings_file)}
        settings, warnings = load_settings_with_warnings(paths.settings_file)
        i18n.activate(i18n.resolve_language(settings.language, env))
        return cls(paths, settings, warnings, clock or SystemClock(), env, _stamps=stamps)

    @property
    def tz(self) -> ZoneInfo:
        return resolve_time_zone(self.settings.time_zone, self.environ)

    @property
    def tz_name(self) -> str:
        return zone_name(self.tz)

    @property
    def title_policy(self) -> TitlePolicy:
        return TitlePolicy(self.settings.titles)

    @property
    def exclusions(self) -> Exclusions:
        """The built-in privacy exclusions plus the user's own (the ``exclude`` setting)."""
        return Exclusions.from_patterns((*DEFAULT_EXCLUSIONS, *self.settings.exclude))

    def rules(self) -> tuple[RuleSet, list[RuleProblem]]:
        if self._rules is None:
            self._stamps["rules"] = file_stamp(self.paths.rules_file)
            self._rules = load_rules(self.paths.rules_file)
        return self._rules

    def reload_changed_files(self) -> tuple[bool, bool]:
        """Read settings.toml and rules.toml again if they changed on disk; say (settings, rules) changed.

        ``middenweg config set titles none`` or a new rule must reach a tracker that runs for days, not wait for
        the next login. A settings file that no longer reads is said once, and the settings in use are kept.
        """
        settings_changed = rules_changed = False
        stamp = file_stamp(self.paths.settings_file)
        if stamp != self._stamps.get("settings"):
            self._stamps["settings"] = stamp
            try:
                settings, warnings = load_settings_with_warnings(self.paths.settings_file)
            except SettingsError as exc:
                self.notice(_("{problem} Middenweg goes on with the settings it had.").format(problem=exc))
            else:
                for warning in warnings:
                    self.notice(warning)
                old, self.settings = self.settings, settings
                settings_changed = settings != old
                if settings.language != old.language:
                    i18n.activate(i18n.resolve_language(settings.language, self.environ))
                if settings.database_url != old.database_url and self._store is not None:
                    self.notice(_("The new database setting is used when Middenweg starts again."))
        if self._rules is not None and file_stamp(self.paths.rules_file) != self._stamps.get("rules"):
            self.reload_rules()
            for problem in self.rules()[1]:
                self.notice(str(problem))
            rules_changed = True
        return settings_changed, rules_changed

    def reload_rules(self) -> None:
        """Read rules.toml again (after the settings window added a rule) and re-categorise history with it."""
        self._rules = None
        if self._store is not None:
            self._sync_rules(self._store)

    def store(self) -> Store:
        """The database, opened (and migrated) on first use; history follows the current rules.

        With ``database-url`` set, the shared PostgreSQL database: the local file is then never opened, so nothing a
        server does (or fails to do) can touch it.
        """
        if self._store is None:
            try:
                self.paths.ensure()
            except OSError as exc:
                raise data_folder_error(self.paths.data_dir, exc) from exc
            if self.settings.database_url is not None:
                store = self.open_store()
            else:
                try:
                    store = Store.open(self.paths.database_file)
                except DamagedDatabaseError as damage:  # only the local file is ever moved aside
                    store = self._start_over(damage)
            try:
                self._sync_rules(store)
            except BaseException:
                store.close()
                raise
            self._store = store
        return self._store

    def open_store(self) -> Store:
        """One more connection to the database ``store`` uses, for another thread (a store is one thread's)."""
        if self.settings.database_url is not None:
            return Store.open_url(self.settings.database_url)
        return Store.open(self.paths.database_file)

    def _start_over(self, damage: DamagedDatabaseError) -> Store:
        """The rule for a damaged database (#9): keep it beside the new one under a timestamped name, never delete or
        overwrite it, start a new database, and tell the user where the old one is."""
        path = self.paths.database_file
        guard = None
        if not self.holds_tracker_lock:  # never pull the file from under a running tracker
            guard = InstanceLock(self.paths.data_dir / "tracker.lock", "middenweg (keeping a damaged database)")
            try:
                guard.acquire()
            except (AlreadyRunningError, OSError):
                raise DamagedDatabaseError(
                    _(
                        "The database {path} is damaged, and Middenweg is running in this data folder, so the file "
                        "was left as it is. Quit Middenweg and start it again to keep the damaged file aside and "
                        "begin a new database."
                    ).format(path=path)
                ) from damage
        try:
            stamp = datetime.fromtimestamp(self.clock.time(), self.tz).strftime("%Y%m%d-%H%M%S")
            try:
                kept = move_aside(path, stamp)
            except OSError as exc:
                raise DamagedDatabaseError(
                    _(
                        "The database {path} is damaged and could not be moved aside ({problem}); it has not been "
                        "changed. Move it elsewhere yourself to start a new database."
                    ).format(path=path, problem=exc.strerror or exc)
                ) from damage
            store = Store.open(path)
        finally:
            if guard is not None:
                guard.release()
        self.notice(
            _(
                "The database {path} was damaged, so Middenweg started a new one. The damaged file is kept as "
                "{kept}; nothing in it was deleted."
            ).format(path=path, kept=kept)
        )
        return store

    def notice(self, text: str) -> None:
        """Something the user must be told (kept in ``notices`` for windows that open later)."""
        self.notices.append(text)
        if self.on_notice is not None:
            self.on_notice(text)

    def _sync_rules(self, store: Store) -> None:
        ruleset, _problems = self.rules()
        if store.get_meta(RULES_FINGERPRINT_KEY) != ruleset.fingerprint:
            store.recategorise(categoriser(ruleset))
            store.set_meta(RULES_FINGERPRINT_KEY, ruleset.fingerprint)

    def local_device(self) -> DeviceRecord:
        """This computer; its display name comes from the settings.

        In its own database it is the device with this host name. On a shared server another computer may have the
        same host name, so each computer remembers its device's uid in its own data folder and is found by that.
        """
        store = self.store()
        host = socket.gethostname()
        name = self.settings.device_name or host
        remembered = self._remembered_device()
        if self.settings.database_url is None:
            device = store.ensure_device(DeviceSpec(host, name, DeviceKind.COMPUTER))
        else:
            device = store.claim_computer(host, name, remembered)
        if device.uid != remembered:
            self._remember_device(device.uid)
        if device.name != self.settings.device_name and self.settings.device_name:
            store.rename_device(device.uid, self.settings.device_name)
        return device

    def _remembered_device(self) -> str | None:
        try:
            text = (self.paths.data_dir / THIS_COMPUTER_FILE).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text if 0 < len(text) <= lengths.DEVICE_UID and text.isprintable() else None

    def _remember_device(self, uid: str) -> None:
        try:
            write_private(self.paths.data_dir / THIS_COMPUTER_FILE, (uid + "\n").encode())
        except OSError:
            log.warning("Could not remember this computer's device in %s", self.paths.data_dir, exc_info=True)

    def notifier(self, middle: Sequence[Notifier] = ()) -> NotifierChain:
        """plyer first, then ``middle`` (the Qt tray message when the GUI runs), then the log file."""
        log_file = self.paths.log_dir / "notifications.log"
        return NotifierChain([PlyerNotifier(self.environ), *middle, LogNotifier(log_file, self.clock)])

    def scheduler(
        self,
        notifier: NotifierChain,
        on_checkin: Callable[[int, date], object] | None = None,
        on_phone: Callable[[date], object] | None = None,
    ) -> Scheduler:
        """Reminders and nudges over this context's store, settings and time zone (read again when they change)."""
        from middenweg.scheduler import Scheduler

        return Scheduler(
            self.store(),
            lambda: self.settings,
            lambda: self.tz,
            notifier.send,
            on_checkin=on_checkin,
            on_phone=on_phone,
        )

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def categoriser(ruleset: RuleSet) -> Categorise:
    """Adapt a RuleSet to the (category, label) callable that storage re-categorises with."""

    def categorise(app: str, title: str | None) -> tuple[Category, str]:
        result = ruleset.classify(app, title)
        return result.category, result.label

    return categorise
