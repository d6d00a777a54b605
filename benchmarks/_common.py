"""Shared helpers for the benchmarks: a fresh database, Django set-up, a minimal world.

Everything here touches only loopback (127.0.0.1) and a temporary directory.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PG_ADMIN_DSN = os.environ.get("WIJKPUNT_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_HOST_URL = PG_ADMIN_DSN.rsplit("/", 1)[0]
# The triage model trains itself (about a minute) when its file is missing; keep it between runs.
CLASSIFIER_CACHE = Path(tempfile.gettempdir()) / "wijkpunt-bench-classifier" / "model.joblib"


def bench_env(db: str, var_dir: Path, *, pg_name: str = "wijkpunt_bench", **extra: str) -> dict[str, str]:
    """Environment variables for Django (this process and gunicorn) for one benchmark run."""
    env = {
        "WIJKPUNT_ENV": "development",
        "WIJKPUNT_VAR_DIR": str(var_dir),
        "WIJKPUNT_EMAIL_BACKEND": "file",  # mail files in the temp dir; console would add noise
        "WIJKPUNT_LOG_LEVEL": "WARNING",
        "WIJKPUNT_MAP_TILES": "",
        "DJANGO_SETTINGS_MODULE": "wijkpunt.settings.base",
        "PYTHONPATH": str(SRC),
    }
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_HOST_URL}/{pg_name}"
    else:
        env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def apply_env(env: dict[str, str]) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))


def recreate_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_temp_var_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def setup_django(env: dict[str, str], *, migrate: bool = True) -> None:
    apply_env(env)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def build_world(
    *, units: int = 50, neighbourhoods: int = 1, complexes: int = 1, with_second_corp: bool = False
):
    """A corporation with neighbourhoods, complexes and ``units`` units (postcode 3701AB..),
    plus a staff user (role complexbeheerder). Returns a simple namespace."""
    from django.contrib.auth.models import Group

    from wijkpunt.core.models import Membership, Organisation, User
    from wijkpunt.housing.models import Complex, Municipality, Neighbourhood, Unit

    corp = Organisation.objects.create(
        name="Woonstichting Bench", slug="bench", kind="corporatie", email="info@bench.example"
    )
    other = None
    if with_second_corp:
        other = Organisation.objects.create(name="Andere Corporatie", slug="ander", kind="corporatie")
    muni = Municipality.objects.create(code="GM0355", name="Zeist")
    buurten = [
        Neighbourhood.objects.create(
            code=f"BU0355{i:04d}",
            name=f"Buurt {i}",
            district_code="WK035501",
            district_name="Noord",
            municipality=muni,
        )
        for i in range(1, neighbourhoods + 1)
    ]
    cxs = [
        Complex.objects.create(
            corporation=corp, code=f"C{i:03d}", name=f"Complex {i}", neighbourhood=buurten[i % len(buurten)]
        )
        for i in range(1, complexes + 1)
    ]
    unit_objs = []
    for i in range(units):
        cx = cxs[i % len(cxs)]
        postcode = f"37{(i // 100) % 100:02d}AB"
        unit_objs.append(
            Unit(
                corporation=corp,
                complex=cx,
                neighbourhood=cx.neighbourhood,
                code=f"E{i + 1}",
                street="Merelstraat",
                house_number=(i % 100) + 1,
                postcode=postcode,
                city="Zeist",
            )
        )
    Unit.objects.bulk_create(unit_objs)
    staff = User.objects.create_user(
        username="bench-staff", password="bench-password-123", email="staff@bench.example", first_name="Bench"
    )
    Membership.objects.create(user=staff, organisation=corp, role=Group.objects.get(name="complexbeheerder"))
    return type(
        "World",
        (),
        {
            "corp": corp,
            "other_corp": other,
            "buurten": buurten,
            "complexes": cxs,
            "units": list(Unit.objects.filter(corporation=corp).order_by("pk")),
            "staff": staff,
        },
    )


def pseudo_random(col: str, k: int) -> str:
    """SQL for a deterministic pseudo-random 0..65535 from an integer column (the same integer
    arithmetic on PostgreSQL and SQLite, so generated data are the same on both)."""
    return f"((({col} * 2654435761 + {k * 1013904223}) % 4294967296) / 65536)"


class SqlDialect:
    """The SQL that differs between PostgreSQL and SQLite when generating data in the database."""

    def __init__(self, db: str):
        self.db = db

    def series(self, n: int) -> tuple[str, str]:
        """(prefix, from-item) producing rows n = 1..N."""
        if self.db == "postgres":
            return "", f"generate_series(1, {n}) AS g(n)"
        return f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {n}) ", "g"


def backend_pid(db: str) -> int | None:
    """The PostgreSQL server process of Django's connection (None on SQLite)."""
    if db != "postgres":
        return None
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def fresh_database(db: str, *, pg_name: str, var_dir: Path, nice_backend: int = 0) -> int | None:
    """Drop and recreate the benchmark database (PostgreSQL) or remove the SQLite file, migrate, and
    renice the PostgreSQL backend that will load the data. Returns that backend's pid."""
    import os

    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    if db == "postgres":
        recreate_pg_database(pg_name)
    else:
        for suffix in ("", "-wal", "-shm"):
            (var_dir / f"wijkpunt.sqlite3{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    pid = backend_pid(db)
    if pid and nice_backend:
        os.setpriority(os.PRIO_PROCESS, pid, nice_backend)
    return pid


def loadavg() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine_line() -> str:
    cores = os.cpu_count()
    try:
        mem_kib = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        mem = f"{mem_kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "?"
    return (
        f"{cores} cores, {mem} RAM, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.release()}"
    )


def pg_version() -> str:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_DSN) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001
        return f"unavailable ({type(exc).__name__})"


def print_table(headers: list[str], rows: list[list], *, file=None) -> None:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    out = file or sys.stdout
    print("| " + " | ".join(h.ljust(w) for h, w in zip(cells[0], widths, strict=True)) + " |", file=out)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|", file=out)
    for row in cells[1:]:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |", file=out)
    out.flush()


def clean_up(*, db: str, var_dir: Path, pg_name: str, keep: bool) -> None:
    """Close connections and remove the benchmark's database and temp dir (unless ``keep``)."""
    import shutil

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001 - best effort at the end of a run
        pass
    if keep:
        print(f"# kept {var_dir}" + (f" and database {pg_name}" if db == "postgres" else ""))
        return
    if db == "postgres":
        drop_pg_database(pg_name)
    shutil.rmtree(var_dir, ignore_errors=True)
