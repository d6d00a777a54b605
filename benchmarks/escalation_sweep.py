#!/usr/bin/env python
"""On-call escalations with 10,000 running timers: the sweep's cost and how late pages go out.

What it does (one run, one database):

1. a fresh database (SQLite file in a temporary WIJKPUNT_VAR_DIR, or the PostgreSQL database
   ``wijkpunt_bench``, dropped and created), migrated, with the world of ``manage.py oncall_storm
   --setup``: one corporation and unit, a weekly roster of three people with phone and e-mail, and a
   paging policy for *spoed* with 3 steps (on call: SMS + e-mail; backup: SMS; coordinator: e-mail),
   ``--wait`` seconds apart;
2. NOT through the services (that would take minutes): ``--reports`` open urgent reports and their
   escalations are bulk-created directly (``bulk_create``, a snapshot of the policy's chain each,
   ``next_step = 0``), their first step due in one hour: the running timers;
3. **probe**: ``escalation_sweep()`` with nothing due, at those running timers (median and p99 of
   ``--probe-runs``): the cost of the periodic sweep on a quiet night, i.e. the index probe on
   (status, due_at); plus the query plan;
4. **burst**: ``--burst`` more escalations all due at the same instant, one sweep fires them all:
   ms per fired step (the real firing path: lock, re-check, Page, outbox rows, eta task) and the
   lateness of the last page (the drain time). They are cancelled afterwards;
5. **sweep only** (mode a), once per ``--intervals`` value: ``--firing`` new escalations whose first
   step falls due uniformly within ``--window`` seconds, each running its whole chain (3 pages and
   the "exhausted" transition, ``--wait`` s apart), fired only by a loop that calls
   ``escalation_sweep()`` every *interval* seconds (production: huey's periodic task, every 60 s;
   too slow for a bounded run). No worker runs; nothing is delivered;
6. **worker** (mode b, unless ``--no-worker``): the same with a real ``manage.py run_huey`` (2 thread
   workers, SqliteHuey in the temp dir, SMS and e-mail to files): every first step is a huey task
   scheduled at its due time (as the normal path does for a later step), each fired step schedules
   the next one the same way, and the periodic sweep (every 60 s, and at the worker's start) is the
   backstop. ``--idle-probe SECONDS`` then files single urgent reports through ``report_create`` at
   random moments 5-40 s apart for that long: how late is the first page on a quiet night?

Lateness of a page = when it was written − its due time. Two readings: *recorded* is
``Page.created_at − Page.due_at`` (``created_at`` is the ``now`` the firing function was given: for
the sweep that is the moment the sweep *started*); *actual* is the creation time of the page's first
outbox row (written in the same transaction, stamped with the wall clock) − ``due_at``.

Prints tables; figures and their interpretation go to docs/performance.md.

Usage:  .venv/bin/python benchmarks/escalation_sweep.py --db sqlite|postgres
        [--reports 10000] [--firing 1000] [--window 60] [--wait 10] [--intervals 1,5] [--no-worker]
Touches only 127.0.0.1 and a temporary directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

_reference = itertools.count(1)


def make_escalations(world, due_times: list[dt.datetime]) -> tuple[int, int]:
    """Bulk-create one open urgent report and one running escalation per due time.
    Returns the (first, last) escalation id: each call's ids are contiguous."""
    from django.db import transaction
    from django.utils import timezone

    from wijkpunt.oncall.models import Escalation
    from wijkpunt.reports.models import Report

    now = timezone.now()
    with transaction.atomic():
        reports = Report.objects.bulk_create(
            [
                Report(
                    reference=f"B{next(_reference):08d}", organisation_id=world.org, description="Gaslucht (bench)",
                    category_id=world.gas, main_category_id=world.gas_main, urgency="spoed", urgency_rank=0,
                    channel="INT", location_kind="adres", unit_id=world.unit, complex_id=world.complex,
                    neighbourhood_id=world.buurt, created_at=now, deadline=now + dt.timedelta(hours=4),
                )
                for _ in due_times
            ],
            batch_size=2000,
        )
        escalations = Escalation.objects.bulk_create(
            [
                Escalation(organisation_id=world.org, report_id=r.pk, policy_id=world.policy, roster_id=world.roster,
                           chain=world.chain, due_at=due, started_at=now)
                for r, due in zip(reports, due_times, strict=True)
            ],
            batch_size=2000,
        )
    ids = [e.pk for e in escalations]
    assert ids == list(range(ids[0], ids[0] + len(ids))), "bulk_create returned non-contiguous ids"
    return ids[0], ids[-1]


def build(args):
    from django.utils import timezone

    from wijkpunt.housing.models import Unit
    from wijkpunt.oncall.management.commands.oncall_storm import build_storm_world
    from wijkpunt.oncall.models import EscalationPolicy
    from wijkpunt.oncall.validation import expand_chain
    from wijkpunt.reports.models import Category

    ids = build_storm_world(steps=3, wait_seconds=args.wait)
    unit = Unit.objects.get(pk=ids["unit"])
    gas = Category.objects.get(slug="gaslucht")
    world = type("World", (), {})()
    world.org, world.unit, world.complex, world.buurt = ids["organisation"], unit.pk, unit.complex_id, unit.neighbourhood_id
    world.gas, world.gas_main = gas.pk, gas.main.pk
    world.policy, world.roster = ids["policy"], ids["roster"]
    world.chain = expand_chain(EscalationPolicy.objects.get(pk=ids["policy"]))
    in_an_hour = timezone.now() + dt.timedelta(hours=1)
    rng = random.Random(1)
    world.timers = make_escalations(world, [in_an_hour + dt.timedelta(seconds=rng.random() * 3600)
                                            for _ in range(args.reports)])
    return world


def stats_ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{C.median(values):.2f} / {C.percentile(values, 99):.2f} / {max(values):.2f}"


def probe(args) -> dict:
    from wijkpunt.oncall.services import escalation_sweep

    escalation_sweep()  # warm up
    times = []
    for _ in range(args.probe_runs):
        t0 = time.perf_counter()
        fired = escalation_sweep()
        times.append((time.perf_counter() - t0) * 1000)
        assert fired == 0
    return {"median": C.median(times), "p99": C.percentile(times, 99)}


def explain(db: str) -> str:
    from django.db import connection
    from django.utils import timezone

    from wijkpunt.oncall.models import Escalation

    qs = Escalation.objects.filter(status=Escalation.Status.ACTIVE, due_at__lte=timezone.now()).order_by(
        "due_at").values_list("pk", flat=True)[:1000]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        if db == "postgres":
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        rows = cur.fetchall()
    return "\n".join("  " + str(r[-1] if db == "sqlite" else r[0]) for r in rows)


def lateness(first: int, last: int) -> dict:
    """Recorded and actual lateness (seconds) of every page of escalations first..last, by step."""
    from wijkpunt.core.models import OutboxMessage
    from wijkpunt.oncall.models import Page

    pages = list(Page.objects.filter(escalation__id__range=(first, last)).values_list("id", "step", "due_at",
                                                                                    "created_at"))
    written: dict[int, dt.datetime] = {}
    if pages:
        lo, hi = min(p[0] for p in pages), max(p[0] for p in pages)
        for key, created in OutboxMessage.objects.filter(idempotency_key__startswith="page-").values_list(
                "idempotency_key", "created_at").iterator():
            pk = int(key.split("-")[1])
            if lo <= pk <= hi and (pk not in written or created < written[pk]):
                written[pk] = created
    out = {"recorded": [], "actual": [], "by_step": {}}
    for pk, step, due, created in pages:
        out["recorded"].append((created - due).total_seconds())
        actual = (written[pk] - due).total_seconds() if pk in written else (created - due).total_seconds()
        out["actual"].append(actual)
        out["by_step"].setdefault(step, []).append(actual)
    return out


def lat_cells(values: list[float]) -> list[str]:
    if not values:
        return ["-", "-", "-", "-"]
    return [f"{C.median(values):.2f}", f"{sum(values) / len(values):.2f}", f"{C.percentile(values, 99):.2f}",
            f"{max(values):.2f}"]


def burst(world, args) -> dict:
    from django.utils import timezone

    from wijkpunt.oncall.models import Escalation
    from wijkpunt.oncall.services import escalation_sweep

    due = timezone.now()
    first, last = make_escalations(world, [due] * args.burst)
    t0 = time.perf_counter()
    fired = escalation_sweep(batch=args.burst)
    seconds = time.perf_counter() - t0
    lat = lateness(first, last)
    Escalation.objects.filter(pk__range=(first, last), status="actief").update(status="gestopt", end_reason="bench")
    return {"fired": fired, "seconds": seconds, "ms_per_step": seconds * 1000 / max(fired, 1),
            "last_actual": max(lat["actual"]), "last_recorded": max(lat["recorded"])}


def spread(args, lead: float) -> list[dt.datetime]:
    from django.utils import timezone

    start = timezone.now() + dt.timedelta(seconds=lead)
    rng = random.Random(args.firing)
    return sorted(start + dt.timedelta(seconds=rng.random() * args.window) for _ in range(args.firing))


def sweep_only(world, args, interval: float, deadline: float) -> dict:
    from wijkpunt.oncall.models import Escalation
    from wijkpunt.oncall.services import escalation_sweep

    first, last = make_escalations(world, spread(args, lead=1.0))
    mine = Escalation.objects.filter(pk__range=(first, last))
    sweeps, busy = [], []  # (ms, fired) for every sweep; ms per transition for sweeps that did work
    next_tick = time.monotonic()
    t_start = time.monotonic()
    while True:
        pause = next_tick - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        exhausted_before = mine.filter(status="uitgeput").count()
        t0 = time.perf_counter()
        fired = escalation_sweep()
        ms = (time.perf_counter() - t0) * 1000
        transitions = fired + mine.filter(status="uitgeput").count() - exhausted_before
        sweeps.append((ms, fired))
        if transitions:
            busy.append((ms, transitions))
        next_tick += interval
        if next_tick < time.monotonic():  # overran the interval: start the next one at once
            next_tick = time.monotonic()
        if not mine.filter(status="actief").exists() or time.monotonic() > deadline:
            break
    left = mine.filter(status="actief").count()
    return {"interval": interval, "lat": lateness(first, last), "sweeps": sweeps, "busy": busy, "left": left,
            "seconds": time.monotonic() - t_start}


class Worker:
    """``manage.py run_huey`` in its own process group; always stopped in ``finally``."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env, self.log_path = env, log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, str(C.ROOT / "manage.py"), "run_huey"], env=self.env,
                                     cwd=C.ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while "Huey consumer started" not in self.log_path.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + self.log_path.read_text()[-3000:])
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.proc:
            self.log.close()
        self.proc = None


def with_worker(world, args, env: dict[str, str], var_dir: Path, deadline: float) -> dict:
    from huey.contrib.djhuey import HUEY

    from wijkpunt.core.models import OutboxMessage
    from wijkpunt.oncall import tasks
    from wijkpunt.oncall.models import Escalation

    HUEY.flush()  # the earlier phases' eta and delivery tasks (nobody ran them) are not this phase's work
    OutboxMessage.objects.filter(status="pending").update(status="sent")
    worker = Worker({**env, "WIJKPUNT_LOG_LEVEL": "INFO"}, var_dir / "worker.log")
    result: dict = {}
    try:
        worker.start()
        due_times = spread(args, lead=4.0)
        first, last = make_escalations(world, due_times)
        t0 = time.perf_counter()
        for pk, due in zip(range(first, last + 1), due_times, strict=True):
            tasks.fire_escalation.schedule(args=(pk,), eta=due)  # a task at the step's due time
        result["schedule_ms"] = (time.perf_counter() - t0) * 1000 / len(due_times)
        mine = Escalation.objects.filter(pk__range=(first, last))
        t_start = time.monotonic()
        while mine.filter(status="actief").exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        result.update(lat=lateness(first, last), left=mine.filter(status="actief").count(),
                      seconds=time.monotonic() - t_start)
        unsent = OutboxMessage.objects.exclude(status="sent").count()
        result["unsent"] = unsent
        if args.idle_probe:
            result["idle"] = idle_probe(args, world)
    finally:
        worker.stop()
    return result


def idle_probe(args, world) -> dict:
    """A quiet night: single urgent reports filed the normal way (``report_create``; the after-commit
    task fires the first step) at random moments 5-40 s apart, for ``--idle-probe`` seconds. The
    chains get a one-hour wait, so between samples the worker only runs its periodic tasks."""
    from wijkpunt.housing.models import Unit
    from wijkpunt.oncall.models import Escalation, EscalationStep, Page
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.services import report_create

    EscalationStep.objects.filter(policy_id=world.policy).update(wait=dt.timedelta(hours=1))
    unit, gas = Unit.objects.get(pk=world.unit), Category.objects.get(slug="gaslucht")
    rng = random.Random(7)
    samples = []
    print(f"# idle probe: single reports at random moments for {args.idle_probe:.0f} s", flush=True)
    end = time.monotonic() + args.idle_probe
    while time.monotonic() + 5 < end:
        time.sleep(rng.uniform(5, 40))
        report, _ = report_create(description="Gaslucht in de meterkast (idle probe)", channel="INT",
                                  location_kind="adres", unit=unit, category=gas, urgency="spoed", suggestion={})
        escalation = Escalation.objects.get(report=report)
        deadline = time.monotonic() + 30
        while not Page.objects.filter(escalation=escalation).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        samples.append(lateness(escalation.pk, escalation.pk)["actual"][0])
    return {"samples": samples}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--reports", type=int, default=10_000, help="running timers (open urgent reports)")
    ap.add_argument("--firing", type=int, default=1000, help="escalations that come due during each run")
    ap.add_argument("--window", type=float, default=60.0, help="seconds over which their first steps fall due")
    ap.add_argument("--wait", type=float, default=10.0, help="seconds between the steps of a chain")
    ap.add_argument("--intervals", default="1,5", help="sweep intervals (s) for the sweep-only mode")
    ap.add_argument("--burst", type=int, default=1000, help="escalations due at one instant (firing cost)")
    ap.add_argument("--probe-runs", type=int, default=50)
    ap.add_argument("--no-worker", action="store_true", help="skip the run with a real huey worker")
    ap.add_argument("--idle-probe", type=float, default=0.0,
                    help="after the worker run, this many seconds of single reports at random moments (0: skip)")
    ap.add_argument("--budget", type=float, default=600.0, help="seconds; each run stops at its share")
    ap.add_argument("--pg-name", default="wijkpunt_bench")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and the PG database")
    args = ap.parse_args(argv)
    intervals = [float(x) for x in args.intervals.split(",") if x.strip()]
    if not (1 <= args.reports <= 200_000 and 1 <= args.firing <= 20_000 and 1 <= args.window <= 600
            and 1 <= args.wait <= 600 and 1 <= args.burst <= 5000 and all(0.1 <= i <= 60 for i in intervals)):
        ap.error("out of bounds: --reports 1..200000, --firing 1..20000, --window/--wait 1..600 s, "
                 "--burst 1..5000, intervals 0.1..60 s")

    t_start = time.perf_counter()
    var_dir = C.make_temp_var_dir("wijkpunt-bench-escalation-")
    env = C.bench_env(args.db, var_dir, pg_name=args.pg_name, WIJKPUNT_HUEY_IMMEDIATE="false",
                      WIJKPUNT_SMS_BACKEND="file")
    print(f"# escalation_sweep --db {args.db}  ({C.machine_line()}; PostgreSQL {C.pg_version()}); "
          f"load average {C.loadavg()}")
    print(f"# {args.reports:,} running timers; runs of {args.firing:,} chains (3 steps, {args.wait:g} s apart) "
          f"due over {args.window:g} s; sweep intervals {intervals}; burst {args.burst:,}")
    if args.db == "postgres":
        C.recreate_pg_database(args.pg_name)
    try:
        C.setup_django(env)
        from django.db import connection

        t0 = time.perf_counter()
        world = build(args)
        if args.db == "postgres":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(f"# migrated, world and {args.reports:,} running timers built in {time.perf_counter() - t0:.1f} s; "
              f"var dir {var_dir}", flush=True)

        pr = probe(args)
        print(f"# probe: sweep with nothing due at {args.reports:,} running timers: median {pr['median']:.2f} ms, "
              f"p99 {pr['p99']:.2f} ms ({args.probe_runs} runs)")
        print("# query plan of the sweep's due query:\n" + explain(args.db), flush=True)

        b = burst(world, args)
        print(f"# burst: {b['fired']} steps due at one instant fired by one sweep in {b['seconds']:.1f} s = "
              f"{b['ms_per_step']:.1f} ms per step ({1000 / b['ms_per_step']:.0f} steps/s); last page actual "
              f"lateness {b['last_actual']:.1f} s, recorded {b['last_recorded']:.2f} s", flush=True)

        runs = len(intervals) + (0 if args.no_worker else 1)
        rows, sweep_rows = [], []
        for interval in intervals:
            share = (args.budget - (time.perf_counter() - t_start)) / runs
            runs -= 1
            r = sweep_only(world, args, interval, time.monotonic() + max(share, 30))
            lat = r["lat"]
            rows.append([args.db, f"sweep every {interval:g} s", len(lat["actual"]), *lat_cells(lat["actual"]),
                         f"{C.median(lat['recorded']):.2f} / {max(lat['recorded'] or [0]):.2f}", r["left"]])
            busy_ms = [ms / n for ms, n in r["busy"]]
            sweep_rows.append([args.db, f"{interval:g} s", len(r["sweeps"]),
                               stats_ms([ms for ms, _ in r["sweeps"]]),
                               f"{max((f for _, f in r['sweeps']), default=0)}",
                               f"{sum(ms for ms, _ in r['busy']) / max(sum(n for _, n in r['busy']), 1):.1f}",
                               stats_ms(busy_ms)])
            print(f"# sweep every {interval:g} s: {len(lat['actual'])} pages in {r['seconds']:.0f} s; actual lateness "
                  f"p50/mean/p99/max {' / '.join(lat_cells(lat['actual']))} s; "
                  + "; ".join(f"step {s}: p50 {C.median(v):.2f} max {max(v):.2f}" for s, v in sorted(lat["by_step"].items())),
                  flush=True)
        if not args.no_worker:
            share = args.budget - (time.perf_counter() - t_start)
            w = with_worker(world, args, env, var_dir, time.monotonic() + max(share, 60))
            lat = w["lat"]
            rows.append([args.db, "huey worker (eta tasks + sweep)", len(lat["actual"]), *lat_cells(lat["actual"]),
                         f"{C.median(lat['recorded']):.2f} / {max(lat['recorded'] or [0]):.2f}", w["left"]])
            print(f"# worker: {len(lat['actual'])} pages in {w['seconds']:.0f} s; scheduling a task "
                  f"{w['schedule_ms']:.2f} ms; " + "; ".join(
                      f"step {s}: p50 {C.median(v):.2f} p99 {C.percentile(v, 99):.2f} max {max(v):.2f}"
                      for s, v in sorted(lat["by_step"].items()))
                  + f"; outbox not sent at the end: {w['unsent']}", flush=True)
            if "idle" in w:
                idle = w["idle"]["samples"]
                print(f"# idle probe: {len(idle)} single reports on an otherwise idle worker; first page after "
                      f"(s): {', '.join(f'{v:.2f}' for v in idle)}; p50 {C.median(idle):.2f}, max {max(idle):.2f}")
        print()
        C.print_table(["db", "mode", "pages", "p50 s", "mean s", "p99 s", "max s", "recorded p50 / max s",
                       "chains unfinished"], rows)
        print()
        C.print_table(["db", "interval", "sweeps", "ms per sweep p50 / p99 / max", "max fired in one sweep",
                       "ms per transition", "ms per transition per sweep p50 / p99 / max"], sweep_rows)
        print(f"\n# total run time {time.perf_counter() - t_start:.0f} s; load average {C.loadavg()}")
        return 0
    finally:
        C.clean_up(db=args.db, var_dir=var_dir, pg_name=args.pg_name, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
