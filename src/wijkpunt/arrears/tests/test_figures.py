"""Management figures on a hand-built dataset: September and October 2026, Zeist and Utrecht."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from wijkpunt.arrears import figures
from wijkpunt.arrears.models import ArrearsRun, EpisodeStep, MunicipalityAgreement, Signal
from wijkpunt.cases.tests.factories import build_world, make_episode, make_home
from wijkpunt.core.models import AccessLog, Membership

TODAY = dt.date(2026, 11, 10)
URL = "/werk/huur/cijfers/"


def aware(day: dt.date, hour: int = 2) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def run(corp, day: dt.date, tenants: int, total_cents: int, *, finished: bool = True, hour: int = 2) -> ArrearsRun:
    return ArrearsRun.objects.create(corporation=corp, run_on=day, started_at=aware(day, hour),
                                     finished_at=aware(day, hour + 1) if finished else None,
                                     tenancies_in_arrears=tenants, total_cents=total_cents)


def signal(episode, municipality, day: dt.date) -> Signal:
    agreement, _ = MunicipalityAgreement.objects.get_or_create(
        corporation=episode.corporation, municipality=municipality, valid_from=dt.date(2026, 1, 1))
    return Signal.objects.create(episode=episode, agreement=agreement, municipality=municipality,
                                 amount_cents=episode.amount_cents, arose_on=episode.arose_on, signal_date=day)


def closed(tenancy, outcome: str, on: dt.date, *, peak_cents: int, status: str = "closed"):
    return make_episode(tenancy, amount_cents=0 if status == "closed" else peak_cents, months="0",
                        arose_on=dt.date(2026, 6, 1), opened_on=dt.date(2026, 7, 1), status=status,
                        peak_cents=peak_cents, outcome=outcome, outcome_on=on,
                        closed_on=on if status == "closed" else None)


def step(episode, kind: str, on: dt.date, **data) -> EpisodeStep:
    return EpisodeStep.objects.create(episode=episode, kind=kind, occurred_on=on, data=data)


@pytest.fixture
def w(db):
    w = build_world()
    corp = w.corp
    # Runs: the last finished run of a month is its month-end snapshot.
    run(corp, dt.date(2026, 8, 31), 50, 500000)  # before the period
    run(corp, dt.date(2026, 9, 10), 10, 100000)
    run(corp, dt.date(2026, 9, 30), 12, 150000)
    run(corp, dt.date(2026, 10, 31), 8, 90000)
    run(corp, dt.date(2026, 10, 31), 99, 9999900, finished=False, hour=5)  # still running: ignored
    run(w.other_corp, dt.date(2026, 9, 30), 5, 5000)

    # Outcomes (rent € 600 a month: three months is 180000 cents).
    homes = [make_home(corp, w.vogelwijk, "Vinkstraat", n, "3703ZZ", "Zeist", f"Huishouden {n}") for n in range(1, 5)]
    w.e_recovered_serious = closed(w.jansen, "recovered", dt.date(2026, 9, 15), peak_cents=180000)
    closed(homes[0], "recovered", dt.date(2026, 9, 16), peak_cents=179999)  # just below three months
    closed(w.bakker, "arrangement", dt.date(2026, 9, 25), peak_cents=60000)
    debt_help = closed(w.visser, "debt_help", dt.date(2026, 10, 5), peak_cents=30000)
    step(debt_help, "bailiff_handover", dt.date(2026, 9, 20))
    w.e_evicted = closed(w.yilmaz, "evicted", dt.date(2026, 10, 20), peak_cents=400000)
    step(w.e_evicted, "bailiff_handover", dt.date(2026, 8, 20))
    pending = closed(homes[1], "termination_requested", dt.date(2026, 10, 25), peak_cents=300000, status="open")
    step(pending, "bailiff_handover", dt.date(2026, 9, 1))
    turned = closed(homes[2], "recovered", dt.date(2026, 10, 28), peak_cents=50000)
    step(turned, "outcome", dt.date(2026, 10, 1), outcome="termination_requested")
    closed(homes[3], "recovered", dt.date(2026, 7, 1), peak_cents=900000)  # before the period
    closed(w.elders, "evicted", dt.date(2026, 10, 3), peak_cents=900000)  # another corporation

    # Signals per municipality.
    signal(w.e_recovered_serious, w.zeist, dt.date(2026, 9, 5))
    signal(debt_help, w.zeist, dt.date(2026, 9, 20))
    signal(w.e_evicted, w.utrecht, dt.date(2026, 9, 21))
    signal(w.e_recovered_serious, w.zeist, dt.date(2026, 10, 2))
    signal(w.e_recovered_serious, w.zeist, dt.date(2026, 8, 30))  # before the period
    other = make_episode(w.elders, arose_on=dt.date(2026, 8, 1))
    signal(other, w.zeist, dt.date(2026, 9, 9))  # another corporation
    return w


def by_month(data) -> dict[str, figures.MonthFigures]:
    return {row.month.strftime("%Y-%m"): row for row in data["months"]}


def test_figures_per_month_on_a_hand_built_dataset(w):
    data = figures.arrears_figures(w.regisseur, months=3, today=TODAY)
    months = by_month(data)
    assert list(months) == ["2026-09", "2026-10", "2026-11"]
    sep, oct_, nov = months["2026-09"], months["2026-10"], months["2026-11"]

    assert (sep.run_on, sep.tenants, sep.total_cents) == (dt.date(2026, 9, 30), 12, 150000)
    assert (oct_.run_on, oct_.tenants, oct_.total_cents) == (dt.date(2026, 10, 31), 8, 90000)
    assert (nov.run_on, nov.tenants, nov.total_cents) == (None, None, None)
    assert [sep.bar_percent, oct_.bar_percent, nov.bar_percent] == [100, 60, 0]

    assert data["municipalities"] == ["Utrecht", "Zeist"]
    assert sep.signals == {"Zeist": 2, "Utrecht": 1} and sep.signal_cells == [1, 2] and sep.signals_total == 3
    assert oct_.signals == {"Zeist": 1} and oct_.signal_cells == [0, 1]
    assert nov.signals == {}

    assert sep.outcomes == {"recovered": 2, "arrangement": 1}
    assert oct_.outcomes == {"debt_help": 1, "evicted": 1, "termination_requested": 1, "recovered": 1}
    assert oct_.outcome_cells == [1, 0, 1, 1, 1]  # in the order of Outcome

    # Prevented: the serious recovery in September (exactly three months of rent), and in October
    # the debt help after a bailiff and the recovery after termination was requested.
    assert (sep.prevented, sep.evicted) == (1, 0)
    assert (oct_.prevented, oct_.evicted) == (2, 1)
    assert data["totals"]["signals"] == 4
    assert (data["totals"]["prevented"], data["totals"]["evicted"]) == (3, 1)
    assert data["organisations"] == ["Woonstichting Lindehof"]


def test_figures_sum_over_the_users_corporations(w):
    Membership.objects.create(user=w.manager, organisation=w.other_corp, role=Group.objects.get(name="management"))
    months = by_month(figures.arrears_figures(w.manager, months=3, today=TODAY))
    assert (months["2026-09"].tenants, months["2026-09"].total_cents) == (17, 155000)
    assert months["2026-09"].signals == {"Zeist": 3, "Utrecht": 1}
    assert months["2026-10"].evicted == 2


def test_figures_without_the_permission_are_empty(w):
    data = figures.arrears_figures(w.staff, months=3, today=TODAY)
    assert all(r.tenants is None and not r.signals and not r.outcomes for r in data["months"])


@pytest.fixture
def on_today(monkeypatch):
    monkeypatch.setattr(figures.timezone, "localdate", lambda *a, **k: TODAY)


def test_page_shows_the_tables_and_logs_nothing(client, w, on_today):
    client.force_login(w.manager)
    response = client.get(URL, {"maanden": "3"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cijfers huurachterstand" in body and "€\u00a01.500,00" in body and "€\u00a0900,00" in body
    assert 'style="width: 60%"' in body
    assert "Ontruiming voorkomen" in body and 'data-testid="definitions"' in body
    for name in ("Familie Jansen", "Merelstraat", "Familie Yılmaz"):
        assert name not in body
    assert not AccessLog.objects.exists()


def test_csv_download_has_the_same_figures(client, w, on_today):
    client.force_login(w.regisseur)
    response = client.get(URL, {"maanden": "3", "formaat": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="huurachterstand-cijfers-2026-09-2026-11.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Maand", "Peildatum", "Huurders met achterstand", "Totale achterstand (EUR)",
                       "Signalen Utrecht", "Signalen Zeist", "Signalen totaal", "Ingelopen (betaald)",
                       "Betalingsregeling nagekomen", "Schuldhulpverlening gestart", "Ontbinding gevraagd",
                       "Ontruimd", "Ontruiming voorkomen", "Ontruimd"]
    assert rows[1] == ["2026-09", "2026-09-30", "12", "1500,00", "1", "2", "3", "2", "1", "0", "0", "0", "1", "0"]
    assert rows[2] == ["2026-10", "2026-10-31", "8", "900,00", "0", "1", "1", "1", "0", "1", "1", "1", "2", "1"]
    assert rows[3] == ["2026-11", "", "", "", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"]
    assert not AccessLog.objects.exists()


def test_csv_cells_cannot_become_formulas(w, on_today):
    w.zeist.name = "=HYPERLINK(\"http://evil\")"
    w.zeist.save()
    text = figures.figures_csv(figures.arrears_figures(w.regisseur, months=3))
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for cell in row]
    assert "Signalen =HYPERLINK(\"http://evil\")" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert figures._cell("=1+1") == "'=1+1" and figures._cell("-5") == "'-5" and figures._cell("Zeist") == "Zeist"


@pytest.mark.parametrize("who", ["staff", "partner", "consultant", "incasso", "volunteer", "nobody"])
def test_forbidden_without_view_figures(client, w, who):
    client.force_login(getattr(w, who))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"formaat": "csv"}).status_code == 403


@pytest.mark.parametrize("query", ["maanden=abc", "maanden=-1", "maanden=0", "maanden=999999999999",
                                   "maanden=36", "formaat=pdf", "maanden=%00", "formaat=csv&maanden=x"])
def test_bad_values_never_fail(client, w, query):
    client.force_login(w.admin)
    assert client.get(f"{URL}?{query}").status_code == 200


def test_parse_months():
    assert [figures.parse_months(v) for v in ("", None, "abc", "0", "-2", "7", "36", "37", "1" * 30)] == [
        12, 12, 12, 1, 12, 7, 36, 36, 12]
