"""Reads of the privacy pages: find a household, and gather everything held about it for an access
request (AVG art. 15) — with who saw it (the access log).

``household_export`` returns a plain dict of strings, numbers, lists and dicts (the JSON download
is that dict as it is; the HTML page renders it). It runs a bounded number of queries whatever the
size of the file (one per kind of data, prefetches included), checks the permission and logs itself
in the access log (subject ``inzageverzoek``).

Staff names: the copy for the resident names organisations and roles, not the individual
employees (``staff_names=False``: the JSON download and the resident's printable copy). The data
protection officer's own page shows the names too (``staff_names=True``), so that a question like
"who at the corporation looked at my file" can be answered and checked (docs/privacy.md).

Third parties: reporter details of a report are included only when the reporter is this household
(same e-mail address or phone number); other reporters are marked as withheld (AVG art. 15(4)).
Free text can still mention others: the officer reads the copy before handing it over.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Max, Min, Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.arrears.models import ArrearsEpisode, EpisodeStep, LedgerLine, PaymentArrangement, Signal
from wijkpunt.cases.models import (
    ANSWER_ACCESS_REQUEST,
    Case,
    CaseAction,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseParticipant,
    Consent,
    EmergencyDisclosure,
)
from wijkpunt.core.access import log_access, log_access_many
from wijkpunt.core.models import AccessLog
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.core.roles import roles_in
from wijkpunt.core.validators import format_postcode, normalise_phone
from wijkpunt.housing.models import Household, Tenancy
from wijkpunt.reports.models import Report, ReportEvent

ACCESS_REQUEST_SUBJECT = "inzageverzoek"


def access_request_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, ANSWER_ACCESS_REQUEST)


def find_households(user, *, contract_number: str = "", postcode: str = "", house_number: int | None = None,
                    house_letter: str = "", house_number_addition: str = "") -> list[dict]:
    """Households of the user's corporations with a tenancy matching the contract number, or at the
    address (every household that ever rented it, newest first). Not logged: it shows only names
    and tenancy periods, which the officer needs to pick the right household."""
    orgs = access_request_orgs(user)
    tenancies = Tenancy.objects.filter(household__corporation_id__in=orgs).select_related("household", "unit")
    if contract_number:
        tenancies = tenancies.filter(contract_number__iexact=contract_number)
    else:
        tenancies = tenancies.filter(unit__postcode=postcode, unit__house_number=house_number)
        if house_letter:
            tenancies = tenancies.filter(unit__house_letter__iexact=house_letter)
        if house_number_addition:
            tenancies = tenancies.filter(unit__house_number_addition__iexact=house_number_addition)
    found: dict[int, dict] = {}
    for tenancy in tenancies.order_by("-start_date", "pk")[:50]:
        entry = found.setdefault(tenancy.household_id, {"household": tenancy.household, "tenancies": []})
        entry["tenancies"].append(tenancy)
    return list(found.values())


# --------------------------------------------------------------------------- helpers


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _euros(cents: int | None) -> str | None:
    return None if cents is None else f"{Decimal(cents) / 100:.2f}"


def _phone(value: str) -> str:
    try:
        return normalise_phone(value) if value else ""
    except Exception:  # noqa: BLE001 - an odd stored number simply does not match
        return value.strip()


def _person(user, staff_names: bool) -> str | None:
    if not staff_names or user is None:
        return None
    return user.get_full_name() or user.username


def _org(org) -> str | None:
    return org.name if org is not None else None


# --------------------------------------------------------------------------- the export


def household_export(user, household_id: int, *, purpose: str, staff_names: bool = False) -> dict:
    """Everything Wijkpunt holds about one household, and who read it. 404 outside the user's
    corporations (``cases.answer_access_request``). Logged as subject ``inzageverzoek``."""
    orgs = access_request_orgs(user)
    household = Household.objects.filter(pk=household_id, corporation_id__in=orgs).select_related(
        "corporation").first()
    if household is None:
        raise Http404
    log_access(user, household.corporation_id, subject=ACCESS_REQUEST_SUBJECT, subject_id=household.pk,
               household_id=household.pk, purpose=purpose,
               role=roles_in(user, household.corporation_id))

    tenancies = list(household.tenancies.select_related("unit__neighbourhood__municipality", "unit__complex")
                     .order_by("start_date", "pk"))
    data = {
        "generated_at": _dt(timezone.now()),
        "controller": household.corporation.name,
        "household": _household(household),
        "tenancies": [_tenancy(t) for t in tenancies],
        "reports": _reports(household, tenancies, staff_names),
        "cases": (cases := _cases(household, tenancies, staff_names)),
        "arrears": _arrears(tenancies, staff_names),
        "access_log": _access_log(household, staff_names),
        "staff_names_included": staff_names,
    }
    # The export shows care and debt details of every case in it: logged like a case page would be.
    role = roles_in(user, household.corporation_id)
    for subject in ("case.care", "case.debt"):
        log_access_many(user, household.corporation_id, subject=subject, purpose=purpose, role=role,
                        rows=[(case["id"], household.pk) for case in cases])
    return data if staff_names else _without_staff(data)


STAFF_KEYS = frozenset({"by", "user", "assigned_to", "owner", "recorded_by", "decided_by"})


def _without_staff(value):
    """Drop the (empty) staff-name keys from the resident's copy."""
    if isinstance(value, dict):
        return {k: _without_staff(v) for k, v in value.items() if not (k in STAFF_KEYS and v is None)}
    if isinstance(value, list):
        return [_without_staff(v) for v in value]
    return value


def _household(h: Household) -> dict:
    return {
        "id": h.pk, "name": h.name, "composition": h.get_composition_display(), "size": h.size,
        "contact_phone": h.contact_phone, "contact_email": h.contact_email,
        "contract_holder": {"initials": h.initials, "surname_prefix": h.surname_prefix, "surname": h.surname,
                            "birth_date": _d(h.birth_date)},
    }


def _tenancy(t: Tenancy) -> dict:
    unit = t.unit
    return {
        "contract_number": t.contract_number, "start_date": _d(t.start_date), "end_date": _d(t.end_date),
        "monthly_rent": f"{t.monthly_rent:.2f}",
        "address": {
            "street": unit.street, "house_number": unit.house_number_full, "postcode": format_postcode(unit.postcode),
            "city": unit.city, "unit_code": unit.code, "bag_id": unit.bag_id or "",
            "neighbourhood": unit.neighbourhood.name, "municipality": unit.neighbourhood.municipality.name,
            "complex": str(unit.complex) if unit.complex_id else "",
        },
    }


def _during(tenancies: list[Tenancy], field: str) -> Q:
    """Rows at one of the household's addresses while it lived there."""
    q = Q(pk__in=[])
    for t in tenancies:
        cond = Q(unit_id=t.unit_id, **{f"{field}__date__gte": t.start_date})
        if t.end_date:
            cond &= Q(**{f"{field}__date__lte": t.end_date})
        q |= cond
    return q


def _reports(household: Household, tenancies: list[Tenancy], staff_names: bool) -> list[dict]:
    email = (household.contact_email or "").strip()
    phone = _phone(household.contact_phone)
    by_household = Q(pk__in=[])
    if email:
        by_household |= Q(reporter_email__iexact=email)
    if phone:
        by_household |= Q(reporter_phone__in={phone, household.contact_phone.strip()})
    events = ReportEvent.objects.order_by("created_at", "pk")
    if staff_names:
        events = events.select_related("actor")
    reports = (
        Report.objects.filter(organisation_id=household.corporation_id)
        .filter(_during(tenancies, "created_at") | by_household)
        .select_related("category", "unit", "complex")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("created_at", "pk")
    )
    rows = []
    for r in reports:
        own = bool((email and r.reporter_email.strip().lower() == email.lower())
                   or (phone and r.reporter_phone and _phone(r.reporter_phone) == phone))
        has_reporter = bool(r.reporter_name or r.reporter_phone or r.reporter_email or r.reporter_user_id)
        rows.append({
            "reference": r.reference, "created_at": _dt(r.created_at), "occurred_at": _dt(r.occurred_at),
            "category": r.category.name if r.category_id else "", "urgency": r.get_urgency_display(),
            "status": r.get_status_display(), "channel": r.get_channel_display(),
            "location": str(r.location_display), "description": r.description, "resolved_at": _dt(r.resolved_at),
            "satisfied": r.satisfied,
            "reported_by_household": own,
            "reporter": ({"name": r.reporter_name, "phone": r.reporter_phone, "email": r.reporter_email,
                          "contact_consent": r.contact_consent} if own else None),
            "reporter_withheld": has_reporter and not own,
            "history": [
                {"at": _dt(e.created_at), "kind": e.get_kind_display(), "text": e.text, "public": e.is_public,
                 "by": _person(e.actor, staff_names) if staff_names else None}
                for e in r.events.all()
            ],
        })
    return rows


def _cases(household: Household, tenancies: list[Tenancy], staff_names: bool) -> list[dict]:
    def people(qs, *fields):
        return qs.select_related(*fields) if staff_names else qs

    cases = (
        Case.objects.filter(organisation_id=household.corporation_id)
        .filter(Q(household=household) | (Q(household__isnull=True) & _during(tenancies, "created_at")))
        .select_related("organisation", "unit", "complex", *(("assigned_to", "opened_by") if staff_names else ()))
        .prefetch_related(
            Prefetch("notes", queryset=people(CaseNote.objects.select_related("organisation"), "author")),
            Prefetch("participants", queryset=people(CaseParticipant.objects.select_related("organisation"),
                                                     "invited_by", "answered_by")),
            Prefetch("consents", queryset=people(Consent.objects.select_related("organisation", "form_document"),
                                                 "recorded_by")),
            Prefetch("disclosures", queryset=people(EmergencyDisclosure.objects.select_related("organisation"),
                                                    "decided_by")),
            Prefetch("actions", queryset=people(CaseAction.objects.select_related("owner_organisation"), "owner")),
            Prefetch("documents", queryset=people(CaseDocument.objects.select_related("organisation"),
                                                  "uploaded_by")),
            Prefetch("events", queryset=people(CaseEvent.objects.select_related("organisation"), "actor")),
            Prefetch("reports", queryset=Report.objects.only("pk", "reference")),
            *(["agenda_items__meeting__group"] if hasattr(Case, "agenda_items") else []),
        )
        .order_by("created_at", "pk")
    )
    out = []
    for c in cases:
        out.append({
            "id": c.pk, "reference": c.reference, "organisation": c.organisation.name, "title": c.title,
            "case_type": c.get_case_type_display(), "case_type_detail": c.get_case_type_detail_display(),
            "status": c.get_status_display(), "source": c.get_source_display(), "created_at": _dt(c.created_at),
            "closed_on": _d(c.closed_on), "address": c.unit.address if c.unit_id else "",
            "complex": str(c.complex) if c.complex_id else "",
            "reasons": list(c.reasons or []), "summary": c.summary, "care_details": c.care_details,
            "debt_details": c.debt_details, "steering_question": c.steering_question,
            "legal_hold": c.legal_hold, "legal_hold_reason": c.legal_hold_reason,
            "assigned_to": _person(c.assigned_to, staff_names) if staff_names else None,
            "linked_reports": [r.reference for r in c.reports.all()],
            "notes": [
                {"at": _dt(n.created_at), "organisation": _org(n.organisation), "category": n.get_category_display(),
                 "text": n.text, "closing": n.is_closing, "by": _person(n.author, staff_names) if staff_names else None}
                for n in c.notes.all()
            ],
            "participants": [
                {"organisation": p.organisation.name, "role": p.get_role_display(), "status": p.get_status_display(),
                 "request": p.request, "invited_at": _dt(p.invited_at), "answered_at": _dt(p.answered_at),
                 "decline_reason": p.decline_reason, "ended_at": _dt(p.ended_at)}
                for p in c.participants.all()
            ],
            "consents": [
                {"organisation": s.organisation.name, "categories": list(s.categories or []), "purpose": s.purpose,
                 "given_by": s.given_by, "method": s.get_method_display(),
                 "witness": s.witness if staff_names else None,
                 "form": s.form_document.title if s.form_document_id else "",
                 "valid_from": _d(s.valid_from), "valid_until": _d(s.valid_until), "recorded_at": _dt(s.recorded_at),
                 "withdrawn_at": _dt(s.withdrawn_at), "withdrawal_note": s.withdrawal_note,
                 "recorded_by": _person(s.recorded_by, staff_names) if staff_names else None}
                for s in c.consents.all()
            ],
            "disclosures": [
                {"organisation": e.organisation.name, "categories": list(e.categories or []),
                 "ground": e.get_ground_display(), "reasoning": e.reasoning, "decided_at": _dt(e.decided_at),
                 "valid_until": _dt(e.valid_until),
                 "decided_by": _person(e.decided_by, staff_names) if staff_names else None}
                for e in c.disclosures.all()
            ],
            "actions": [
                {"title": a.title, "organisation": a.owner_organisation.name, "status": a.get_status_display(),
                 "due_date": _d(a.due_date), "created_at": _dt(a.created_at), "completed_at": _dt(a.completed_at),
                 "owner": _person(a.owner, staff_names) if staff_names else None}
                for a in c.actions.all()
            ],
            "documents": [
                {"title": d.title, "organisation": d.organisation.name, "category": d.get_category_display(),
                 "content_type": d.content_type, "size": d.size, "uploaded_at": _dt(d.uploaded_at),
                 "consent_form": d.is_consent_form,
                 "by": _person(d.uploaded_by, staff_names) if staff_names else None}
                for d in c.documents.all()
            ],
            "steering": [
                {"meeting": str(i.meeting), "question": i.question, "decision": i.decision,
                 "decided_at": _dt(i.decided_at)}
                for i in (c.agenda_items.all() if hasattr(c, "agenda_items") else [])
            ],
            "events": [
                {"at": _dt(e.at), "kind": e.get_kind_display(),
                 # a change of lead names the new lead: staff names stay out of the resident's copy
                 "text": e.text if staff_names or e.kind != CaseEvent.Kind.LEAD else str(_("Casusregisseur gewijzigd.")),
                 "organisation": _org(e.organisation),
                 "by": _person(e.actor, staff_names) if staff_names else None}
                for e in c.events.all()
            ],
        })
    return out


def _arrears(tenancies: list[Tenancy], staff_names: bool) -> dict:
    tenancy_ids = [t.pk for t in tenancies]
    contract = {t.pk: t.contract_number for t in tenancies}
    steps = EpisodeStep.objects.order_by("occurred_on", "pk")
    if staff_names:
        steps = steps.select_related("created_by")
    episodes = (
        ArrearsEpisode.objects.filter(tenancy_id__in=tenancy_ids)
        .prefetch_related(
            Prefetch("steps", queryset=steps),
            Prefetch("signals", queryset=Signal.objects.select_related("municipality").order_by("signal_date", "pk")),
            Prefetch("arrangements", queryset=PaymentArrangement.objects.prefetch_related("instalments")
                     .order_by("agreed_on", "pk")),
        )
        .order_by("arose_on", "pk")
    )
    out_episodes = []
    for e in episodes:
        out_episodes.append({
            "contract_number": contract[e.tenancy_id], "status": e.get_status_display(), "arose_on": _d(e.arose_on),
            "opened_on": _d(e.opened_on), "closed_on": _d(e.closed_on), "amount": _euros(e.amount_cents),
            "months": f"{e.months}", "peak": _euros(e.peak_cents), "outcome": e.get_outcome_display(),
            "outcome_on": _d(e.outcome_on),
            "steps": [
                {"kind": s.get_kind_display(), "on": _d(s.occurred_on), "channel": s.get_channel_display(),
                 "reached": s.reached, "note": s.note, "evidence": bool(s.evidence),
                 "by": _person(s.created_by, staff_names) if staff_names else None}
                for s in e.steps.all()
            ],
            "signals": [
                {"municipality": s.municipality.name, "amount": _euros(s.amount_cents), "arose_on": _d(s.arose_on),
                 "signal_date": _d(s.signal_date), "status": s.get_status_display(), "answered_on": _d(s.answered_on),
                 "contact_details_sent": s.client}
                for s in e.signals.all()
            ],
            "arrangements": [
                {"agreed_on": _d(a.agreed_on), "total": _euros(a.total_cents), "status": a.get_status_display(),
                 "instalments": [{"number": i.number, "due_on": _d(i.due_on), "amount": _euros(i.amount_cents),
                                  "status": i.get_status_display()} for i in a.instalments.all()]}
                for a in e.arrangements.all()
            ],
        })
    ledger = (
        LedgerLine.objects.filter(tenancy_id__in=tenancy_ids).values("tenancy_id", "kind")
        .annotate(lines=Count("pk"), total=Sum("amount_cents"), first=Min("effective_on"), last=Max("effective_on"))
        .order_by("tenancy_id", "kind")
    )
    kinds = dict(LedgerLine._meta.get_field("kind").choices)
    return {
        "episodes": out_episodes,
        "ledger": [
            {"contract_number": contract[row["tenancy_id"]], "kind": str(kinds.get(row["kind"], row["kind"])),
             "lines": row["lines"], "total": _euros(row["total"]), "first": _d(row["first"]), "last": _d(row["last"])}
            for row in ledger
        ],
    }


def _access_log(household: Household, staff_names: bool) -> list[dict]:
    rows = AccessLog.objects.filter(household_id=household.pk).select_related("organisation").order_by("at", "pk")
    if staff_names:
        rows = rows.select_related("user")
    return [
        {"at": _dt(r.at), "organisation": r.organisation.name, "role": r.role, "subject": r.subject,
         "subject_id": r.subject_id, "purpose": r.purpose,
         "user": _person(r.user, staff_names) if staff_names else None}
        for r in rows
    ]
