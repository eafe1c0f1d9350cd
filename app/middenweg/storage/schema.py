"""The tables, as SQLAlchemy Core: what every query in ``store`` is written against.

Compactness matters (years of history, one row per focus change): devices, apps, titles and windows are lookup
tables and an event row is four small integers. Events never cross a 15-minute UTC boundary (``QUARTER``); every
time zone in use today has an offset that is a multiple of 15 minutes, so a local day is cut exactly by an event's
start, and a range query needs to look back at most one quarter. ``models`` maps typed ORM classes onto these same
tables; the tracker imports only this module, which keeps sqlalchemy.orm (~6 MB) out of its memory. Text lengths
come from ``domain.lengths``, which the checks and shortening before storage use too: PostgreSQL enforces them and
SQLite does not, so nothing may reach a column longer than it is.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

from middenweg.domain import lengths

#: Events are split at multiples of this many seconds since the epoch (see the module docstring).
QUARTER = 900

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

#: UTC epoch seconds: SQLite's INTEGER holds 64 bits; on PostgreSQL, INTEGER would end in January 2038, so BIGINT.
EPOCH = Integer().with_variant(BigInteger(), "postgresql")

#: Small facts about the database itself (the rules fingerprint).
meta = Table(
    "meta",
    metadata,
    Column("key", String(lengths.META_KEY), primary_key=True),
    Column("value", Text, nullable=False),
)

#: A computer or phone: ``uid`` is stable; ``host_key`` finds it again on import; ``name`` is for people.
devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(lengths.DEVICE_UID), unique=True, nullable=False),
    Column("host_key", String(lengths.DEVICE_HOST_KEY), unique=True, nullable=False),
    Column("name", String(lengths.DEVICE_NAME), nullable=False),
    Column("kind", String(lengths.DEVICE_KIND), nullable=False),
    CheckConstraint("kind IN ('computer', 'phone')", name="kind"),
)

apps = Table(
    "apps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(lengths.APP_NAME), unique=True, nullable=False),
)

titles = Table(
    "titles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, unique=True, nullable=False),
)

#: An (app, title) pair with the category and label the rules gave it. Re-categorising history rewrites this small
#: table, never the events. A window whose title was kept out has title_id NULL and keeps its category.
windows = Table(
    "windows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("app_id", ForeignKey("apps.id"), nullable=False),
    Column("title_id", ForeignKey("titles.id"), nullable=True),
    Column("category", String(lengths.CATEGORY), nullable=False),
    Column("label", String(lengths.LABEL), nullable=False),
    CheckConstraint("category IN ('social', 'messaging', 'other')", name="category"),
)

#: One stretch of use, clustered by start so a week is one contiguous range of the table.
events = Table(
    "events",
    metadata,
    Column("start", EPOCH, primary_key=True),
    Column("device_id", ForeignKey("devices.id"), primary_key=True),
    Column("duration", SmallInteger, nullable=False),
    Column("window_id", ForeignKey("windows.id"), nullable=False),
    CheckConstraint(f"duration > 0 AND duration <= {QUARTER}", name="duration"),
    sqlite_with_rowid=False,
)

#: The import ledger: periods of a device already imported, so a second import never counts them again.
import_spans = Table(
    "import_spans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("device_id", ForeignKey("devices.id"), nullable=False, index=True),
    Column("start", EPOCH, nullable=False),
    Column("end", EPOCH, nullable=False),
)

#: The moments a device's screen was unlocked (ActivityWatch for Android's unlock bucket), in whole UTC epoch
#: seconds. The key makes an unlock one row however often it is imported; reports count them per local day.
unlocks = Table(
    "unlocks",
    metadata,
    Column("device_id", ForeignKey("devices.id"), primary_key=True),
    Column("at", EPOCH, primary_key=True),
    sqlite_with_rowid=False,
)

#: Planned evenings. Times are minutes after local midnight in ``time_zone``; ``weekdays`` is a bit mask (bit 0 =
#: Monday), 0 for a one-off on ``first_date``. Removing an evening keeps its row (``removed_at``) so check-ins and
#: streaks keep their history.
evenings = Table(
    "evenings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(lengths.EVENING_TITLE), nullable=False),
    Column("kind", String(lengths.EVENING_KIND), nullable=False),
    Column("start_minute", SmallInteger, nullable=False),
    Column("end_minute", SmallInteger, nullable=False),
    Column("first_date", Date, nullable=False),
    Column("weekdays", SmallInteger, nullable=False),
    Column("every", SmallInteger, nullable=False),
    Column("time_zone", String(lengths.TIME_ZONE), nullable=False),
    Column("friends", JSON, nullable=False),
    Column("remind_before", JSON, nullable=False),
    Column("end_note", Boolean, nullable=False),
    Column("checkin", Boolean, nullable=False),
    Column("created_at", EPOCH, nullable=False),
    Column("removed_at", EPOCH, nullable=True),
    CheckConstraint("kind IN ('phone-free', 'screen-free')", name="kind"),
)

#: One occurrence skipped (new_date NULL) or moved, without changing the series.
evening_changes = Table(
    "evening_changes",
    metadata,
    Column("evening_id", ForeignKey("evenings.id"), primary_key=True),
    Column("date", Date, primary_key=True),
    Column("new_date", Date, nullable=True),
    Column("new_start_minute", SmallInteger, nullable=True),
    Column("new_end_minute", SmallInteger, nullable=True),
)

#: The morning-after check-in of one occurrence.
checkins = Table(
    "checkins",
    metadata,
    Column("evening_id", ForeignKey("evenings.id"), primary_key=True),
    Column("date", Date, primary_key=True),
    Column("result", String(lengths.CHECKIN_RESULT), nullable=False),
    Column("slipped_seconds", Integer, nullable=False),
    Column("recorded_at", EPOCH, nullable=False),
    CheckConstraint("result IN ('kept', 'partly', 'not')", name="result"),
)

#: The user's goals: a weekly or daily limit in seconds, or a number of evenings per week (``name`` as in
#: ``domain.goals.GoalName``). A goal that is switched off has no row.
goals = Table(
    "goals",
    metadata,
    Column("name", String(lengths.GOAL_NAME), primary_key=True),
    Column("value", Integer, nullable=False),
    Column("updated_at", EPOCH, nullable=False),
)

#: Every reminder, nudge and summary shown once (its key names the evening, date or period), so that none is shown
#: twice, also across restarts; slip nudges read their last time from here too.
delivered = Table(
    "delivered",
    metadata,
    Column("key", String(lengths.DELIVERED_KEY), primary_key=True),
    Column("at", EPOCH, nullable=False),
)
