#!/usr/bin/env python
"""Results of a door-to-door consultation (``consultation.selectors.results_for``): time and queries.

Per size N (a fresh database each time): one corporation, one complex with N units over
``N / 50`` streets, a consultation over all of them with 10 questions (4 single choice, 2 multiple
choice, 3 scales, 1 free text), and visits generated in bulk: 8 % not home once before a final
outcome, 70 % answered (all questions), 10 % refused, 3 % moved, the rest not visited. Then
timed (median and max of ``--reps``, default 5): the staff computation with free text
(``include_text=True``), the public view (``public_results``), and the results page and API through
Django's test client; the SQL queries of each (``CaptureQueriesContext``).

Usage:  .venv/bin/python benchmarks/consultation_results.py --db sqlite|postgres [--sizes 500,5000] [--reps 5]
        [--keep]
Touches only 127.0.0.1 and a temporary directory. Prints a table; figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

LIMIT = 50_000
PG_NAME = "wijkpunt_bench_consultation"


def build(n: int):
    from django.db import transaction

    from wijkpunt.consultation import services
    from wijkpunt.consultation.models import Answer, Consultation, Question, Visit
    from wijkpunt.housing.models import Unit

    world = C.build_world(units=0)
    cx = world.complexes[0]
    units = [Unit(corporation=world.corp, complex=cx, neighbourhood=cx.neighbourhood, code=f"E{i}",
                  street=f"Straat {i // 50:03d}", house_number=i % 50 + 1, postcode=f"{3700 + i // 50 % 300}AB",
                  city="Zeist") for i in range(n)]
    Unit.objects.bulk_create(units, batch_size=1000)
    c = services.consultation_create(corporation=world.corp, complex=cx, title=f"Bench {n}", actor=None,
                                     starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 1))
    for i in range(4):
        services.question_add(consultation=c, kind="keuze", text=f"Keuze {i}", options=["Ja", "Nee", "Weet niet"])
    for i in range(2):
        services.question_add(consultation=c, kind="meerkeuze", text=f"Meer {i}", options=["A", "B", "C", "D"])
    for i in range(3):
        services.question_add(consultation=c, kind="schaal", text=f"Schaal {i}")
    services.question_add(consultation=c, kind="open", text="Nog iets?", required=False)
    services.consultation_open(consultation=c)
    questions = list(c.questions.prefetch_related("options"))
    rng = random.Random(1)
    visits, plan = [], []
    for address in c.addresses.order_by("position"):
        roll = rng.random()
        outcome = ("beantwoord" if roll < 0.70 else "geweigerd" if roll < 0.80 else "verhuisd" if roll < 0.83
                   else None)
        if outcome and rng.random() < 0.08:
            visits.append(Visit(consultation=c, address=address, street=address.street, outcome="niet-thuis"))
        if outcome:
            visits.append(Visit(consultation=c, address=address, street=address.street, outcome=outcome,
                                remarks="Vriendelijk gesprek" if rng.random() < 0.2 else ""))
            plan.append(outcome)
    with transaction.atomic():
        Visit.objects.bulk_create(visits, batch_size=1000)
        answers = []
        for v in Visit.objects.filter(consultation=c, outcome="beantwoord"):
            for q in questions:
                opts = list(q.options.all())
                if q.kind == Question.Kind.CHOICE:
                    answers.append(Answer(visit=v, question=q, option=rng.choice(opts)))
                elif q.kind == Question.Kind.MULTIPLE:
                    answers += [Answer(visit=v, question=q, option=o) for o in rng.sample(opts, 2)]
                elif q.kind == Question.Kind.SCALE:
                    answers.append(Answer(visit=v, question=q, number=rng.randint(1, 5)))
                elif rng.random() < 0.3:
                    answers.append(Answer(visit=v, question=q, text="Graag snel duidelijkheid"))
        Answer.objects.bulk_create(answers, batch_size=2000)
    return world, Consultation.objects.get(pk=c.pk), len(visits), len(answers)


def timed(fn, reps: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(reps):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return C.median(times), max(times), queries


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sizes", default="500,5000")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if any(s > LIMIT or s < 1 for s in sizes):
        sys.exit(f"sizes must be 1..{LIMIT}")
    var_dir = C.make_temp_var_dir("wp-bench-consultation-")
    env = C.bench_env(args.db, var_dir, pg_name=PG_NAME, WIJKPUNT_MFA_REQUIRED="0")
    C.setup_django(env, migrate=False)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the page uses the manifest storage
    print(f"# consultation results, {args.db}; {C.machine_line()}; load {C.loadavg()}")
    rows = []
    try:
        for n in sizes:
            C.fresh_database(args.db, pg_name=PG_NAME, var_dir=var_dir)
            from django.test import Client

            from wijkpunt.consultation import selectors

            start = time.perf_counter()
            world, c, n_visits, n_answers = build(n)
            built = time.perf_counter() - start
            client = Client(HTTP_HOST="localhost")
            client.force_login(world.staff)
            url = f"/werk/raadplegingen/{c.pk}/uitslag/"
            api = f"/api/v1/consultations/{c.pk}/results/"
            for name, fn in [
                ("results_for (staff, with text)", lambda c=c: selectors.results_for(c, include_text=True)),
                ("public_results", lambda c=c: selectors.public_results(c)),
                ("GET results page", lambda client=client, url=url: _ok(client.get(url))),
                ("GET API results", lambda client=client, api=api: _ok(client.get(api))),
                ("address_rows (walking list)", lambda c=c: selectors.address_rows(c)),
            ]:
                med, worst, queries = timed(fn, args.reps)
                rows.append([n, n_visits, n_answers, name, f"{med:.0f}", f"{worst:.0f}", queries])
            print(f"# N={n}: data built in {built:.1f} s", flush=True)
    finally:
        C.print_table(["addresses", "visits", "answers", "what", "median ms", "max ms", "queries"], rows)
        print(f"# load at end {C.loadavg()}")
        C.clean_up(db=args.db, var_dir=var_dir, pg_name=PG_NAME, keep=args.keep)


if __name__ == "__main__":
    main()
