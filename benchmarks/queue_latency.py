#!/usr/bin/env python
"""Work-queue latency at 10k, 100k and 1M reports: it must not grow with the total.

What it does (one run, one database):

1. a fresh database (SQLite file in a temporary WIJKPUNT_VAR_DIR, or the PostgreSQL database
   ``wijkpunt_bench``, dropped and created), migrated, with a world of two corporations,
   12 neighbourhoods, 40 complexes, 1,000 units, 6 staff users and 2 partner organisations;
2. synthetic reports inserted directly (NOT through the services: that would take hours):
   executemany of one multi-column INSERT per row in 50k-row transactions on SQLite, COPY on
   PostgreSQL; built incrementally 10k -> 100k -> 1M at a constant 500 reports a day, each step
   adding OLDER history behind what is there (10k = the last 20 days, 1M = 5.5 years), so the
   recent queue stays the same while the history grows. Spreads: status by age (under 2 days
   mostly new; under 30 days mixed; older 93.5 % resolved, 6 % cancelled/merged and 0.5 % never
   closed); urgency mostly the category's default (about 5 % spoed); 10 % without a category;
   deadlines from urgency; 90 % of rows for the measured corporation, 10 % for another one;
3. at each size, for the staff user of the first corporation, median of ``--reps`` repetitions of
   - the selector ``queue_page`` directly (fresh user object each time: permission look-ups count),
   - GET ``/werk/werkvoorraad/`` through Django's test client (logged in; full page render),
   for: the first page; page 21 (after following ``next_cursor`` 20 times); and the filters
   status=nieuw, urgentie=spoed, te_laat=1, categorie=overlast, plus sorteer=termijn/urgentie;
4. at the largest size: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL / EXPLAIN QUERY PLAN on SQLite of
   the first-page queries (count + page), or of every case with ``--explain all``.

PostgreSQL gets an ANALYZE after each load step (what autovacuum does after a bulk load). SQLite
gets none (Django never runs ANALYZE), unless ``--sqlite-analyze``.

Usage:  .venv/bin/python benchmarks/queue_latency.py --db sqlite|postgres [--max 100000]
Touches only 127.0.0.1 and a temporary directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

SIZES = [10_000, 100_000, 1_000_000]
PER_DAY = 500  # reports per day: 10k = the last 20 days, 100k = 200 days, 1M = 5.5 years of history
CASES: list[tuple[str, dict, int]] = [  # name, GET parameters, pages to follow first
    ("eerste pagina", {}, 0),
    ("pagina 21 (cursor)", {}, 20),
    ("status=nieuw", {"status": "nieuw"}, 0),
    ("urgentie=spoed", {"urgentie": "spoed"}, 0),
    ("te_laat=1", {"te_laat": "1"}, 0),
    ("categorie=overlast", {"categorie": "overlast"}, 0),
    ("sorteer=termijn", {"sorteer": "termijn"}, 0),
    ("sorteer=urgentie", {"sorteer": "urgentie"}, 0),
]
DESCRIPTIONS = [
    "Er lekt water door het plafond van de badkamer.",
    "De cv-ketel geeft een storing, geen warm water.",
    "Verlichting in het trappenhuis is kapot.",
    "Grofvuil naast de containers, er lopen ratten.",
    "Buren draaien elke nacht harde muziek.",
    "De portiekdeur sluit niet meer.",
    "Gaslucht in de gang op de tweede verdieping.",
    "Buurvrouw al een week niet gezien, post stapelt op.",
    "De lift staat al drie dagen stil.",
    "Schimmel op de muren van de slaapkamer.",
    "Jongeren hangen rond in de fietsenkelder en laten rommel achter.",
    "Graffiti op de gevel aan de achterkant van het complex.",
]
COLUMNS = [
    "id",
    "reference",
    "tracking_token",
    "organisation_id",
    "description",
    "category_id",
    "main_category_id",
    "urgency",
    "urgency_rank",
    "status",
    "vera_status",
    "channel",
    "location_kind",
    "unit_id",
    "complex_id",
    "neighbourhood_id",
    "latitude",
    "longitude",
    "location_text",
    "occurred_at",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "contact_consent",
    "reporter_user_id",
    "assignee_id",
    "team_id",
    "forwarded_to_id",
    "merged_into_id",
    "suggestion",
    "deadline",
    "created_at",
    "updated_at",
    "resolved_at",
    "satisfied",
    "idempotency_key",
    "payload_hash",
]
URGENCY_RANK = {"spoed": 0, "hoog": 1, "normaal": 2, "laag": 3}
URGENCY_HOURS = {"spoed": 4, "hoog": 24, "normaal": 7 * 24, "laag": 14 * 24}
VERA = {
    "nieuw": "REG",
    "in_behandeling": "INB",
    "doorgestuurd": "INB",
    "heropend": "BEO",
    "opgelost": "AFG",
    "geannuleerd": "GEA",
    "samengevoegd": "GEA",
}
STATUS_BY_AGE = [  # (max age in days, [(status, weight)])
    (2, [("nieuw", 60), ("in_behandeling", 30), ("doorgestuurd", 5), ("opgelost", 5)]),
    (
        30,
        [
            ("nieuw", 10),
            ("in_behandeling", 35),
            ("doorgestuurd", 10),
            ("heropend", 2),
            ("opgelost", 38),
            ("geannuleerd", 4),
            ("samengevoegd", 1),
        ],
    ),
    (
        10**6,
        [
            ("nieuw", 0.1),
            ("in_behandeling", 0.3),
            ("doorgestuurd", 0.1),
            ("opgelost", 93.5),
            ("geannuleerd", 4),
            ("samengevoegd", 2),
        ],
    ),  # 0.5 % of the history was never closed
]


class Generator:
    """Deterministic synthetic reports with realistic spreads (see module docstring)."""

    def __init__(self, world, now: dt.datetime, db: str):
        from wijkpunt.reports.models import Category

        self.w, self.now, self.db = world, now, db
        self.subs = list(
            Category.objects.filter(parent__isnull=False).values_list("id", "parent_id", "default_urgency")
        )
        self.units = [(u.pk, u.complex_id, u.neighbourhood_id, u.corporation_id) for u in world.all_units]
        self.status_tables = [(age, [s for s, _ in tbl], [w for _, w in tbl]) for age, tbl in STATUS_BY_AGE]

    def ts(self, value: dt.datetime | None):
        if value is None:
            return None
        naive = value.replace(tzinfo=None)
        return str(naive) if self.db == "sqlite" else str(naive) + "+00"

    def rows(self, start_id: int, count: int, days_from: float, days_to: float):
        """``count`` reports created between ``days_to`` and ``days_from`` days ago (uniformly)."""
        rng = random.Random(start_id)
        first, span = days_from * 86400, (days_to - days_from) * 86400
        t_bool = (1, 0) if self.db == "sqlite" else ("t", "f")
        for i in range(count):
            rid = start_id + i
            created = self.now - dt.timedelta(
                seconds=first + rng.random() * span, microseconds=rng.randint(1, 999_999)
            )
            age_days = (self.now - created).total_seconds() / 86400
            statuses, weights = next((s, w) for age, s, w in self.status_tables if age_days <= age)
            status = rng.choices(statuses, weights)[0]
            if rng.random() < 0.9:
                cat_id, main_id, default_urgency = rng.choice(self.subs)
            else:
                cat_id, main_id, default_urgency = None, None, "normaal"
            urgency = (
                default_urgency
                if rng.random() < 0.75
                else rng.choices(("spoed", "hoog", "normaal", "laag"), (2, 15, 60, 23))[0]
            )
            deadline = created + dt.timedelta(hours=URGENCY_HOURS[urgency] * rng.uniform(0.8, 1.4))
            if rng.random() < 0.9:
                org = self.w.corp.pk
                unit_id, complex_id, buurt_id, _corp = rng.choice(self.w.units_corp)
            else:
                org = self.w.other_corp.pk
                unit_id, complex_id, buurt_id, _corp = rng.choice(self.w.units_other)
            r = rng.random()
            lat = lon = None
            if r < 0.8:
                kind = "adres"
            elif r < 0.9:
                kind, unit_id = "complex", None
            else:
                kind = "kaart"
                lat, lon = f"{52.08 + rng.random() * 0.02:.6f}", f"{5.22 + rng.random() * 0.03:.6f}"
            resolved = satisfied = None
            if status in ("opgelost", "geannuleerd", "samengevoegd"):
                resolved = min(self.now, created + dt.timedelta(hours=rng.uniform(1, 24 * 20)))
                if status == "opgelost" and rng.random() < 0.3:
                    satisfied = t_bool[0] if rng.random() < 0.8 else t_bool[1]
            assignee = None if status == "nieuw" else rng.choice(self.w.assignee_ids + [None])
            forwarded = rng.choice(self.w.partner_ids) if status == "doorgestuurd" else None
            merged = (
                rid - rng.randint(1, min(rid - 1, 1000)) if status == "samengevoegd" and rid > 1 else None
            )
            email = f"melder{rid}@example.nl" if rng.random() < 0.6 else ""
            yield (
                rid,
                f"B{rid:08d}",
                f"{rng.getrandbits(160):040x}",
                org,
                rng.choice(DESCRIPTIONS),
                cat_id,
                main_id,
                urgency,
                URGENCY_RANK[urgency],
                status,
                VERA[status],
                rng.choice(("INT", "TEL", "APP", "BEZ", "EMA")),
                kind,
                unit_id,
                complex_id,
                buurt_id,
                lat,
                lon,
                "",
                None,
                "",
                "",
                email,
                t_bool[0] if email else t_bool[1],
                None,
                assignee,
                None,
                forwarded,
                merged,
                "{}",
                self.ts(deadline),
                self.ts(created),
                self.ts(resolved or created),
                self.ts(resolved),
                satisfied,
                None,
                "",
            )


def batch_days(days: tuple[float, float], count: int, done: int, n: int) -> tuple[float, float]:
    """The slice of the age range [days[0], days[1]) that rows done..done+n of count cover."""
    width = days[1] - days[0]
    return days[0] + width * done / count, days[0] + width * (done + n) / count


def insert_sqlite(
    gen: Generator, start_id: int, count: int, days: tuple[float, float], batch: int = 50_000
) -> None:
    from django.db import connection, transaction

    sql = f"INSERT INTO reports_report ({', '.join(COLUMNS)}) VALUES ({', '.join('%s' for _ in COLUMNS)})"
    with connection.cursor() as cur:
        # Loading only: a 1 GiB page cache (the table has ~20 indexes with random keys) and no
        # fsync. Restored to the defaults the app runs with before anything is measured.
        cur.execute("PRAGMA cache_size=-1000000")
        cur.execute("PRAGMA synchronous=OFF")
    index_ddl: list[str] = []
    if count > 50_000:
        # Large steps: drop the ~20 secondary indexes, load, and build them again (much faster
        # than maintaining them row by row; the rebuilt indexes are the same, only denser).
        with connection.cursor() as cur:
            cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports_report' "
                "AND sql IS NOT NULL"
            )
            found = cur.fetchall()
            for name, ddl in found:
                cur.execute(f'DROP INDEX "{name}"')
                index_ddl.append(ddl)
    done = 0
    try:
        while done < count:
            n = min(batch, count - done)
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(sql, gen.rows(start_id + done, n, *batch_days(days, count, done, n)))
            done += n
    finally:
        with connection.cursor() as cur:
            for ddl in index_ddl:
                cur.execute(ddl)
            cur.execute("PRAGMA cache_size=-2000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def insert_postgres(
    gen: Generator, start_id: int, count: int, days: tuple[float, float], batch: int = 100_000
) -> None:
    from django.db import connection, transaction

    done = 0
    while done < count:
        n = min(batch, count - done)
        with transaction.atomic(), connection.cursor() as cur:
            with cur.cursor.copy(f"COPY reports_report ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in gen.rows(start_id + done, n, *batch_days(days, count, done, n)):
                    copy.write_row(row)
        done += n
    with connection.cursor() as cur:
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('reports_report', 'id'), "
            "(SELECT max(id) FROM reports_report))"
        )


def build_queue_world():
    from django.contrib.auth.models import Group

    from wijkpunt.core.models import Membership, Organisation, User
    from wijkpunt.housing.models import Complex, Unit

    w = C.build_world(units=900, neighbourhoods=12, complexes=36, with_second_corp=True)
    cx_other = [
        Complex.objects.create(
            corporation=w.other_corp,
            code=f"X{i:03d}",
            name=f"Elders {i}",
            neighbourhood=w.buurten[i % len(w.buurten)],
        )
        for i in range(4)
    ]
    Unit.objects.bulk_create(
        [
            Unit(
                corporation=w.other_corp,
                complex=cx_other[i % 4],
                neighbourhood=cx_other[i % 4].neighbourhood,
                code=f"X{i}",
                street="Lijsterlaan",
                house_number=i + 1,
                postcode="3799CD",
                city="Zeist",
            )
            for i in range(100)
        ]
    )
    role = Group.objects.get(name="complexbeheerder")
    assignees = [w.staff.pk]
    for i in range(5):
        u = User.objects.create_user(
            username=f"bench-staff-{i}", password="bench-password-123", first_name=f"Medewerker {i}"
        )
        Membership.objects.create(user=u, organisation=w.corp, role=role)
        assignees.append(u.pk)
    partners = [
        Organisation.objects.create(
            name=f"Partner {i}", slug=f"partner-{i}", kind="partner", partner_type="wijkteam"
        )
        for i in range(2)
    ]
    w.assignee_ids = assignees
    w.partner_ids = [p.pk for p in partners]
    w.all_units = list(Unit.objects.all())
    w.units_corp = [
        (u.pk, u.complex_id, u.neighbourhood_id, u.corporation_id)
        for u in w.all_units
        if u.corporation_id == w.corp.pk
    ]
    w.units_other = [
        (u.pk, u.complex_id, u.neighbourhood_id, u.corporation_id)
        for u in w.all_units
        if u.corporation_id == w.other_corp.pk
    ]
    return w


OPEN = ["nieuw", "in_behandeling", "doorgestuurd", "heropend"]  # models.OPEN_STATUSES


def filters_for(params: dict):
    from django.test import RequestFactory

    from wijkpunt.reports.views_staff import _filters_from

    return _filters_from(RequestFactory().get("/werk/werkvoorraad/", params))


def measure_case(world, client, params: dict, follow: int, reps: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from wijkpunt.core.models import User
    from wijkpunt.reports.selectors import queue_page

    filters = filters_for(params)
    user = User.objects.get(pk=world.staff.pk)
    cursor = ""
    for _ in range(follow):
        page = queue_page(user, filters, cursor=cursor)
        cursor = page.next_cursor or ""
        if not cursor:
            break
    sel_times, http_times = [], []
    page = None
    for rep in range(reps + 1):  # the first round warms caches and is not counted
        user = User.objects.get(pk=world.staff.pk)
        t0 = time.perf_counter()
        page = queue_page(user, filters, cursor=cursor)
        t1 = time.perf_counter()
        if rep:
            sel_times.append((t1 - t0) * 1000)
    query = {**params, **({"na": cursor} if cursor else {})}
    url = "/werk/werkvoorraad/" + ("?" + urlencode(query) if query else "")
    n_queries = 0
    for rep in range(reps + 1):
        t0 = time.perf_counter()
        if rep == 1:
            with CaptureQueriesContext(connection) as ctx:
                resp = client.get(url)
            n_queries = len(ctx.captured_queries)
        else:
            resp = client.get(url)
        t1 = time.perf_counter()
        if resp.status_code != 200:
            raise RuntimeError(f"GET {url} answered {resp.status_code}")
        if rep:
            http_times.append((t1 - t0) * 1000)
    reset_queries()
    return {
        "selector_ms": C.median(sel_times),
        "http_ms": C.median(http_times),
        "queries": n_queries,
        "rows": len(page.reports),
        "total": f"{'>' if page.total_capped else ''}{page.total}",
        "cursor": cursor,
        "filters": filters,
    }


PLAN_KEEP = re.compile(
    r"reports_report|Index Cond|Filter|Sort|Limit|Aggregate|Execution Time|Planning Time|"
    r"Heap Blocks|Recheck"
)
PLAN_DROP = re.compile(r"Join Filter|Index Cond: \(id = |Memoize|Cache Key")


def captured_queries(user, filters, cursor: str = "") -> list[tuple[str, list]]:
    """The (sql, params) the selector runs, exactly as sent (SQLite needs the real bound
    parameters: a plan made from inlined literals can differ, e.g. for partial indexes)."""
    from django.db import connection

    from wijkpunt.reports.selectors import queue_page

    seen: list[tuple[str, list]] = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        queue_page(user, filters, cursor=cursor)
    return [(sql, params) for sql, params in seen if "reports_report" in sql]


def explain(world, params: dict, cursor: str, db: str, full: bool = False) -> str:
    from django.db import connection

    from wijkpunt.core.models import User

    user = User.objects.get(pk=world.staff.pk)
    out = []
    for sql, sql_params in captured_queries(user, filters_for(params), cursor):
        short = re.sub(r'^SELECT .*? FROM "reports_report"', 'SELECT … FROM "reports_report"', sql)
        short = re.sub(
            r" LEFT OUTER JOIN .* WHERE ", " LEFT OUTER JOIN (7 select_related tables) WHERE ", short
        )
        shown = ", ".join(repr(str(v)) if isinstance(v, str) else str(v) for v in sql_params)
        out.append(f"SQL: {short}   -- params [{shown}]")
        with connection.cursor() as cur:
            if db == "postgres":
                cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, sql_params)
                lines = [r[0] for r in cur.fetchall()]
                if not full:  # the reports_report part; the 7 joined look-ups are primary-key probes
                    lines = [line for line in lines if PLAN_KEEP.search(line) and not PLAN_DROP.search(line)]
                out.extend("    " + line for line in lines)
            else:
                cur.execute("EXPLAIN QUERY PLAN " + sql, sql_params)
                out.extend(f"    {r[3]}" for r in cur.fetchall())
    return "\n".join(out)


SELECT_RELATED_VARIANTS = {
    "the original queue_page (7 joins)": (
        "category__parent",
        "unit",
        "complex",
        "neighbourhood",
        "assignee",
        "forwarded_to",
    ),
    "as in queue_page now (5 joins)": ("category", "unit", "complex", "assignee", "forwarded_to"),
    "3 joins (+2 prefetch queries)": ("category", "unit", "complex"),
}


def planning_check(reps: int = 7) -> list[list]:
    """PostgreSQL: planning vs execution time of the first-page query with fewer joined tables."""
    from django.db import connection

    from wijkpunt.reports.models import Report

    rows = []
    base = Report.objects.filter(organisation_id__in=[1], status__in=OPEN).order_by("-created_at", "-id")
    for name, related in SELECT_RELATED_VARIANTS.items():
        sql, params = base.select_related(*related)[:51].query.sql_with_params()
        plan_ms, exec_ms = [], []
        with connection.cursor() as cur:
            for _ in range(reps):
                cur.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql, params)
                lines = [r[0] for r in cur.fetchall()]
                plan_ms.append(float(next(x for x in lines if x.startswith("Planning Time")).split()[2]))
                exec_ms.append(float(next(x for x in lines if x.startswith("Execution Time")).split()[2]))
        rows.append([name, f"{C.median(plan_ms):.1f}", f"{C.median(exec_ms):.1f}"])
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--max", type=int, default=1_000_000, help="largest size (10000, 100000 or 1000000)")
    ap.add_argument("--per-day", type=float, default=PER_DAY, help="reports per day in the synthetic history")
    ap.add_argument("--reps", type=int, default=7, help="repetitions per case (median reported)")
    ap.add_argument(
        "--budget",
        type=float,
        default=1500,
        help="seconds; a size whose load would not fit in what is left is skipped",
    )
    ap.add_argument("--explain", choices=["first", "all"], default="first")
    ap.add_argument(
        "--explain-full",
        action="store_true",
        help="whole PostgreSQL plans (default: the reports_report part only)",
    )
    ap.add_argument("--sqlite-analyze", action="store_true", help="run ANALYZE on SQLite after each load")
    ap.add_argument("--pg-name", default="wijkpunt_bench")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and the PG database")
    args = ap.parse_args(argv)
    sizes = [s for s in SIZES if s <= args.max]
    if not sizes or args.reps > 50:
        ap.error("--max must be at least 10000 and --reps at most 50")

    t_start = time.perf_counter()
    var_dir = C.make_temp_var_dir("wijkpunt-bench-queue-")
    env = C.bench_env(args.db, var_dir, pg_name=args.pg_name)
    print(
        f"# queue_latency --db {args.db}  ({C.machine_line()}; PostgreSQL {C.pg_version()}); "
        f"load average {C.loadavg()}"
    )
    if args.db == "postgres":
        C.recreate_pg_database(args.pg_name)
    try:
        C.setup_django(env)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        t0 = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)  # the page uses the manifest storage
        world = build_queue_world()
        print(
            f"# migrated, collectstatic, world built in {time.perf_counter() - t0:.1f} s; var dir {var_dir}"
        )
        client = Client(SERVER_NAME="localhost")
        client.force_login(world.staff, backend="django.contrib.auth.backends.ModelBackend")
        gen = Generator(world, timezone.now(), args.db)
        rows, loaded, plans = [], 0, ""
        last_rate = None
        for size in sizes:
            todo = size - loaded
            left = args.budget - (time.perf_counter() - t_start)
            if last_rate and todo / last_rate > left * 0.8:
                print(
                    f"# skipping {size:,}: loading {todo:,} rows at ~{last_rate:,.0f}/s would not fit in the "
                    f"{left:.0f} s left of --budget"
                )
                break
            t0 = time.perf_counter()
            # each step adds older history behind what is there: the recent queue stays the same
            days = (loaded / args.per_day, size / args.per_day)
            (insert_sqlite if args.db == "sqlite" else insert_postgres)(gen, loaded + 1, todo, days)
            load_s = time.perf_counter() - t0
            last_rate = todo / load_s
            t0 = time.perf_counter()
            if args.db == "postgres" or args.sqlite_analyze:
                with connection.cursor() as cur:
                    cur.execute("ANALYZE")
            analyze_s = time.perf_counter() - t0
            loaded = size
            print(
                f"# {size:,} reports: inserted {todo:,} in {load_s:.1f} s ({last_rate:,.0f} rows/s)"
                + (f"; ANALYZE {analyze_s:.1f} s" if analyze_s > 0.05 else "")
            )
            results = {}
            for name, params, follow in CASES:
                r = measure_case(world, client, params, follow, args.reps)
                results[name] = r
                rows.append(
                    [
                        args.db,
                        f"{size:,}",
                        name,
                        f"{r['selector_ms']:.1f}",
                        f"{r['http_ms']:.1f}",
                        r["queries"],
                        r["rows"],
                        r["total"],
                    ]
                )
                print(
                    f"#   {name:<20} selector {r['selector_ms']:7.1f} ms   page {r['http_ms']:7.1f} ms   "
                    f"{r['queries']} queries, {r['rows']} rows, total {r['total']}",
                    flush=True,
                )
        wanted = CASES if args.explain == "all" else CASES[:1]
        plans = "\n\n".join(
            f"## {name}\n" + explain(world, params, results[name]["cursor"], args.db, args.explain_full)
            for name, params, _f in wanted
        )
        print()
        C.print_table(["db", "reports", "case", "selector ms", "page ms", "queries", "rows", "total"], rows)
        print(
            f"\n# query plans at {loaded:,} reports ({'EXPLAIN ANALYZE' if args.db == 'postgres' else 'EXPLAIN QUERY PLAN'}):\n"
        )
        print(plans)
        if args.db == "postgres":
            print(
                f"\n# PostgreSQL planning vs execution of the first-page query at {loaded:,} reports "
                "(median ms, EXPLAIN ANALYZE):\n"
            )
            C.print_table(["select_related", "planning ms", "execution ms"], planning_check())
        print(f"\n# total run time {time.perf_counter() - t_start:.0f} s; load average {C.loadavg()}")
        return 0
    finally:
        C.clean_up(db=args.db, var_dir=var_dir, pg_name=args.pg_name, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
