"""The nightly arrears run (vroegsignalering, ``docs/adr/0003-vroegsignalering.md``), set-based.

``run_arrears(corporation, run_on)`` computes, for every tenancy of one corporation, the balance of
its rent account on ``run_on`` and the day its current arrears arose, writes an ``ArrearsRun`` with
one ``ArrearsSnapshot`` per tenancy in arrears, and opens, updates and closes ``ArrearsEpisode`` rows.

Everything per tenancy is SQL: one window-function query over the ledger (``INSERT … SELECT``), then
``UPDATE … FROM`` / ``INSERT … SELECT`` statements driven by this run's snapshot rows. No Python
loop over tenancies. The same SQL runs on SQLite (>= 3.33: window functions, ``UPDATE … FROM``) and
PostgreSQL; the only dialect branches are the concurrency guard and one date addition.

Definitions (per tenancy, over the corporation's ledger lines with ``effective_on <= run_on``):

- *balance* = the sum of ``amount_cents``; the tenancy is in arrears iff balance > 0;
- *arose_on* = the first ledger day after the last day whose end-of-day balance was <= 0 (or the
  first ledger day if it never was). Computed on per-day sums: a day starts the current arrears
  iff its end-of-day balance is > 0 and the balance before that day was <= 0; when the final
  balance is > 0 the last such day is arose_on;
- *months* = balance / monthly rent in cents, rounded half up to 2 decimals in integer arithmetic
  (identical on both databases; 0 when the rent is 0; capped at 9999.99, the column's maximum).

Episodes: an open episode continues while the tenancy is in arrears with the same arose_on (amount,
months, peak, last_run_on updated). Otherwise it is closed on ``run_on``: the tenancy paid off, or
paid off and relapsed between two runs (then a new episode opens the same night). Either way the
arrears of that episode ended, so both get the same outcome rule when no outcome was recorded:
``arrangement`` (an active or completed payment arrangement), else ``debt_help`` (a signal answered
with a debt-help status), else ``recovered``; its active arrangements become completed. Runs only move
forward: a run for a date before the corporation's last run is refused (it would reopen history).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Tenancy

from .models import (
    DEBT_HELP_STATUSES,
    ArrearsEpisode,
    ArrearsRun,
    ArrearsSnapshot,
    Instalment,
    LedgerLine,
    PaymentArrangement,
    Signal,
)

logger = logging.getLogger(__name__)

RETENTION_DAYS = 400
# First key of the PostgreSQL advisory lock that serialises runs of one corporation ("ARRR").
LOCK_NAMESPACE = 0x41525252


def _q(model) -> str:
    return f'"{model._meta.db_table}"'


LEDGER, TENANCY = _q(LedgerLine), _q(Tenancy)
RUN, SNAPSHOT, EPISODE = _q(ArrearsRun), _q(ArrearsSnapshot), _q(ArrearsEpisode)
ARRANGEMENT, INSTALMENT, SIGNAL = _q(PaymentArrangement), _q(Instalment), _q(Signal)
OPEN, CLOSED = ArrearsEpisode.Status.OPEN.value, ArrearsEpisode.Status.CLOSED.value
ACTIVE, COMPLETED = PaymentArrangement.Status.ACTIVE.value, PaymentArrangement.Status.COMPLETED.value
DEBT_HELP = sorted(str(s) for s in DEBT_HELP_STATUSES)
_DEBT_HELP_MARKS = ", ".join(["%s"] * len(DEBT_HELP))

# Parameters: corporation_id, run_on. Rows: (tenancy_id, balance, arose_on) of tenancies in arrears.
ARREARS_CTE = f"""
daily AS (
    SELECT tenancy_id, effective_on AS day, SUM(amount_cents) AS delta
    FROM {LEDGER}
    WHERE corporation_id = %s AND effective_on <= %s
    GROUP BY tenancy_id, effective_on
),
running AS (
    SELECT tenancy_id, day, delta,
           SUM(delta) OVER (PARTITION BY tenancy_id ORDER BY day
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS eod
    FROM daily
),
arrears AS (
    SELECT tenancy_id, CAST(SUM(delta) AS BIGINT) AS balance,
           MAX(CASE WHEN eod > 0 AND eod - delta <= 0 THEN day END) AS arose_on
    FROM running
    GROUP BY tenancy_id
    HAVING SUM(delta) > 0
)"""  # noqa: S608 - table names from model metadata

# The benchmark's reference: the per-tenancy computation alone, as one plain query.
BARE_ARREARS_SQL = f"WITH {ARREARS_CTE}\nSELECT tenancy_id, balance, arose_on FROM arrears"

# Rent in cents; months in hundredths, rounded half up (balance > 0, rent > 0: integer division; the
# casts to BIGINT matter on PostgreSQL, where SUM(bigint) is numeric).
_RENT = "CAST(ROUND(t.monthly_rent * 100) AS BIGINT)"
_HUNDREDTHS = f"(a.balance * 200 + {_RENT}) / (2 * {_RENT})"
_MONTHS = (
    f"CASE WHEN {_RENT} <= 0 THEN 0 WHEN {_HUNDREDTHS} > 999999 THEN 9999.99 ELSE {_HUNDREDTHS} / 100.0 END"
)

INSERT_SNAPSHOTS = f"""
WITH {ARREARS_CTE}
INSERT INTO {SNAPSHOT} (run_id, tenancy_id, amount_cents, months, arose_on, episode_id)
SELECT %s, a.tenancy_id, a.balance, {_MONTHS}, a.arose_on, NULL
FROM arrears a JOIN {TENANCY} t ON t.id = a.tenancy_id"""  # noqa: S608

# An open episode continues iff this run has a snapshot of its tenancy with the same arose_on.
_NOT_CONTINUED = f"""NOT EXISTS (
    SELECT 1 FROM {SNAPSHOT} s
    WHERE s.run_id = %s AND s.tenancy_id = {EPISODE}.tenancy_id AND s.arose_on = {EPISODE}.arose_on)"""  # noqa: S608

CLOSE_EPISODES = f"""
UPDATE {EPISODE} SET
    status = '{CLOSED}',
    closed_on = %s,
    outcome = CASE
        WHEN outcome <> '' THEN outcome
        WHEN EXISTS (SELECT 1 FROM {ARRANGEMENT} pa
                     WHERE pa.episode_id = {EPISODE}.id AND pa.status IN ('{ACTIVE}', '{COMPLETED}'))
            THEN 'arrangement'
        WHEN EXISTS (SELECT 1 FROM {SIGNAL} sg
                     WHERE sg.episode_id = {EPISODE}.id AND sg.status IN ({_DEBT_HELP_MARKS}))
            THEN 'debt_help'
        ELSE 'recovered' END,
    outcome_on = CASE WHEN outcome <> '' THEN outcome_on ELSE %s END
WHERE corporation_id = %s AND status = '{OPEN}' AND {_NOT_CONTINUED}"""  # noqa: S608

UPDATE_EPISODES = f"""
UPDATE {EPISODE} SET
    amount_cents = s.amount_cents,
    months = s.months,
    peak_cents = CASE WHEN s.amount_cents > {EPISODE}.peak_cents THEN s.amount_cents ELSE {EPISODE}.peak_cents END,
    last_run_on = %s
FROM {SNAPSHOT} s
WHERE s.run_id = %s AND s.tenancy_id = {EPISODE}.tenancy_id AND s.arose_on = {EPISODE}.arose_on
  AND {EPISODE}.corporation_id = %s AND {EPISODE}.status = '{OPEN}'"""  # noqa: S608

OPEN_EPISODES = f"""
INSERT INTO {EPISODE} (corporation_id, tenancy_id, status, arose_on, opened_on, closed_on, amount_cents,
                       months, peak_cents, last_run_on, outcome, outcome_on, handler_id)
SELECT %s, s.tenancy_id, '{OPEN}', s.arose_on, %s, NULL, s.amount_cents, s.months, s.amount_cents, %s, '',
       NULL, NULL
FROM {SNAPSHOT} s
WHERE s.run_id = %s
  AND NOT EXISTS (SELECT 1 FROM {EPISODE} e WHERE e.tenancy_id = s.tenancy_id AND e.status = '{OPEN}')"""  # noqa: S608

LINK_SNAPSHOTS = f"""
UPDATE {SNAPSHOT} SET episode_id = e.id
FROM {EPISODE} e
WHERE {SNAPSHOT}.run_id = %s AND e.tenancy_id = {SNAPSHOT}.tenancy_id
  AND e.corporation_id = %s AND e.status = '{OPEN}'"""  # noqa: S608

# Open instalments of active arrangements past their due date plus grace: kept iff the balance on
# that day is at most the arrangement's total minus the instalments due up to and including this one.
_CHECK_INSTALMENTS = """
UPDATE {instalment} SET status = c.verdict, checked_on = %s
FROM (
    SELECT i.id,
           CASE WHEN (SELECT COALESCE(SUM(l.amount_cents), 0) FROM {ledger} l
                      WHERE l.tenancy_id = e.tenancy_id AND l.corporation_id = %s
                        AND l.effective_on <= {deadline})
                     <= pa.total_cents - (SELECT SUM(i2.amount_cents) FROM {instalment} i2
                                          WHERE i2.arrangement_id = i.arrangement_id AND i2.number <= i.number)
                THEN 'kept' ELSE 'broken' END AS verdict
    FROM {instalment} i
    JOIN {arrangement} pa ON pa.id = i.arrangement_id
    JOIN {episode} e ON e.id = pa.episode_id
    WHERE i.status = 'open' AND pa.status = '{active}' AND e.corporation_id = %s AND {deadline} <= %s
) c
WHERE {instalment}.id = c.id"""
_DEADLINE = {
    "postgresql": "(i.due_on + pa.grace_days)",
    "sqlite": "date(i.due_on, '+' || pa.grace_days || ' days')",
}


class ArrearsRunError(Exception):
    """The run was refused (a run for a later date exists: episodes only move forward in time)."""


def _check_instalments_sql(vendor: str) -> str:
    return _CHECK_INSTALMENTS.format(
        instalment=INSTALMENT, ledger=LEDGER, arrangement=ARRANGEMENT, episode=EPISODE, active=ACTIVE,
        deadline=_DEADLINE.get(vendor, _DEADLINE["postgresql"]),
    )


def _lock(cursor, corporation_id: int) -> None:
    """Serialise runs of one corporation until the transaction ends. On SQLite the write lock taken
    at BEGIN (``transaction_mode`` IMMEDIATE in the settings) already serialises every writer."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, int(corporation_id)])


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def bare_arrears(corporation_id: int, run_on: dt.date) -> list[tuple[int, int, dt.date]]:
    """``BARE_ARREARS_SQL``: (tenancy_id, balance in cents, arose_on) of the tenancies in arrears,
    ordered by tenancy id."""
    with connection.cursor() as cursor:
        cursor.execute(BARE_ARREARS_SQL, [corporation_id, run_on])
        rows = cursor.fetchall()
    return sorted((int(t), int(b), _as_date(a)) for t, b, a in rows)


def corporations_to_run():
    """Active corporations that have ledger lines: what the nightly run covers."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.CORPORATION, is_active=True
    ).filter(Exists(LedgerLine.objects.filter(corporation_id=OuterRef("pk")))).order_by("pk")


def run_arrears(corporation: Organisation | int, run_on: dt.date) -> ArrearsRun:
    """Run the arrears computation for one corporation on reference date ``run_on`` (idempotent:
    a second run for the same date replaces the first). Raises ``ArrearsRunError`` when a run for a
    later date exists."""
    corporation_id = getattr(corporation, "pk", corporation)
    if isinstance(run_on, dt.datetime) or not isinstance(run_on, dt.date):
        raise TypeError("run_on must be a date")
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, corporation_id)
        later = ArrearsRun.objects.filter(corporation_id=corporation_id, run_on__gt=run_on).order_by("-run_on").first()
        if later is not None:
            raise ArrearsRunError(
                _("Er is al een achterstandsrun van %(later)s; een run voor %(date)s zou de dossiers terugzetten.")
                % {"later": later.run_on.isoformat(), "date": run_on.isoformat()}
            )
        _delete_runs(cursor, ArrearsRun.objects.filter(corporation_id=corporation_id, run_on=run_on))
        run = ArrearsRun.objects.create(corporation_id=corporation_id, run_on=run_on, started_at=timezone.now())

        cursor.execute(INSERT_SNAPSHOTS, [corporation_id, run_on, run.pk])
        cursor.execute(_check_instalments_sql(connection.vendor), [run_on, corporation_id, corporation_id, run_on])
        _complete_arrangements(corporation_id, run.pk)
        cursor.execute(CLOSE_EPISODES, [run_on, *DEBT_HELP, run_on, corporation_id, run.pk])
        cursor.execute(UPDATE_EPISODES, [run_on, run.pk, corporation_id])
        cursor.execute(OPEN_EPISODES, [corporation_id, run_on, run_on, run.pk])
        cursor.execute(LINK_SNAPSHOTS, [run.pk, corporation_id])
        _apply_retention(cursor, corporation_id, run_on)

        cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM {SNAPSHOT} WHERE run_id = %s",  # noqa: S608
                       [run.pk])
        run.tenancies_in_arrears, run.total_cents = (int(v) for v in cursor.fetchone())
        # Counted by date, not by this run's statements, so that a re-run reports the same figures.
        episodes = ArrearsEpisode.objects.filter(corporation_id=corporation_id)
        run.episodes_opened = episodes.filter(opened_on=run_on).count()
        run.episodes_closed = episodes.filter(status=CLOSED, closed_on=run_on).count()
        run.finished_at = timezone.now()
        run.save(update_fields=["tenancies_in_arrears", "total_cents", "episodes_opened", "episodes_closed",
                                "finished_at"])
    logger.info("arrears run corporation=%s run_on=%s in_arrears=%s opened=%s closed=%s", corporation_id,
                run_on, run.tenancies_in_arrears, run.episodes_opened, run.episodes_closed)
    return run


def _complete_arrangements(corporation_id: int, run_id: int) -> None:
    """Active arrangements of the episodes this run is about to close are completed (paid off).
    Through the ORM, one save per arrangement, so that the audit log records the change; these are
    few (episodes that end tonight and have an active arrangement)."""
    closing = ArrearsEpisode.objects.filter(corporation_id=corporation_id, status=OPEN).exclude(
        Exists(ArrearsSnapshot.objects.filter(run_id=run_id, tenancy_id=OuterRef("tenancy_id"),
                                              arose_on=OuterRef("arose_on")))
    )
    for arrangement in PaymentArrangement.objects.filter(episode__in=closing, status=ACTIVE).order_by("pk"):
        arrangement.status = COMPLETED
        arrangement.save(update_fields=["status"])


def _delete_runs(cursor, runs) -> None:
    ids = list(runs.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(f"DELETE FROM {SNAPSHOT} WHERE run_id IN ({marks})", chunk)  # noqa: S608
        cursor.execute(f"DELETE FROM {RUN} WHERE id IN ({marks})", chunk)  # noqa: S608


def _apply_retention(cursor, corporation_id: int, run_on: dt.date) -> None:
    """Delete runs older than ``RETENTION_DAYS`` before ``run_on``, except the last run of each
    calendar month (the monthly management figures use month-end runs). The list of runs is short:
    about 400 plus 12 a year."""
    cutoff = run_on - dt.timedelta(days=RETENTION_DAYS)
    runs = list(ArrearsRun.objects.filter(corporation_id=corporation_id).values_list("pk", "run_on"))
    last_of_month: dict[tuple[int, int], dt.date] = {}
    for _pk, day in runs:
        key = (day.year, day.month)
        last_of_month[key] = max(day, last_of_month.get(key, day))
    doomed = [pk for pk, day in runs if day < cutoff and day != last_of_month[(day.year, day.month)]]
    if doomed:
        _delete_runs(cursor, ArrearsRun.objects.filter(pk__in=doomed))
