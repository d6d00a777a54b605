#!/usr/bin/env python
"""Intake over HTTP on loopback, next to the raw single-row insert rate of the same database.

What it does (one run, one database):

1. a fresh database (SQLite file in a temporary WIJKPUNT_VAR_DIR, or the PostgreSQL database
   ``wijkpunt_bench``, dropped and created), migrated, with a minimal world: one corporation,
   one neighbourhood, one complex and 50 units (Merelstraat 1-50, postcode 3700 AB);
2. gunicorn (``wijkpunt.wsgi``, 2 sync workers by default) on 127.0.0.1 with a random free port,
   WIJKPUNT_PUBLIC_RATE_LIMIT=1000000 (the per-IP limit would otherwise stop us after 30) and
   WIJKPUNT_ALTCHA_MAX_NUMBER=1000 (small proof of work);
3. NOT timed: fetch one ALTCHA challenge per report from ``/api/public/v1/challenge/`` and solve it
   with ``altcha.solve_challenge``; warm up every worker;
4. timed: POST ``/api/public/v1/reports/`` (JSON, location kind "adres", reporter e-mail, a fresh
   ``Idempotency-Key`` per report) from 1, 8 and 32 client threads, each with its own
   http.client connection, at most ``--requests`` reports per level and ``--level-seconds`` each;
5. after gunicorn has stopped: single-row INSERT + COMMIT (one transaction per row) into a scratch
   table with the same columns as ``reports_report`` (a copy of a report filed in step 4), on one
   connection, with the same journal settings the app uses (SQLite WAL + synchronous=NORMAL).

Prints a table: db, clients, reports/s, p50 ms, p99 ms, raw inserts/s, ratio (= raw inserts/s
divided by reports/s: how many bare inserts one full intake costs).

Usage:  .venv/bin/python benchmarks/intake_http.py --db sqlite|postgres [--requests 300]
Stdlib only (plus the project's own dependencies); touches only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

DESCRIPTIONS = [
    "Er lekt water door het plafond van de badkamer, het druppelt al de hele dag.",
    "De cv-ketel geeft een storing en we hebben geen warm water meer sinds gisteren.",
    "In het trappenhuis brandt de verlichting niet meer, het is 's avonds helemaal donker.",
    "Bij de containers naast de flat staat veel grofvuil en er lopen ratten rond.",
    "De buren draaien elke nacht tot drie uur harde muziek, ik kan niet slapen.",
    "De voordeur van het portiek sluit niet meer goed, iedereen kan zomaar binnenlopen.",
    "Er hangt een vreemde gaslucht in de gang op de tweede verdieping.",
    "Mijn oudere buurvrouw heb ik al een week niet gezien en haar post stapelt zich op.",
    "De lift staat al drie dagen stil en er wonen mensen met een rollator boven.",
    "Schimmel op de muren van de slaapkamer, het wordt steeds erger ondanks ventileren.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn as a child process in its own process group; always stopped by ``stop()``."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log_path: Path):
        self.env, self.port, self.workers, self.log_path = env, port, workers, log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "wijkpunt.wsgi",
            "-w",
            str(self.workers),
            "-b",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--chdir",
            str(C.ROOT),
        ]
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        env = {**os.environ, **self.env}
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited early; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/health/", headers={"Host": "localhost"})
                if conn.getresponse().status < 500:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up in time")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group we started: master + its workers
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        finally:
            self.log.close()


def http_json(port: int, method: str, path: str, body=None, headers=None, timeout: float = 30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        h = {"Host": "localhost", "Accept": "application/json", **(headers or {})}
        if data is not None:
            h["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def solve_challenges(port: int, count: int, *, threads: int = 4) -> list[str]:
    """Fetch and solve ``count`` proof-of-work challenges (not timed)."""
    import altcha

    out: list[str] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        mine = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(n):
            conn.request("GET", "/api/public/v1/challenge/", headers={"Host": "localhost"})
            resp = conn.getresponse()
            ch = json.loads(resp.read())
            if resp.status != 200:
                raise RuntimeError(f"challenge endpoint answered {resp.status}: {ch}")
            sol = altcha.solve_challenge(ch["challenge"], ch["salt"], ch["algorithm"], ch["max_number"], 0)
            payload = {
                "algorithm": ch["algorithm"],
                "challenge": ch["challenge"],
                "number": sol.number,
                "salt": ch["salt"],
                "signature": ch["signature"],
            }
            mine.append(base64.b64encode(json.dumps(payload).encode()).decode())
        conn.close()
        with lock:
            out.extend(mine)

    per = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    ts = [threading.Thread(target=work, args=(n,)) for n in per if n]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if len(out) != count:
        raise RuntimeError("could not solve all challenges")
    return out


def report_body(i: int, altcha_payload: str, units: int) -> dict:
    return {
        "description": DESCRIPTIONS[i % len(DESCRIPTIONS)],
        "location": {"kind": "adres", "postcode": "3700 AB", "house_number": (i % units) + 1},
        "reporter": {"email": f"melder{i}@example.nl", "contact_consent": True},
        "altcha": altcha_payload,
    }


def run_level(port: int, clients: int, bodies: list[dict], time_cap: float) -> dict:
    """POST every body (or until time_cap) from ``clients`` threads; returns latencies and counts."""
    jobs: queue.Queue = queue.Queue()
    for b in bodies:
        jobs.put(b)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    first_error: list[str] = []
    lock = threading.Lock()
    start_barrier = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, codes = [], {}
        start_barrier.wait()
        while time.monotonic() < stop_at[0]:
            try:
                body = jobs.get_nowait()
            except queue.Empty:
                break
            data = json.dumps(body).encode()
            headers = {
                "Host": "localhost",
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/public/v1/reports/", body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, payload = -1, repr(exc).encode()
            elapsed = time.perf_counter() - t0
            codes[status] = codes.get(status, 0) + 1
            if status == 201:
                mine.append(elapsed)
            elif not first_error:
                with lock:
                    first_error.append(f"{status}: {payload[:300]!r}")
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + time_cap
    t0 = time.perf_counter()
    start_barrier.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "clients": clients,
        "ok": len(latencies),
        "wall": wall,
        "latencies": latencies,
        "statuses": statuses,
        "first_error": first_error[0] if first_error else "",
        "capped": not jobs.empty(),
    }


# --------------------------------------------------------------------------- raw insert baseline


def raw_inserts_sqlite(db_path: Path, count: int, time_cap: float) -> tuple[float, int]:
    import sqlite3

    conn = sqlite3.connect(db_path, isolation_level=None, timeout=20)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=20000")
    cols = conn.execute("PRAGMA table_info(reports_report)").fetchall()  # cid, name, type, notnull, dflt, pk
    defs = ['"id" integer NOT NULL PRIMARY KEY AUTOINCREMENT']
    names = []
    for _cid, name, typ, notnull, _dflt, pk in cols:
        if pk:
            continue
        names.append(name)
        defs.append(f'"{name}" {typ}{" NOT NULL" if notnull else ""}')
    conn.execute("DROP TABLE IF EXISTS bench_raw_insert")
    conn.execute(f"CREATE TABLE bench_raw_insert ({', '.join(defs)})")
    row = conn.execute(
        f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM reports_report ORDER BY id LIMIT 1"
    ).fetchone()
    sql = (
        f"INSERT INTO bench_raw_insert ({', '.join(chr(34) + n + chr(34) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    done = 0
    t0 = time.perf_counter()
    stop = t0 + time_cap
    while done < count and time.perf_counter() < stop:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(sql, row)
        conn.execute("COMMIT")
        done += 1
    elapsed = time.perf_counter() - t0
    conn.execute("DROP TABLE bench_raw_insert")
    conn.close()
    return done / elapsed, done


def raw_inserts_postgres(dsn: str, count: int, time_cap: float) -> tuple[float, int]:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(dsn) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_insert")
        conn.execute(
            "CREATE TABLE bench_raw_insert (LIKE reports_report INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        conn.execute("ALTER TABLE bench_raw_insert ADD PRIMARY KEY (id)")
        conn.commit()
        cur = conn.execute("SELECT * FROM reports_report ORDER BY id LIMIT 1")
        names = [d.name for d in cur.description]
        values = cur.fetchone()
        pairs = [
            (n, Jsonb(v) if isinstance(v, dict | list) else v)
            for n, v in zip(names, values, strict=True)
            if n != "id"
        ]
        sql = (
            f"INSERT INTO bench_raw_insert ({', '.join(chr(34) + n + chr(34) for n, _ in pairs)}) "
            f"VALUES ({', '.join('%s' for _ in pairs)})"
        )
        row = [v for _, v in pairs]
        done = 0
        t0 = time.perf_counter()
        stop = t0 + time_cap
        while done < count and time.perf_counter() < stop:
            conn.execute(sql, row, prepare=True)
            conn.commit()
            done += 1
        elapsed = time.perf_counter() - t0
        conn.execute("DROP TABLE bench_raw_insert")
        conn.commit()
    return done / elapsed, done


# --------------------------------------------------------------------------- main


def queries_per_intake(payload: str, units: int) -> tuple[int, list[str]]:
    """One intake through the Django test client (in-process, not timed), counting SQL queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    with CaptureQueriesContext(connection) as ctx:
        resp = client.post(
            "/api/public/v1/reports/",
            data=json.dumps(report_body(99991, payload, units)),
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    if resp.status_code != 201:
        return -1, [f"status {resp.status_code}: {resp.content[:200]!r}"]
    kinds = {}
    for q in ctx.captured_queries:
        sql = q["sql"].lstrip()
        m = re.match(r"(\w+)(?:.*?\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)\"?)?", sql, re.S | re.I)
        key = f"{m.group(1).upper()} {m.group(2) or ''}".strip() if m else sql[:30]
        kinds[key] = kinds.get(key, 0) + 1
    return len(ctx.captured_queries), [f"{k} ×{v}" for k, v in sorted(kinds.items())]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--clients", default="1,8,32", help="comma-separated concurrency levels")
    ap.add_argument("--requests", type=int, default=300, help="reports per concurrency level (max)")
    ap.add_argument("--level-seconds", type=float, default=60, help="hard time cap per level")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    ap.add_argument("--units", type=int, default=50)
    ap.add_argument("--raw-count", type=int, default=3000, help="raw single-row inserts (max)")
    ap.add_argument("--raw-seconds", type=float, default=15)
    ap.add_argument("--altcha-max-number", type=int, default=1000)
    ap.add_argument("--pg-name", default="wijkpunt_bench")
    ap.add_argument(
        "--classifier-path",
        default=str(C.CLASSIFIER_CACHE),
        help="where the triage model is kept between runs (trained once, ~1 min, when missing)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and the PG database")
    args = ap.parse_args(argv)
    levels = [int(x) for x in args.clients.split(",") if x.strip()]
    if args.requests > 2000 or args.level_seconds > 300:
        ap.error("keep it bounded: --requests <= 2000 and --level-seconds <= 300")

    t_start = time.perf_counter()
    var_dir = C.make_temp_var_dir("wijkpunt-bench-intake-")
    env = C.bench_env(
        args.db,
        var_dir,
        pg_name=args.pg_name,
        WIJKPUNT_PUBLIC_RATE_LIMIT="1000000",
        WIJKPUNT_ALTCHA_MAX_NUMBER=str(args.altcha_max_number),
        WIJKPUNT_CLASSIFIER_PATH=args.classifier_path,
    )
    (var_dir / "static").mkdir()  # STATIC_ROOT; silences whitenoise's "No directory" warning
    print(f"# intake_http --db {args.db}  ({C.machine_line()}; PostgreSQL {C.pg_version()})")
    print(
        f"# var dir {var_dir}; gunicorn -w {args.workers}; ALTCHA max_number {args.altcha_max_number} "
        f"(challenges fetched and solved before the timed phase); load average {C.loadavg()}"
    )
    if args.db == "postgres":
        C.recreate_pg_database(args.pg_name)
    server = None
    try:
        t0 = time.perf_counter()
        C.setup_django(env)
        C.build_world(units=args.units)
        print(f"# fresh database migrated and world built in {time.perf_counter() - t0:.1f} s")
        # Warm the classifier in this process so a model that trains itself on first use is
        # written to disk before gunicorn starts (not timed).
        try:
            from wijkpunt.triage.classifier import suggest

            t0 = time.perf_counter()
            suggest(DESCRIPTIONS[0])
            classifier_state = (
                f"importable; model loaded/trained in {time.perf_counter() - t0:.1f} s before the run"
            )
        except Exception as exc:  # noqa: BLE001
            classifier_state = f"NOT available: {type(exc).__name__}: {str(exc)[:120]}"
        print(f"# classifier: {classifier_state}")
        from django.db import connections

        connections.close_all()

        port = free_port()
        server = Server(env, port, args.workers, var_dir / "gunicorn.log")
        server.start()
        needed = args.requests * len(levels) + 4 * args.workers + 2
        t0 = time.perf_counter()
        payloads = solve_challenges(port, needed)
        print(f"# fetched and solved {needed} challenges in {time.perf_counter() - t0:.1f} s (not timed)")
        # warm-up (not timed): every worker imports everything and opens its connection
        warm = [report_body(10_000 + i, payloads.pop(), args.units) for i in range(4 * args.workers)]
        w = run_level(port, args.workers, warm, 60)
        if w["ok"] != len(warm):
            raise RuntimeError(f"warm-up failed: {w['statuses']} {w['first_error']}")

        results = []
        n = 0
        for clients in levels:
            bodies = [report_body(n + i, payloads.pop(), args.units) for i in range(args.requests)]
            n += args.requests
            r = run_level(port, clients, bodies, args.level_seconds)
            results.append(r)
            print(
                f"# {clients:>2} clients: {r['ok']} created in {r['wall']:.1f} s; statuses {r['statuses']}"
                + (" (time cap hit)" if r["capped"] else "")
                + (f"; first error {r['first_error']}" if r["first_error"] else "")
            )
        server.stop()
        log_text = (var_dir / "gunicorn.log").read_text(errors="replace")

        # Consistency: every 201 is one report; nothing lost, nothing doubled.
        from wijkpunt.core.models import OutboxMessage
        from wijkpunt.reports.models import Report

        created = sum(r["ok"] for r in results) + w["ok"]
        in_db = Report.objects.count()
        with_suggestion = Report.objects.exclude(suggestion={}).count()
        cache_rows = None
        try:
            from django.db import connection

            with connection.cursor() as cur:
                cur.execute("SELECT COUNT(*) FROM wijkpunt_cache")
                cache_rows = cur.fetchone()[0]
        except Exception:  # noqa: BLE001
            pass
        print(
            f"# reports in database: {in_db} (201 responses: {created}); with a classifier suggestion: "
            f"{with_suggestion}; outbox messages: {OutboxMessage.objects.count()}; cache rows: {cache_rows}"
        )
        errors_logged = log_text.count("classifier unavailable")
        print(
            f"# gunicorn log: {errors_logged} 'classifier unavailable' errors, "
            f"{log_text.count('Traceback')} tracebacks"
        )

        nq, breakdown = queries_per_intake(payloads.pop(), args.units)
        print(f"# SQL queries per intake (one POST through the Django test client): {nq}")
        print("#   " + "; ".join(breakdown))
        connections.close_all()

        if args.db == "sqlite":
            raw_rate, raw_n = raw_inserts_sqlite(
                var_dir / "wijkpunt.sqlite3", args.raw_count, args.raw_seconds
            )
        else:
            raw_rate, raw_n = raw_inserts_postgres(
                f"{C.PG_HOST_URL}/{args.pg_name}", args.raw_count, args.raw_seconds
            )
        print(f"# raw baseline: {raw_n} single-row INSERT+COMMIT in one connection: {raw_rate:.0f}/s")

        rows = []
        for r in results:
            rate = r["ok"] / r["wall"] if r["wall"] else 0
            lat_ms = [x * 1000 for x in r["latencies"]]
            rows.append(
                [
                    args.db,
                    r["clients"],
                    f"{rate:.1f}",
                    f"{C.percentile(lat_ms, 50):.1f}",
                    f"{C.percentile(lat_ms, 99):.1f}",
                    f"{raw_rate:.0f}",
                    f"{raw_rate / rate:.0f}" if rate else "-",
                ]
            )
        print()
        C.print_table(["db", "clients", "reports/s", "p50 ms", "p99 ms", "raw inserts/s", "ratio"], rows)
        print(f"\n# total run time {time.perf_counter() - t_start:.0f} s; load average {C.loadavg()}")
        return 0 if in_db == created else 1
    finally:
        if server is not None:
            server.stop()
        C.clean_up(db=args.db, var_dir=var_dir, pg_name=args.pg_name, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
