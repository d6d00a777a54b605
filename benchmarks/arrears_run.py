#!/usr/bin/env python
"""The nightly arrears run (``wijkpunt.arrears.run.run_arrears``) against the bare SQL query.

What it does, per size (a fresh database each time):

1. a fresh database (SQLite file in a temporary WIJKPUNT_VAR_DIR, or the PostgreSQL database
   ``wijkpunt_bench``, dropped and created), migrated; one corporation, one neighbourhood;
2. synthetic data generated **in SQL** (PostgreSQL ``INSERT … SELECT generate_series``, SQLite the
   same statements over a recursive CTE), with the secondary indexes, unique and foreign-key
   constraints of the four loaded tables dropped during the load and built again afterwards (the
   run is measured with the real schema in place; PostgreSQL gets ``VACUUM ANALYZE`` as autovacuum
   would, SQLite no ANALYZE unless ``--sqlite-analyze``): N units, households and tenancies (rent
   450–900 EUR), 12 months of rent charges due on the 1st (December 2025 – November 2026) and
   payments, written month by month as monthly imports would: 86 % pay the full rent on day 1–3,
   8 % on day 10–25, 4 % pay only 60–90 % (sliding into arrears), 2 % pay nothing for three months
   and then catch up over nine (4/3 of the rent). The class of a tenancy comes from a hash of its id,
   so the data are the same on both databases;
3. timed: the bare query (``BARE_ARREARS_SQL``, fetched) on 14 November 2026; run 1 on 14 November
   (every episode new); then 1 in 2 sliding tenancies gets a payment arrangement of 6 monthly
   instalments (due the 10th from June, grace 5 days; the ones before November already checked), so
   run 2 on 15 November (the steady state: episodes updated, late payers' episodes closed) checks
   one instalment per arrangement;
4. ``--reps`` (default 3 up to 100k tenancies, else 1): run 2 is repeated (a re-run replaces the
   run of that date: the same statements, minus the few episodes and instalments that changed),
   with a bare query before and after each; ratio = median run 2 / median bare query on 15 November;
5. memory, from the first timed query on (the peaks are reset after the load): Python's peak
   (tracemalloc; it does not see libpq's or SQLite's own buffers) during the runs and the bare
   queries, the process's peak RSS and, on PostgreSQL, the server backend's peak RSS (VmHWM:
   includes the shared buffers it touched); the time per SQL statement of the first run 2.

Usage:  .venv/bin/python benchmarks/arrears_run.py --db sqlite|postgres [--sizes 10000,100000]
        [--budget 3600] [--nice-backend 10] [--keep]
Touches only 127.0.0.1 and a temporary directory. Prints tables; figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

LIMITS = {"sqlite": 200_000, "postgres": 2_500_000}
DEFAULT_SIZES = {"sqlite": "10000", "postgres": "100000"}
FIRST_MONTH = dt.date(2025, 12, 1)
MONTHS = 12
RUN_1, RUN_2 = dt.date(2026, 11, 14), dt.date(2026, 11, 15)
LOADED = ["housing_unit", "housing_household", "housing_tenancy", "arrears_ledgerline"]


def month_start(m: int) -> dt.date:
    year, month = divmod(FIRST_MONTH.month - 1 + m, 12)
    return dt.date(FIRST_MONTH.year + year, month + 1, 1)


def h(k: int) -> str:
    """A deterministic pseudo-random 0..65535 from the row id."""
    return C.pseudo_random("id", k)


class Dialect(C.SqlDialect):
    def plus_days(self, day: dt.date, expr: str) -> str:
        if self.db == "postgres":
            return f"(DATE '{day.isoformat()}' + ({expr}))"
        return f"date('{day.isoformat()}', '+' || ({expr}) || ' days')"

    @property
    def now(self) -> str:
        return "now()" if self.db == "postgres" else "CURRENT_TIMESTAMP"


# --------------------------------------------------------------------------- schema around the load


def drop_secondary(cur, db: str) -> list[str]:
    """Drop secondary indexes and unique/foreign-key constraints of the loaded tables; return the
    statements that restore them (indexes and unique constraints first, then foreign keys)."""
    restore, fks = [], []
    for table in LOADED:
        if db == "postgres":
            cur.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')", [table])
            constraints = cur.fetchall()
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table])
            for name, definition in cur.fetchall():
                cur.execute(f'DROP INDEX "{name}"')
                restore.append(definition)
            for name, kind, definition in constraints:
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                (fks if kind == "f" else restore).append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        else:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL", [table])
            for name, sql in cur.fetchall():
                cur.execute(f'DROP INDEX "{name}"')
                restore.append(sql)
    return restore + fks


def generate(db: str, n: int) -> dict:
    from django.db import connection, transaction

    from wijkpunt.core.models import Organisation
    from wijkpunt.housing.models import Municipality, Neighbourhood

    d = Dialect(db)
    corp = Organisation.objects.create(name="Woonstichting Bench", slug="bench", kind="corporatie")
    muni = Municipality.objects.create(code="GM0355", name="Zeist")
    buurt = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                         district_name="Noord", municipality=muni)
    t0 = time.perf_counter()
    if db == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA foreign_keys = OFF")
            cur.execute("PRAGMA cache_size = -500000")
            cur.execute("PRAGMA synchronous = OFF")
    with transaction.atomic(), connection.cursor() as cur:
        restore = drop_secondary(cur, db)
        prefix, series = d.series(n)
        cur.execute(
            f"{prefix}INSERT INTO housing_unit (id, corporation_id, complex_id, neighbourhood_id, code, kind, street, "
            "house_number, house_letter, house_number_addition, postcode, city, bag_id, latitude, longitude) "
            f"SELECT n, {corp.pk}, NULL, {buurt.pk}, 'E' || n, 'MGW', 'Merelstraat', n, '', '', '3701AB', 'Zeist', "
            f"NULL, NULL, NULL FROM {series}")
        cur.execute(
            f"{prefix}INSERT INTO housing_household (id, corporation_id, name, composition, size, contact_phone, "
            "contact_email, initials, surname_prefix, surname, birth_date) "
            f"SELECT n, {corp.pk}, 'Huishouden ' || n, 'gezin', 2, '', '', '', '', '', NULL FROM {series}")
        cur.execute("CREATE TABLE bench_tenancy (id BIGINT PRIMARY KEY, rent BIGINT NOT NULL, cls INTEGER NOT NULL, "
                    "h INTEGER NOT NULL)")
        by_id = series.replace("g(n)", "g(id)") if db == "postgres" else "(SELECT n AS id FROM g) g"
        cur.execute(
            f"{prefix}INSERT INTO bench_tenancy (id, rent, cls, h) "
            f"SELECT id, 45000 + ({h(1)} % 451) * 100, "
            f"CASE WHEN {h(2)} % 100 < 86 THEN 0 WHEN {h(2)} % 100 < 94 THEN 1 WHEN {h(2)} % 100 < 98 THEN 2 "
            f"ELSE 3 END, {h(3)} FROM {by_id}")
        cur.execute(
            "INSERT INTO housing_tenancy (id, contract_number, unit_id, household_id, start_date, end_date, "
            "monthly_rent) SELECT id, 'HO' || id, id, id, '2020-01-01', NULL, rent / 100.0 FROM bench_tenancy")
        columns = ("corporation_id, tenancy_id, transaction_id, kind, detail, booked_on, effective_on, amount_cents, "
                   "description, imported_at")
        payday = "CASE cls WHEN 0 THEN 1 + h % 3 WHEN 1 THEN 10 + h % 16 WHEN 2 THEN 5 + h % 16 ELSE 20 END"
        for m in range(MONTHS):
            first = month_start(m)
            catch_up = "rent + rent / 3" if m < MONTHS - 1 else "rent + 3 * rent - 8 * (rent / 3)"
            cur.execute(
                f"INSERT INTO arrears_ledgerline ({columns}) SELECT {corp.pk}, id, 'V' || id || '-{m}', 'VOR', '', "
                f"'{first}', '{first}', rent, '', {d.now} FROM bench_tenancy")
            paid_on = d.plus_days(first, f"{payday} - 1")
            cur.execute(
                f"INSERT INTO arrears_ledgerline ({columns}) SELECT {corp.pk}, id, 'O' || id || '-{m}', 'ONT', '', "
                f"{paid_on}, {paid_on}, -(CASE cls WHEN 2 THEN rent * (60 + h % 31) / 100 WHEN 3 THEN {catch_up} "
                f"ELSE rent END), '', {d.now} FROM bench_tenancy WHERE NOT (cls = 3 AND {m} < 3)")
        t_rows = time.perf_counter()
        for statement in restore:
            cur.execute(statement)
        if db == "postgres":
            for table in LOADED:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    t_index = time.perf_counter()
    with connection.cursor() as cur:
        if db == "postgres":
            for table in LOADED:
                cur.execute(f"VACUUM ANALYZE {table}")
        else:
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA cache_size = -2000")  # back to the default the app runs with
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.execute("SELECT COUNT(*) FROM arrears_ledgerline")
        lines = cur.fetchone()[0]
    return {"corp": corp, "lines": lines, "rows_s": t_rows - t0, "index_s": t_index - t_rows,
            "total_s": time.perf_counter() - t0}


def add_arrangements(corp_id: int, db: str) -> int:
    """Half of the sliding tenancies get an arrangement of 6 instalments due on the 10th from June;
    the ones due before November are already checked (kept), the November one is open."""
    from django.db import connection, transaction

    d = Dialect(db)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO arrears_paymentarrangement (episode_id, agreed_on, total_cents, status, grace_days, "
            f"created_by_id, created_at) SELECT e.id, '2026-05-20', e.amount_cents, 'ACT', 5, NULL, {d.now} "
            "FROM arrears_arrearsepisode e JOIN bench_tenancy b ON b.id = e.tenancy_id "
            f"WHERE e.corporation_id = {corp_id} AND e.status = 'open' AND b.cls = 2 AND b.id % 2 = 0")
        for k in range(6):
            due = dt.date(2026, 6 + k, 10)
            done = due < dt.date(2026, 11, 1)
            status, checked_on = ("kept", f"'{due + dt.timedelta(days=6)}'") if done else ("open", "NULL")
            cur.execute(
                "INSERT INTO arrears_instalment (arrangement_id, number, due_on, amount_cents, status, checked_on) "
                f"SELECT id, {k + 1}, '{due}', total_cents / 6, '{status}', {checked_on} "
                "FROM arrears_paymentarrangement")
        cur.execute("SELECT COUNT(*) FROM arrears_paymentarrangement")
        count = cur.fetchone()[0]
        if db == "postgres":
            cur.execute("ANALYZE arrears_paymentarrangement")
            cur.execute("ANALYZE arrears_instalment")
    return count


# --------------------------------------------------------------------------- measuring


def reset_peak_rss(pid: int | str | None) -> None:
    """Reset a process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0), so that the peak covers
    the measured phase only, not the load before it."""
    if pid is None:
        return
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_mib(pid: int | str | None) -> str:
    if pid is None:
        return "-"
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM"):
                return f"{int(line.split()[1]) / 1024:.0f}"
    except OSError:
        pass
    return "?"


def timed(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def bare(corp_id: int, day: dt.date):
    from django.db import connection

    from wijkpunt.arrears.run import BARE_ARREARS_SQL

    with connection.cursor() as cur:
        cur.execute(BARE_ARREARS_SQL, [corp_id, day])
        return cur.fetchall()


def run_with_statement_times(corp, day: dt.date):
    from django.db import connection

    from wijkpunt.arrears.run import run_arrears

    times: list[tuple[str, float]] = []

    def wrapper(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = " ".join(sql.split())
            times.append((label(words), time.perf_counter() - t0))

    with connection.execute_wrapper(wrapper):
        run = run_arrears(corp, day)
    return run, times


def label(sql: str) -> str:
    for needle, name in [("INSERT INTO \"arrears_arrearssnapshot\"", "snapshots (window query)"),
                         ("UPDATE \"arrears_instalment\"", "instalments"),
                         ("UPDATE \"arrears_arrearsepisode\" SET status", "close episodes"),
                         ("UPDATE \"arrears_arrearsepisode\" SET amount_cents", "update episodes"),
                         ("INSERT INTO \"arrears_arrearsepisode\"", "open episodes"),
                         ("UPDATE \"arrears_arrearssnapshot\"", "link snapshots"),
                         ("DELETE FROM", "delete runs")]:
        if needle in sql:
            return name
    return "other (ORM, counts)"


def explain(db: str, corp_id: int) -> str:
    from django.db import connection

    from wijkpunt.arrears.run import BARE_ARREARS_SQL

    with connection.cursor() as cur:
        prefix = "EXPLAIN " if db == "postgres" else "EXPLAIN QUERY PLAN "
        cur.execute(prefix + BARE_ARREARS_SQL, [corp_id, RUN_2])
        rows = cur.fetchall()
    return "\n".join("    " + (r[0] if db == "postgres" else f"{r[1]}>{r[0]} {r[-1]}") for r in rows)


def one_size(args, n: int, var_dir: Path) -> dict:
    from django.db import connections

    C.fresh_database(args.db, pg_name=args.pg_name, var_dir=var_dir, nice_backend=args.nice_backend)
    gen = generate(args.db, n)
    if args.db == "sqlite" and args.sqlite_analyze:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    corp = gen["corp"]
    print(f"# {n:,} tenancies, {gen['lines']:,} ledger lines generated in {gen['total_s']:.1f} s (rows "
          f"{gen['rows_s']:.1f} s, indexes and constraints {gen['index_s']:.1f} s); load average {C.loadavg()}",
          flush=True)
    if n == max(args.size_list):
        print(f"# plan of the bare query at {n:,}:\n{explain(args.db, corp.pk)}", flush=True)

    from wijkpunt.arrears.run import run_arrears

    connections.close_all()  # a fresh connection for the measurements: the load's caches go with the old one
    pid = C.backend_pid(args.db)
    if pid and args.nice_backend:
        os.setpriority(os.PRIO_PROCESS, pid, args.nice_backend)
    for process in ("self", pid):
        reset_peak_rss(process)
    rows1, bare1_s, bare1_mib = timed(lambda: bare(corp.pk, RUN_1))
    run1, run1_s, run1_mib = timed(lambda: run_arrears(corp, RUN_1))
    assert run1.tenancies_in_arrears == len(rows1) and run1.total_cents == sum(r[1] for r in rows1)
    arrangements = add_arrangements(corp.pk, args.db)
    rows2, bare2_s, bare2_mib = timed(lambda: bare(corp.pk, RUN_2))
    bares, reruns = [bare2_s], []
    (run2, statements), run2_s, run2_mib = timed(lambda: run_with_statement_times(corp, RUN_2))
    assert run2.tenancies_in_arrears == len(rows2) and run2.total_cents == sum(r[1] for r in rows2)
    from wijkpunt.arrears.models import Instalment

    checked = Instalment.objects.filter(checked_on=RUN_2).count()
    reps = args.reps or (3 if n <= 100_000 else 1)
    for _ in range(reps - 1):  # a re-run replaces the run of that date: the same work minus the few changes
        bares.append(timed(lambda: bare(corp.pk, RUN_2))[1])
        reruns.append(timed(lambda: run_arrears(corp, RUN_2))[1])
    bares.append(timed(lambda: bare(corp.pk, RUN_2))[1])
    bare2_s, run2_median = C.median(bares), C.median([run2_s, *reruns])
    by_label: dict[str, float] = {}
    for name, seconds in statements:
        by_label[name] = by_label.get(name, 0.0) + seconds
    print(f"# {n:,}: bare 14 Nov {bare1_s:.2f} s; run 1 {run1_s:.2f} s ({run1.tenancies_in_arrears:,} in arrears, "
          f"{run1.episodes_opened:,} opened); {arrangements:,} arrangements; bare 15 Nov "
          f"{' / '.join(f'{b:.2f}' for b in bares)} s; run 2 {run2_s:.2f} s ({run2.tenancies_in_arrears:,} in arrears, "
          f"{run2.episodes_opened:,} opened, {run2.episodes_closed:,} closed, {checked:,} instalments checked); "
          f"re-runs {' / '.join(f'{r:.2f}' for r in reruns) or '-'} s",
          flush=True)
    print("# run 2 per statement: " + "; ".join(f"{k} {v:.2f} s" for k, v in
                                                 sorted(by_label.items(), key=lambda kv: -kv[1])), flush=True)
    return {
        "n": n, "lines": gen["lines"], "gen_s": gen["total_s"], "bare1_s": bare1_s, "run1_s": run1_s,
        "bare2_s": bare2_s, "run2_s": run2_s, "run2_median": run2_median, "reps": reps, "in_arrears": run2.tenancies_in_arrears,
        "opened_closed": f"{run1.episodes_opened:,} / {run2.episodes_opened:,} / {run2.episodes_closed:,}",
        "checked": checked, "run_mib": max(run1_mib, run2_mib), "bare_mib": max(bare1_mib, bare2_mib),
        "rss_mib": peak_rss_mib("self"), "backend_mib": peak_rss_mib(pid),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--sizes", help="comma-separated tenancy counts (default: sqlite 10000, postgres 100000)")
    ap.add_argument("--budget", type=float, default=1800.0,
                    help="seconds; a size is skipped when its estimate (linear in N) would not fit")
    ap.add_argument("--nice-backend", type=int, default=0,
                    help="renice the PostgreSQL server backend of the benchmark's connection (0: leave it)")
    ap.add_argument("--reps", type=int, default=0,
                    help="runs 2 and bare queries on 15 Nov (medians; default 3 up to 100k tenancies, else 1)")
    ap.add_argument("--sqlite-analyze", action="store_true", help="ANALYZE the SQLite database after the load")
    ap.add_argument("--pg-name", default="wijkpunt_bench")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and the PG database (last size)")
    args = ap.parse_args(argv)
    args.size_list = sorted(int(s) for s in (args.sizes or DEFAULT_SIZES[args.db]).split(",") if s.strip())
    if not args.size_list or not all(1000 <= s <= LIMITS[args.db] for s in args.size_list) \
            or not 60 <= args.budget <= 7200 or not 0 <= args.nice_backend <= 19 or not 0 <= args.reps <= 9:
        ap.error(f"out of bounds: sizes 1000..{LIMITS[args.db]:,} for {args.db}, --budget 60..7200 s, "
                 "--nice-backend 0..19, --reps 0..9")

    t_start = time.perf_counter()
    var_dir = C.make_temp_var_dir("wijkpunt-bench-arrears-")
    env = C.bench_env(args.db, var_dir, pg_name=args.pg_name)
    print(f"# arrears_run --db {args.db}  ({C.machine_line()}; PostgreSQL {C.pg_version()}); "
          f"load average {C.loadavg()}", flush=True)
    results, skipped = [], []
    try:
        if args.db == "postgres":
            C.recreate_pg_database(args.pg_name)
        C.setup_django(env, migrate=False)
        last = None
        for n in args.size_list:
            left = args.budget - (time.perf_counter() - t_start)
            estimate = last[1] * n / last[0] if last else 0.0
            if estimate > left:
                skipped.append(n)
                print(f"# skipped {n:,}: estimated {estimate:.0f} s, {left:.0f} s of the budget left", flush=True)
                continue
            t0 = time.perf_counter()
            results.append(one_size(args, n, var_dir))
            last = (n, time.perf_counter() - t0)
        print()
        C.print_table(
            ["db", "tenancies", "ledger lines", "generate s", "bare 14 Nov s", "run 1 s", "bare 15 Nov s (median)",
             "run 2 s (first / median)", "ratio run 2 / bare (medians)", "in arrears", "opened 1 / opened 2 / closed 2", "instalments checked",
             "Python peak MiB run / bare", "peak RSS MiB", "backend peak RSS MiB"],
            [[args.db, f"{r['n']:,}", f"{r['lines']:,}", f"{r['gen_s']:.1f}", f"{r['bare1_s']:.2f}",
              f"{r['run1_s']:.2f}", f"{r['bare2_s']:.2f}", f"{r['run2_s']:.2f} / {r['run2_median']:.2f} ({r['reps']})",
              f"{r['run2_median'] / r['bare2_s']:.2f}",
              f"{r['in_arrears']:,}", r["opened_closed"], f"{r['checked']:,}",
              f"{r['run_mib']:.2f} / {r['bare_mib']:.1f}", r["rss_mib"], r["backend_mib"]]
             for r in results])
        if skipped:
            print(f"# skipped sizes (budget): {', '.join(f'{s:,}' for s in skipped)}")
        print(f"\n# total run time {time.perf_counter() - t_start:.0f} s; load average {C.loadavg()}")
        return 0
    finally:
        C.clean_up(db=args.db, var_dir=var_dir, pg_name=args.pg_name, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
