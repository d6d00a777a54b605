#!/usr/bin/env python
"""Reading cases under the consent / need-to-know policy (``cases.policy``), pages and API.

What it does, per size N (a fresh database each time):

1. a fresh database (SQLite file in a temporary WIJKPUNT_VAR_DIR, or the PostgreSQL database
   ``wijkpunt_bench_cases``, dropped and created), migrated, roles synced, ``collectstatic`` (the
   pages use the manifest storage); ``WIJKPUNT_ENV=development``, ``WIJKPUNT_MFA_REQUIRED=0``, DEBUG off;
2. one corporation, one neighbourhood and 20 partner organisations (kinds mixed: care providers,
   debt help, wijkteam, police, ...); two users: a consultant (role ``wijkconsulent`` in the
   corporation) and a partner professional (role ``zorgprofessional`` in the first partner, a care
   provider);
3. generated **in SQL** (PostgreSQL ``INSERT … SELECT generate_series``, SQLite the same statements
   over a recursive CTE), with the real schema in place: N units, households and tenancies; N cases
   (90 % open, one in three assigned to the consultant); 3 participants per case from the pool of 20
   (75 % accepted, 10 % invited, 10 % declined, 5 % ended); per accepted participant one consent
   (75 % live, 13 % expired, 12 % withdrawn; categories persoon + situatie, some with zorg or schulden,
   some situatie only) and for half of them a second one (zorg or schulden, the same mix of states);
   5 notes (3 of the corporation, 2 of participants; categories and visibility mixed) and 10 events
   per case; and 20 AccessLog rows per case (the log of earlier reads: it grows with every read, the
   reads must not slow down with it). PostgreSQL gets ``VACUUM ANALYZE`` as autovacuum would;
4. timed, through Django's test client (``force_login``, the real URL routing and middleware, no
   server), per user, for ``--samples`` (200) random cases the user can reach (the partner reaches
   the cases in which its organisation is invited or accepted: about 12 % of N): the case page
   ``GET /werk/casussen/<id>/`` and the API detail ``GET /api/v1/cases/<id>/``: median and p95 ms, SQL
   queries per request (``CaptureQueriesContext``, on for every request) and AccessLog rows written
   per request. Then the list page ``/werk/casussen/`` and the API list ``/api/v1/cases/`` (median of
   ``--list-reps`` (5)): ms and queries;
5. an N+1 probe on one case in which the partner takes part with a live consent for persoon,
   situatie and zorg: the queries of the four reads, then again after adding, one kind at a time,
   10 notes, 10 events, 3 participants (accepted, each with a consent), 3 consents and 3 emergency
   disclosures for the partner's organisation, 5 actions and 6 documents (3 shared, 3 consent
   forms). A read whose count grows with a kind is an N+1; statements repeated 3 or more times in
   one read (the probe case's reads, the lists) are printed.

Usage:  .venv/bin/python benchmarks/case_access.py --db sqlite|postgres [--sizes 1000,10000]
        [--samples 200] [--budget 1800] [--nice-backend 10] [--keep]
Touches only 127.0.0.1 and a temporary directory. Prints tables; figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as C  # noqa: E402

LIMITS = {"sqlite": 200_000, "postgres": 500_000}
DEFAULT_SIZES = {"sqlite": "1000,10000", "postgres": "10000,100000"}
PARTNERS = 20
CASE_SPACING_S = 600  # case n was opened n * 10 minutes after the first one
PARTNER_KINDS = [  # (kind, partner_type) of the 20 partner organisations; the first is the partner user's
    ("zorgaanbieder", "zorgaanbieder"), ("partner", "schuldhulpverlening"), ("partner", "wijkteam"),
    ("gemeente", ""), ("partner", "wijkagent"), ("partner", "buurtbemiddeling"), ("zorgaanbieder", "zorgaanbieder"),
    ("partner", "jeugdwerk"), ("partner", "schuldhulpverlening"), ("partner", "wijkteam"),
] * 2
CASE_TYPES = ["SOC", "FIN", "LEE", "OMG", "SOC", "WOO"]
ROLES = ["ADV", "BEH", "BEL", "ZAA", "ADV", "BEH"]
EVENT_KINDS = ["geopend", "regisseur", "uitgenodigd", "uitgenodigd", "uitgenodigd", "geaccepteerd", "toestemming",
               "actie", "gegevens", "toestemming"]
SUMMARY = ("Huishouden met een stapeling van problemen: huurachterstand, klachten over geluid en een "
           "bewoner die zorg mijdt. Afspraak met wijkteam en zorgaanbieder om samen op te trekken. ") * 2


h = C.pseudo_random  # a deterministic pseudo-random 0..65535 from an integer column


def pick(col: str, k: int, values: list[str]) -> str:
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"(CASE {h(col, k)} % {len(values)} {whens} END)"


class Dialect(C.SqlDialect):
    def ts(self, moment: dt.datetime) -> str:
        text = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        return f"TIMESTAMPTZ '{text}+00'" if self.db == "postgres" else f"'{text}'"

    def ts_plus(self, moment: dt.datetime, seconds: str) -> str:
        if self.db == "postgres":
            return f"({self.ts(moment)} + ({seconds}) * INTERVAL '1 second')"
        return f"datetime({self.ts(moment)}, '+' || ({seconds}) || ' seconds')"

    def date(self, day: dt.date) -> str:
        return f"DATE '{day.isoformat()}'" if self.db == "postgres" else f"'{day.isoformat()}'"

    def json(self, expr: str) -> str:
        return f"CAST({expr} AS jsonb)" if self.db == "postgres" else expr


# --------------------------------------------------------------------------- generation


def slot_org(n: str, slot: int, first_partner: int) -> str:
    """The partner organisation in ``slot`` (0..2) of case ``n``: three distinct ones of the 20."""
    k0, d1, d2 = f"({h(n, 11)} % {PARTNERS})", f"(1 + {h(n, 12)} % 9)", f"(1 + {h(n, 13)} % 9)"
    offset = [k0, f"({k0} + {d1})", f"({k0} + {d1} + {d2})"][slot]
    return f"({first_partner} + {offset} % {PARTNERS})"


def generate(db: str, n: int) -> dict:
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from wijkpunt.core.models import Membership, Organisation, User
    from wijkpunt.core.roles import sync_roles
    from wijkpunt.housing.models import Municipality, Neighbourhood

    d = Dialect(db)
    sync_roles()
    corp = Organisation.objects.create(name="Woonstichting Bench", slug="bench", kind="corporatie",
                                       email="info@bench.example", phone="0301234567")
    partners = [Organisation.objects.create(name=f"Partner {i + 1} ({ptype or kind})", slug=f"partner-{i + 1}",
                                            kind=kind, partner_type=ptype)
                for i, (kind, ptype) in enumerate(PARTNER_KINDS[:PARTNERS])]
    first = partners[0].pk
    assert [p.pk for p in partners] == list(range(first, first + PARTNERS)), "partner ids not contiguous"
    muni = Municipality.objects.create(code="GM0355", name="Zeist")
    buurt = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                         district_name="Noord", municipality=muni)
    consultant = User.objects.create_user(username="consulent", password="bench-password-123", first_name="Anna",
                                          last_name="de Vries", email="anna@bench.example")
    Membership.objects.create(user=consultant, organisation=corp, role=Group.objects.get(name="wijkconsulent"))
    partner = User.objects.create_user(username="zorgprof", password="bench-password-123", first_name="Zeynep",
                                       last_name="Kaya", email="zeynep@partner.example")
    Membership.objects.create(user=partner, organisation=partners[0], role=Group.objects.get(name="zorgprofessional"))
    cu, pu, co = consultant.pk, partner.pk, corp.pk

    now = timezone.now().replace(microsecond=0)
    t0_case = now - dt.timedelta(seconds=n * CASE_SPACING_S + 86400)
    today = timezone.localdate(now)
    valid_from, expired, closed_on = (today - dt.timedelta(days=400), today - dt.timedelta(days=10),
                                      today - dt.timedelta(days=30))

    def created(extra_s: str = "0") -> str:
        return d.ts_plus(t0_case, f"n * {CASE_SPACING_S} + {extra_s}")

    t0 = time.perf_counter()
    if db == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -500000")
            cur.execute("PRAGMA synchronous = OFF")
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cur:
        prefix, series = d.series(n)
        cur.execute(
            f"{prefix}INSERT INTO housing_unit (id, corporation_id, complex_id, neighbourhood_id, code, kind, street, "
            "house_number, house_letter, house_number_addition, postcode, city, bag_id, latitude, longitude) "
            f"SELECT n, {co}, NULL, {buurt.pk}, 'E' || n, 'MGW', 'Merelstraat', n, '', '', '3701AB', 'Zeist', "
            f"NULL, NULL, NULL FROM {series}")
        cur.execute(
            f"{prefix}INSERT INTO housing_household (id, corporation_id, name, composition, size, contact_phone, "
            "contact_email, initials, surname_prefix, surname, birth_date) "
            f"SELECT n, {co}, 'Huishouden ' || n, 'gezin', 3, '0612345678', '', '', '', '', NULL FROM {series}")
        cur.execute(
            f"{prefix}INSERT INTO housing_tenancy (id, contract_number, unit_id, household_id, start_date, end_date, "
            f"monthly_rent) SELECT n, 'HC' || n, n, n, {d.date(dt.date(2020, 1, 1))}, NULL, 600 FROM {series}")
        is_open = f"{h('n', 1)} % 100 < 90"
        cur.execute(
            f"{prefix}INSERT INTO cases_case (id, organisation_id, household_id, unit_id, complex_id, neighbourhood_id, "
            "title, case_type, case_type_detail, reasons, summary, care_details, debt_details, source, status, "
            "closed_on, assigned_to_id, opened_by_id, created_at, steering_flag, steering_question, legal_hold, "
            "legal_hold_reason, anonymised_at) "
            f"SELECT n, {co}, n, n, NULL, {buurt.pk}, 'Huishouden ' || n || ' — Merelstraat ' || n, "
            f"{pick('n', 2, CASE_TYPES)}, '', {d.json(chr(39) + '[]' + chr(39))}, '{SUMMARY}', "
            "'Bewoner heeft een diagnose en mijdt de huisarts.', 'Huurachterstand en een betalingsregeling.', "
            f"'handmatig', CASE WHEN {is_open} THEN 'open' ELSE 'closed' END, "
            f"CASE WHEN {is_open} THEN NULL ELSE {d.date(closed_on)} END, "
            f"CASE WHEN {h('n', 3)} % 3 = 0 THEN {cu} ELSE NULL END, {cu}, {created()}, FALSE, '', FALSE, '', NULL "
            f"FROM {series}")
        for slot in range(3):
            state = f"{h('n', 20 + slot)} % 100"
            status = (f"(CASE WHEN {state} < 75 THEN 'geaccepteerd' WHEN {state} < 85 THEN 'uitgenodigd' "
                      f"WHEN {state} < 95 THEN 'geweigerd' ELSE 'beeindigd' END)")
            cur.execute(
                f"{prefix}INSERT INTO cases_caseparticipant (case_id, organisation_id, role, request, status, "
                "invited_by_id, invited_at, answered_by_id, answered_at, decline_reason, ended_at) "
                f"SELECT n, {slot_org('n', slot, first)}, {pick('n', 30 + slot, ROLES)}, "
                f"'Graag meedenken over ondersteuning', {status}, {cu}, {created(str(60 * (slot + 1)))}, NULL, "
                f"CASE WHEN {state} < 75 OR {state} >= 85 THEN {created(str(3600 * (slot + 1)))} ELSE NULL END, "
                f"CASE WHEN {state} >= 85 AND {state} < 95 THEN 'Geen capaciteit' ELSE '' END, "
                f"CASE WHEN {state} >= 95 THEN {created('86400')} ELSE NULL END FROM {series}")
        # consents: per accepted participant one, and for half of them a second (zorg or schulden)
        for k, base_cats, extra in [(40, True, "1 = 1"), (44, False, f"{h('id', 43)} % 2 = 0")]:
            cats = f"{h('id', k)} % 10"
            categories = (f"(CASE WHEN {cats} < 6 THEN '[\"persoon\", \"situatie\"]' "
                          f"WHEN {cats} < 8 THEN '[\"persoon\", \"situatie\", \"zorg\"]' "
                          f"WHEN {cats} < 9 THEN '[\"persoon\", \"situatie\", \"schulden\"]' "
                          "ELSE '[\"situatie\"]' END)") if base_cats else (
                f"(CASE WHEN {cats} < 6 THEN '[\"zorg\"]' ELSE '[\"schulden\"]' END)")
            state = f"{h('id', k + 1)} % 100"
            recorded = d.ts_plus(t0_case, f"case_id * {CASE_SPACING_S} + 7200")
            withdrawn = d.ts_plus(t0_case, f"case_id * {CASE_SPACING_S} + 86400")
            cur.execute(
                "INSERT INTO cases_consent (case_id, organisation_id, categories, purpose, given_by, method, witness, "
                "form_document_id, valid_from, valid_until, recorded_by_id, recorded_at, withdrawn_at, "
                "withdrawn_by_id, withdrawal_note) "
                f"SELECT case_id, organisation_id, {d.json(categories)}, 'Afstemmen van ondersteuning', "
                f"'Bewoner', 'formulier', '', NULL, {d.date(valid_from)}, "
                f"CASE WHEN {state} >= 75 AND {state} < 88 THEN {d.date(expired)} ELSE NULL END, {cu}, {recorded}, "
                f"CASE WHEN {state} >= 88 THEN {withdrawn} ELSE NULL END, NULL, '' "
                f"FROM cases_caseparticipant WHERE status = 'geaccepteerd' AND {extra}")
        for j in range(5):
            org = str(co) if j < 3 else slot_org("n", j - 3, first)
            author = str(cu) if j < 3 else f"CASE WHEN {org} = {first} THEN {pu} ELSE NULL END"
            cat = f"{h('n', 50 + j)} % 20"
            cur.execute(
                f"{prefix}INSERT INTO cases_casenote (case_id, author_id, organisation_id, category, visibility, text, "
                f"is_closing, created_at) SELECT n, {author}, {org}, "
                f"CASE WHEN {cat} < 12 THEN 'situatie' WHEN {cat} < 15 THEN 'persoon' WHEN {cat} < 18 THEN 'zorg' "
                f"ELSE 'schulden' END, CASE WHEN {h('n', 60 + j)} % 2 = 0 THEN 'deelnemers' ELSE 'eigen' END, "
                f"'Notitie {j + 1}: huisbezoek afgelegd, afspraken gemaakt over de volgende stap. Bewoner is "
                f"bereikbaar via de wijkconsulent. Casus ' || n, FALSE, {created(str(7200 * (j + 1)))} FROM {series}")
        for j, kind in enumerate(EVENT_KINDS):
            org = slot_org("n", 0, first) if kind == "geaccepteerd" else str(co)
            cur.execute(
                f"{prefix}INSERT INTO cases_caseevent (case_id, kind, text, actor_id, organisation_id, "
                f"for_participants, at) SELECT n, '{kind}', 'Gebeurtenis {j + 1} in de casus', {cu}, {org}, "
                f"{h('n', 70 + j)} % 2 = 0, {created(str(1800 * j))} FROM {series}")
        for j in range(20):
            partner_read = j % 5 == 4
            cur.execute(
                f"{prefix}INSERT INTO core_accesslog (user_id, organisation_id, household_id, subject, subject_id, "
                f"purpose, role, at) SELECT {pu if partner_read else cu}, {first if partner_read else co}, n, "
                f"'{'case.care' if j % 7 == 3 else 'case'}', n, 'Casus', "
                f"'{'Zorgprofessional — Adviseur' if partner_read else 'Wijkconsulent'}', "
                f"{created(str(7200 * j))} FROM {series}")
        if db == "postgres":
            for table in ("housing_unit", "housing_household", "housing_tenancy", "cases_case"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    t_rows = time.perf_counter()
    with connection.cursor() as cur:
        if db == "postgres":
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("PRAGMA cache_size = -2000")  # back to the default the app runs with
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for table in ("cases_caseparticipant", "cases_consent", "cases_casenote", "cases_caseevent",
                      "core_accesslog"):
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
    return {"corp": corp, "partners": partners, "consultant": consultant, "partner": partner, "counts": counts,
            "rows_s": t_rows - t0, "total_s": time.perf_counter() - t0}


# --------------------------------------------------------------------------- measuring


def is_log_insert(sql: str) -> bool:
    return sql.startswith('INSERT INTO "core_accesslog"')


def get(client, url: str) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log is a deque of 9,000: once full, CaptureQueriesContext would count 0
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        response = client.get(url)
        ms = (time.perf_counter() - t0) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code}")
    sqls = [q["sql"] for q in ctx.captured_queries]
    return {"ms": ms, "queries": len(sqls), "logged": sum(1 for s in sqls if is_log_insert(s)), "sqls": sqls,
            "response": response}


def summary(results: list[dict]) -> dict:
    ms = [r["ms"] for r in results]
    queries = [r["queries"] for r in results]
    logged = [r["logged"] for r in results]
    return {"n": len(results), "median": C.median(ms), "p95": C.percentile(ms, 95), "q_min": min(queries),
            "q_med": C.median(queries), "q_max": max(queries), "log_min": min(logged), "log_max": max(logged),
            "log_mean": sum(logged) / len(logged)}


def q_range(lo, med, hi) -> str:
    return f"{lo}" if lo == hi else f"{lo}–{hi} (median {med:g})"


def partner_side(response) -> str:
    body = response.json()
    access = body["access"]
    if access["side"] == "invited":
        return "invited"
    return "no consent" if not access["categories"] else "consent: " + "+".join(access["categories"])


def measure_details(args, client, ids: list[int], deadline: float) -> tuple[dict, dict, Counter]:
    """Page and API detail for each id (page first, then API); the partner's access per case from the API."""
    pages, apis, sides = [], [], Counter()
    for pk in ids:
        if time.perf_counter() > deadline:
            break
        pages.append(get(client, f"/werk/casussen/{pk}/"))
    for pk in ids[: len(pages)]:
        r = get(client, f"/api/v1/cases/{pk}/")
        apis.append(r)
        sides[partner_side(r["response"])] += 1
    return summary(pages), summary(apis), sides


def measure_list(client, url: str, reps: int, label: str) -> dict:
    results = [get(client, url) for _ in range(reps)]
    return {**summary(results), "repeated": repeated(results[-1]["sqls"], label)}


def normalise(sql: str) -> str:
    """Numbers (ids, limits, dates) as ``?``; quoted strings stay (one permission's lookup is not another's)."""
    return re.sub(r"\b\d+\b", "?", sql)


def repeated(sqls: list[str], label: str, least: int = 3) -> list[str]:
    return [f"{label}: {times} × {sql[:150]}" for sql, times in Counter(normalise(s) for s in sqls).most_common()
            if times >= least]


def probe(gen: dict) -> tuple[list[list], list[str]]:
    """Queries of the four reads of one case, then after adding children of one kind at a time."""
    from django.test import Client
    from django.utils import timezone

    from wijkpunt.cases.models import (
        Case,
        CaseAction,
        CaseDocument,
        CaseEvent,
        CaseNote,
        CaseParticipant,
        Consent,
        EmergencyDisclosure,
    )

    corp, partners, consultant, partner = gen["corp"], gen["partners"], gen["consultant"], gen["partner"]
    own = partners[0]
    part = (CaseParticipant.objects.filter(organisation=own, case__status="open").order_by("case_id").first())
    case = Case.objects.get(pk=part.case_id)
    CaseParticipant.objects.filter(pk=part.pk).update(status="geaccepteerd", answered_at=timezone.now())
    today = timezone.localdate()

    def consent(org, cats):
        return Consent(case=case, organisation=org, categories=cats, purpose="Probe", given_by="Bewoner",
                       method="formulier", valid_from=today - dt.timedelta(days=1), recorded_by=consultant)

    Consent.objects.bulk_create([consent(own, ["persoon", "situatie", "zorg"])])
    others = [p for p in partners if not CaseParticipant.objects.filter(case=case, organisation=p).exists()]
    clients = {}
    for who, user in (("owner", consultant), ("partner", partner)):
        clients[who] = Client(SERVER_NAME="localhost")
        clients[who].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    reads = [(who, kind, url) for who in ("owner", "partner")
             for kind, url in (("page", f"/werk/casussen/{case.pk}/"), ("API", f"/api/v1/cases/{case.pk}/"))]

    def add_notes():
        CaseNote.objects.bulk_create(
            [CaseNote(case=case, author=consultant if i % 2 else partner, organisation=corp if i % 2 else own,
                      category="situatie", visibility="deelnemers", text=f"Probe-notitie {i}") for i in range(10)])

    def add_events():
        CaseEvent.objects.bulk_create(
            [CaseEvent(case=case, kind="actie", text=f"Probe {i}", actor=consultant,
                       organisation=corp if i % 2 else others[i % 5], for_participants=True) for i in range(10)])

    def add_participants():
        CaseParticipant.objects.bulk_create(
            [CaseParticipant(case=case, organisation=o, request="Probe", status="geaccepteerd", invited_by=consultant)
             for o in others[5:8]])
        Consent.objects.bulk_create([consent(o, ["situatie"]) for o in others[5:8]])

    def add_own_consents():
        Consent.objects.bulk_create([consent(own, ["situatie"]) for _ in range(3)])

    def add_disclosures():
        EmergencyDisclosure.objects.bulk_create(
            [EmergencyDisclosure(case=case, organisation=own, categories=["situatie"], ground="vitaal_belang",
                                 reasoning="Probe", valid_until=timezone.now() + dt.timedelta(days=7),
                                 decided_by=consultant) for _ in range(3)])

    def add_actions():
        CaseAction.objects.bulk_create(
            [CaseAction(case=case, title=f"Probe {i}", owner_organisation=corp if i % 2 else own,
                        owner=consultant if i % 2 else partner, created_by=consultant) for i in range(5)])

    def add_documents():
        CaseDocument.objects.bulk_create(
            [CaseDocument(case=case, title=f"Probe {i}", file=f"cases/{case.pk}/probe-{i}.pdf",
                          content_type="application/pdf", size=1000, category="situatie", visibility="deelnemers",
                          is_consent_form=i >= 3, organisation=corp, uploaded_by=consultant) for i in range(6)])

    steps = [("base", None), ("+10 notes", add_notes), ("+10 events", add_events),
             ("+3 participants (+consent)", add_participants), ("+3 consents of the partner", add_own_consents),
             ("+3 disclosures to the partner", add_disclosures),
             ("+5 actions", add_actions), ("+6 documents (3 consent forms)", add_documents)]
    counts: dict[tuple[str, str], list[int]] = {(who, kind): [] for who, kind, _url in reads}
    repeats: list[str] = []
    for name, step in steps:
        if step:
            step()
        for who, kind, url in reads:
            r = get(clients[who], url)
            counts[(who, kind)].append(r["queries"])
            if name == steps[-1][0]:
                repeats += repeated(r["sqls"], f"{who} {kind} (probe case)")
    rows = [[f"{who} {kind}", *(str(c) for c in values)] for (who, kind), values in counts.items()]
    return [["read", *[s for s, _f in steps]], *rows], [f"case {case.pk}", *repeats]


def one_size(args, n: int, var_dir: Path, deadline: float) -> dict:
    from django.db import connections
    from django.test import Client

    from wijkpunt.cases.models import Case, CaseParticipant
    from wijkpunt.core.models import AccessLog

    pid = C.fresh_database(args.db, pg_name=args.pg_name, var_dir=var_dir, nice_backend=args.nice_backend)
    gen = generate(args.db, n)
    if args.db == "sqlite" and args.sqlite_analyze:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    counts = gen["counts"]
    print(f"# {n:,} cases generated in {gen['total_s']:.1f} s: " + ", ".join(
        f"{t.split('_', 1)[1]} {c:,}" for t, c in counts.items()) + f"; load average {C.loadavg()}", flush=True)

    connections.close_all()  # a fresh connection for the measurements
    pid = C.backend_pid(args.db)
    if pid and args.nice_backend:
        os.setpriority(os.PRIO_PROCESS, pid, args.nice_backend)
    rng = random.Random(n)
    owner_ids = list(Case.objects.filter(organisation=gen["corp"]).values_list("pk", flat=True))
    partner_ids = sorted(set(CaseParticipant.objects.filter(
        organisation=gen["partners"][0], status__in=("uitgenodigd", "geaccepteerd")).values_list("case_id", flat=True)))
    log_before = AccessLog.objects.count()
    rows, sides = [], {}
    for who, user, ids in (("owner", gen["consultant"], owner_ids), ("partner", gen["partner"], partner_ids)):
        client = Client(SERVER_NAME="localhost")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        sample = rng.sample(ids, min(args.samples, len(ids)))
        for pk in sample[:3]:  # warm-up (templates, first queries), not timed
            get(client, f"/werk/casussen/{pk}/")
            get(client, f"/api/v1/cases/{pk}/")
        page, api, sides[who] = measure_details(args, client, sample, deadline)
        rows.append((who, "case page", page, len(ids)))
        rows.append((who, "API detail", api, len(ids)))
        get(client, "/werk/casussen/")  # warm-up
        rows.append((who, "list page", measure_list(client, "/werk/casussen/", args.list_reps, f"{who} list page"),
                     len(ids)))
        rows.append((who, "API list", measure_list(client, "/api/v1/cases/", args.list_reps, f"{who} API list"),
                     len(ids)))
        print(f"#   {who}: reaches {len(ids):,} cases; " + "; ".join(
            f"{kind} {r['median']:.1f} ms median, {r['p95']:.1f} p95, {q_range(r['q_min'], r['q_med'], r['q_max'])} "
            f"queries" for _w, kind, r, _n in rows[-4:]), flush=True)
    logged = AccessLog.objects.count() - log_before
    print(f"#   access log: {logged:,} rows written by the measured reads; partner's access in the sample: "
          + ", ".join(f"{k} {v}" for k, v in sides["partner"].most_common()), flush=True)
    table, repeats = probe(gen)
    repeats += [line for _w, _k, r, _n in rows for line in r.get("repeated", [])]
    return {"n": n, "gen_s": gen["total_s"], "counts": counts, "rows": rows, "probe": table, "repeated": repeats,
            "logged": logged}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--sizes", help="comma-separated case counts (default: sqlite 1000,10000; postgres 10000,100000)")
    ap.add_argument("--samples", type=int, default=200, help="random reachable cases per user (10..1000)")
    ap.add_argument("--list-reps", type=int, default=5, help="requests per list (median; 1..20)")
    ap.add_argument("--budget", type=float, default=1800.0,
                    help="seconds; a size is skipped when its estimate (linear in N) would not fit")
    ap.add_argument("--nice-backend", type=int, default=0,
                    help="renice the PostgreSQL server backend of the benchmark's connection (0: leave it)")
    ap.add_argument("--sqlite-analyze", action="store_true", help="ANALYZE the SQLite database after the load")
    ap.add_argument("--pg-name", default="wijkpunt_bench_cases")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and the PG database (last size)")
    args = ap.parse_args(argv)
    args.size_list = sorted(int(s) for s in (args.sizes or DEFAULT_SIZES[args.db]).split(",") if s.strip())
    if not args.size_list or not all(100 <= s <= LIMITS[args.db] for s in args.size_list) \
            or not 10 <= args.samples <= 1000 or not 1 <= args.list_reps <= 20 \
            or not 60 <= args.budget <= 7200 or not 0 <= args.nice_backend <= 19:
        ap.error(f"out of bounds: sizes 100..{LIMITS[args.db]:,} for {args.db}, --samples 10..1000, "
                 "--list-reps 1..20, --budget 60..7200 s, --nice-backend 0..19")
    if args.pg_name in ("wijkpunt", "wijkpunt_bench") or not args.pg_name.startswith("wijkpunt_bench_"):
        ap.error("--pg-name must start with wijkpunt_bench_ and not be another benchmark's database")

    t_start = time.perf_counter()
    deadline = t_start + args.budget
    var_dir = C.make_temp_var_dir("wijkpunt-bench-cases-")
    env = C.bench_env(args.db, var_dir, pg_name=args.pg_name, WIJKPUNT_MFA_REQUIRED="0", WIJKPUNT_DEBUG="0")
    print(f"# case_access --db {args.db}  ({C.machine_line()}; PostgreSQL {C.pg_version()}); "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average {C.loadavg()}", flush=True)
    results, skipped = [], []
    try:
        if args.db == "postgres":
            C.recreate_pg_database(args.pg_name)
        C.setup_django(env, migrate=False)
        from django.conf import settings
        from django.core.management import call_command

        assert not settings.DEBUG and not settings.WIJKPUNT_MFA_REQUIRED
        call_command("collectstatic", interactive=False, verbosity=0)
        last = None
        for n in args.size_list:
            left = deadline - time.perf_counter()
            estimate = last[1] * n / last[0] if last else 0.0
            if estimate > left:
                skipped.append(n)
                print(f"# skipped {n:,}: estimated {estimate:.0f} s, {left:.0f} s of the budget left", flush=True)
                continue
            t0 = time.perf_counter()
            results.append(one_size(args, n, var_dir, deadline))
            last = (n, time.perf_counter() - t0)
        print()
        C.print_table(
            ["db", "cases", "participants", "consents", "notes", "events", "access log rows", "generate s"],
            [[args.db, f"{r['n']:,}", *(f"{c:,}" for c in r["counts"].values()), f"{r['gen_s']:.1f}"]
             for r in results])
        print()
        C.print_table(
            ["db", "cases", "user (reaches)", "request", "n", "median ms", "p95 ms", "queries / request",
             "access-log rows / request"],
            [[args.db, f"{r['n']:,}", f"{who} ({reach:,})", kind, s["n"], f"{s['median']:.1f}", f"{s['p95']:.1f}",
              q_range(s["q_min"], s["q_med"], s["q_max"]),
              f"{s['log_min']}" if s["log_min"] == s["log_max"] else f"{s['log_min']}–{s['log_max']} "
                                                                     f"(mean {s['log_mean']:.2f})"]
             for r in results for who, kind, s, reach in r["rows"]])
        for r in results:
            print(f"\n# N+1 probe at {r['n']:,} ({r['repeated'][0]}): queries per read after each addition")
            C.print_table(r["probe"][0], r["probe"][1:])
            if r is results[-1] and len(r["repeated"]) > 1:
                print("# statements run 3 or more times in one read (probe case after all additions; lists):")
                for line in r["repeated"][1:]:
                    print(f"#   {line}")
        if skipped:
            print(f"# skipped sizes (budget): {', '.join(f'{s:,}' for s in skipped)}")
        print(f"\n# total run time {time.perf_counter() - t_start:.0f} s; load average {C.loadavg()}")
        return 0
    finally:
        C.clean_up(db=args.db, var_dir=var_dir, pg_name=args.pg_name, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
