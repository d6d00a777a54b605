"""Staff pages around the process: signals and their exchange with the municipality, the ledger
import with the run, and the agreements (convenanten) with municipalities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.housing.import_records import ImportFailed

from . import exchange, selectors
from .forms import AgreementForm, UploadForm
from .models import MunicipalityAgreement, SignalStatus


def _orgs(request, perm: str) -> list[Organisation]:
    ids = orgs_with_perm(request.user, perm)
    if not ids:
        raise PermissionDenied
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


# --------------------------------------------------------------------------- signals


def _signals(request):
    signals = selectors.signals_visible(request.user)
    municipality = request.GET.get("gemeente", "")
    if municipality:
        signals = signals.filter(municipality__code=municipality)
    if request.GET.get("nieuw") == "1":
        signals = signals.filter(exported_at__isnull=True)
    return signals, municipality


@login_required
def signal_list(request):
    _orgs(request, selectors.FINANCIAL)
    signals, municipality = _signals(request)
    signals = list(signals.prefetch_related("episode__steps")[:300])
    selectors.log_signal_reads(request.user, signals, purpose="Lijst vroegsignalen")
    municipalities = sorted({(s.municipality.code, s.municipality.name) for s in selectors.signals_visible(
        request.user).select_related("municipality")}, key=lambda m: m[1])
    return render(request, "arrears/signals.html", {
        "signals": signals, "municipality": municipality, "municipalities": municipalities,
        "only_new": request.GET.get("nieuw") == "1", "form": UploadForm(corporations=[]),
        "statuses": SignalStatus.choices,
        "can_answer": bool(orgs_with_perm(request.user, selectors.HANDLE)),
    })


@login_required
def signal_export(request):
    orgs = _orgs(request, selectors.FINANCIAL)
    signals, municipality = _signals(request)
    fmt = request.GET.get("formaat", "csv")
    if fmt not in ("csv", "json"):
        raise Http404
    signals = list(signals.prefetch_related("episode__steps").order_by("signal_date", "pk"))
    selectors.log_signal_reads(request.user, signals, purpose=f"Export vroegsignalen ({fmt})")
    exchange.mark_exported(signals)
    stamp = timezone.localdate().isoformat()
    name = f"vroegsignalen-{municipality or 'alle'}-{stamp}.{fmt}"
    if fmt == "json":
        body, content_type = exchange.export_json(signals, sender=", ".join(o.name for o in orgs)), "application/json"
    else:
        body, content_type = exchange.export_csv(signals), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def answer_import(request):
    orgs = _orgs(request, selectors.HANDLE)
    form = UploadForm(request.POST, request.FILES, corporations=orgs[:1])
    errors = []
    if form.is_valid():
        try:
            result = exchange.import_answers(form.cleaned_data["file"], corporation_ids=frozenset(o.pk for o in orgs),
                                             user=request.user)
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Terugkoppeling verwerkt: %(updated)s signalen bijgewerkt, %(same)s "
                                        "ongewijzigd.") % {"updated": result.updated, "same": result.unchanged})
            return redirect("arrears:signals")
    signals = list(selectors.signals_visible(request.user)[:300])
    selectors.log_signal_reads(request.user, signals, purpose="Lijst vroegsignalen")
    return render(request, "arrears/signals.html", {
        "signals": signals, "form": form, "import_errors": errors, "statuses": SignalStatus.choices,
        "can_answer": True, "municipalities": [],
    }, status=400)


# --------------------------------------------------------------------------- ledger import and run


@login_required
def ledger_import(request):
    orgs = _orgs(request, "arrears.import_ledger")
    form = UploadForm(request.POST or None, request.FILES or None, corporations=orgs)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        from .ledger_import import import_ledger_csv

        try:
            result = import_ledger_csv(form.cleaned_data["corporation"], form.cleaned_data["file"].read(),
                                       dry_run=form.cleaned_data["dry_run"])
        except ImportFailed as exc:
            errors = exc.errors
    status = 400 if (request.method == "POST" and (errors or form.errors)) else 200
    return render(request, "arrears/import.html", {
        "form": form, "import_errors": errors[:500], "error_count": len(errors), "result": result,
        "runs": selectors.last_runs(request.user), "corporations": orgs,
    }, status=status)


@login_required
@require_POST
def run_now(request):
    from .run import run_arrears

    orgs = _orgs(request, "arrears.import_ledger")
    chosen = request.POST.get("corporation", "")
    for org in orgs:
        if chosen and str(org.pk) != chosen:
            continue
        run = run_arrears(org, timezone.localdate())
        messages.success(request, _("Run voor %(org)s klaar: %(n)s huurders met achterstand, %(opened)s nieuwe en "
                                    "%(closed)s afgesloten dossiers.") % {
            "org": org.name, "n": run.tenancies_in_arrears, "opened": run.episodes_opened,
            "closed": run.episodes_closed})
    return redirect(request.POST.get("next") == "list" and "arrears:list" or "arrears:ledger_import")


# --------------------------------------------------------------------------- agreements


@login_required
def agreement_list(request):
    view_orgs = orgs_with_perm(request.user, selectors.FINANCIAL) | orgs_with_perm(request.user,
                                                                                    "arrears.manage_agreements")
    if not view_orgs:
        raise PermissionDenied
    agreements = MunicipalityAgreement.objects.filter(corporation_id__in=view_orgs).select_related(
        "municipality", "corporation")
    today = timezone.localdate()
    return render(request, "arrears/agreements.html", {
        "agreements": agreements, "today": today,
        "can_manage": bool(orgs_with_perm(request.user, "arrears.manage_agreements")),
    })


@login_required
def agreement_edit(request, pk: int | None = None):
    orgs = _orgs(request, "arrears.manage_agreements")
    instance = None
    if pk is not None:
        instance = MunicipalityAgreement.objects.filter(pk=pk, corporation__in=orgs).first()
        if instance is None:
            raise Http404
    corporation = instance.corporation if instance else orgs[0]
    form = AgreementForm(request.POST or None, instance=instance, corporation=corporation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Convenant opgeslagen."))
        return redirect("arrears:agreements")
    return render(request, "arrears/agreement_form.html", {"form": form, "agreement": instance},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def signal_answer(request, pk: int):
    """Record one municipality answer by hand (it came by phone or mail instead of a file)."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from .services import record_municipality_answer

    signal = selectors.signals_visible(request.user).filter(pk=pk).first()
    if signal is None:
        raise Http404
    if not orgs_with_perm(request.user, selectors.HANDLE) & {signal.episode.corporation_id}:
        raise PermissionDenied
    try:
        answered_on = dt.date.fromisoformat(request.POST.get("answered_on", ""))
        if answered_on > timezone.localdate():
            raise ValidationError({"answered_on": _("Een datum in de toekomst kan niet.")})
        record_municipality_answer(signal, request.user, status=request.POST.get("status", ""),
                                   answered_on=answered_on)
    except ValueError:
        messages.error(request, _("Vul een geldige datum van het antwoord in."))
    except ValidationError as exc:
        messages.error(request, " ".join(" ".join(v) for v in exc.message_dict.values()))
    else:
        messages.success(request, _("Terugkoppeling van de gemeente vastgelegd."))
    return redirect("arrears:signals")
