"""Reads of cases, for pages and API alike, always through ``policy.case_access``.

A case you may not reach does not exist for you (404). What is handed out is already filtered
to what your role and the resident's consent allow (``CaseView``), and every read of a case page,
its special-category fields or a document is written to the access log with the role (the 'why').
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from wijkpunt.core.access import log_access
from wijkpunt.core.permissions import orgs_with_perm

from .models import (
    OPEN_CASE,
    TAKE_PART,
    WORK_ON_CASES,
    Case,
    CaseAction,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseParticipant,
    Consent,
    EmergencyDisclosure,
    InfoCategory,
)
from .policy import CaseAccess, case_access, visible_case_ids_q

STATUS_FILTERS = ("open", "closed", "all")


def work_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, WORK_ON_CASES)


def open_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, OPEN_CASE)


def partner_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, TAKE_PART)


def can_use_cases(user) -> bool:
    return bool(work_orgs(user) or partner_orgs(user))


def cases_visible(user) -> QuerySet[Case]:
    """Cases of the user's own organisations (case workers) — the owner side only."""
    return Case.objects.filter(organisation_id__in=work_orgs(user)).select_related(
        "organisation", "household", "assigned_to", "opened_by"
    )


@dataclass
class CaseRow:
    """One line of the case list; ``title`` is only filled where the person category is visible."""

    case: Case
    title: str
    side: str
    participant_status: str = ""


def case_list(user, *, status: str = "open", mine: bool = False, limit: int = 200) -> list[Case]:
    """Owner side: cases of the user's organisations, the user's own first, then the newest."""
    qs = cases_visible(user)
    if status == "open":
        qs = qs.filter(status=Case.Status.OPEN)
    elif status == "closed":
        qs = qs.filter(status=Case.Status.CLOSED)
    if mine:
        qs = qs.filter(assigned_to=user)
    # Two indexed queries (mine, then the rest, newest first) instead of one sort on a computed
    # "mine first" value, which no index can serve (docs/performance.md, case reads).
    own = list(qs.filter(assigned_to=user).order_by("-created_at", "-pk")[:limit])
    if mine or len(own) >= limit:
        return own
    return own + list(qs.exclude(assigned_to=user).order_by("-created_at", "-pk")[:limit - len(own)])


def partner_case_list(user, *, status: str = "open", limit: int = 200) -> list[CaseRow]:
    """Partner side: cases the user's organisations are invited to or take part in. The list shows
    reference, type, neighbourhood and status — never the household (that needs consent)."""
    orgs = partner_orgs(user)
    if not orgs:
        return []
    participants = CaseParticipant.objects.filter(
        organisation_id__in=orgs,
        status__in=(CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED),
    ).select_related("case", "case__neighbourhood__municipality", "case__organisation", "case__assigned_to")
    if status == "open":
        participants = participants.filter(case__status=Case.Status.OPEN)
    elif status == "closed":
        participants = participants.filter(case__status=Case.Status.CLOSED)
    rows = [
        CaseRow(case=p.case, title="", side="participant", participant_status=p.status)
        for p in participants.order_by("-status", "-case__created_at")[:limit]
    ]
    return rows


@dataclass
class CaseView:
    """A case as one person may see it: only the allowed parts are filled."""

    case: Case
    access: CaseAccess
    notes: list[CaseNote] = field(default_factory=list)
    actions: list[CaseAction] = field(default_factory=list)
    documents: list[CaseDocument] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    participants: list[CaseParticipant] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    disclosures: list[EmergencyDisclosure] = field(default_factory=list)
    reports: list = field(default_factory=list)
    episodes: list = field(default_factory=list)

    lead_organisation: object = None  # the lead's organisation, None where naming it would say too much

    @property
    def lead(self):
        return self.case.assigned_to


def _lead_organisation(case: Case, access: CaseAccess):
    """The organisation through which the lead works on this case (owner first, then an accepted
    participant), hidden from a partner when naming it would reveal care or debts."""
    lead = case.assigned_to
    if lead is None:
        return None
    from wijkpunt.core.models import Membership

    org_ids = [case.organisation_id, *CaseParticipant.objects.filter(
        case=case, status=CaseParticipant.Status.ACCEPTED).values_list("organisation_id", flat=True)]
    memberships = {m.organisation_id: m.organisation for m in Membership.objects.filter(
        user=lead, organisation_id__in=org_ids).select_related("organisation")}
    org = memberships.get(case.organisation_id) or next(iter(memberships.values()), None)
    return org if org is not None and access.sees_organisation(org) else None


def _show_organisations(items, access: CaseAccess) -> None:
    """``shown_organisation`` per note or document: its author's organisation, unless naming it to
    this partner would reveal care or debts (then None: "a participant")."""
    for item in items:
        org = item.organisation
        item.shown_organisation = org if org is None or access.sees_organisation(org) else None


def _get_case(pk: int) -> Case:
    case = (
        Case.objects.select_related("organisation", "household", "unit", "complex", "neighbourhood__municipality",
                                    "assigned_to",
                                    "opened_by")
        .filter(pk=pk, anonymised_at__isnull=True)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_access_or_404(user, pk: int) -> tuple[Case, CaseAccess]:
    case = _get_case(pk)
    access = case_access(user, case)
    if access is None:
        raise Http404
    return case, access


def log_case_read(user, case: Case, access: CaseAccess, *, purpose: str) -> None:
    """One row for the page, plus one per special-category field actually shown."""
    log_access(user, access.organisation_id, subject="case", subject_id=case.pk, household_id=case.household_id,
               purpose=purpose, role=access.role)
    if access.sees_care:
        log_access(user, access.organisation_id, subject="case.care", subject_id=case.pk,
                   household_id=case.household_id, purpose=purpose, role=access.role)
    if access.sees_debt:
        log_access(user, access.organisation_id, subject="case.debt", subject_id=case.pk,
                   household_id=case.household_id, purpose=purpose, role=access.role)


def case_view(user, pk: int, *, purpose: str) -> CaseView:
    """The case as ``user`` may see it; 404 if they may not reach it; the read is logged."""
    case, access = case_access_or_404(user, pk)
    view = CaseView(case=case, access=access)
    view.lead_organisation = _lead_organisation(case, access)
    if not access.minimal:
        notes = CaseNote.objects.filter(case=case).select_related("author", "organisation")
        view.notes = [n for n in notes if access.sees_item(
            organisation_id=n.organisation_id, category=n.category, visibility=n.visibility)]
        documents = CaseDocument.objects.filter(case=case, is_consent_form=False).select_related(
            "organisation", "uploaded_by")
        view.documents = [d for d in documents if access.sees_item(
            organisation_id=d.organisation_id, category=d.category, visibility=d.visibility)]
    if access.is_owner:
        view.events = list(case.events.select_related("actor", "organisation"))
        view.participants = list(case.participants.select_related("organisation", "invited_by", "answered_by"))
        view.consents = list(case.consents.select_related("organisation", "form_document", "recorded_by",
                                                          "withdrawn_by"))
        view.disclosures = list(case.disclosures.select_related("organisation", "decided_by"))
        view.documents += list(CaseDocument.objects.filter(case=case, is_consent_form=True).select_related(
            "organisation", "uploaded_by"))
    elif access.side == "participant":
        # Their own consents and disclosures (what was opened to them), without the resident's or the
        # witness's name and without the reasoning: those stay with the corporation. The objects are
        # blanked in memory only, never saved.
        view.consents = list(case.consents.filter(organisation_id=access.organisation_id).select_related("organisation"))
        for consent in view.consents:
            consent.given_by = consent.witness = ""
        view.disclosures = list(case.disclosures.filter(organisation_id=access.organisation_id)
                                .select_related("organisation"))
        for disclosure in view.disclosures:
            disclosure.reasoning = ""
        if access.sees_situation:
            view.events = [e for e in case.events.filter(for_participants=True).select_related("actor", "organisation")
                           if e.organisation is None or access.sees_organisation(e.organisation)]
            view.participants = [p for p in case.participants.filter(
                status=CaseParticipant.Status.ACCEPTED).select_related("organisation")
                if access.sees_organisation(p.organisation)]
    actions = CaseAction.objects.filter(case=case).select_related("owner_organisation", "owner")
    if access.is_owner:
        view.actions = list(actions)
    elif access.sees_situation:
        view.actions = [a for a in actions if access.sees_organisation(a.owner_organisation)]
    elif access.side == "participant":
        view.actions = list(actions.filter(owner_organisation_id=access.organisation_id))
    _show_organisations([*view.notes, *view.documents], access)
    if access.sees_situation:
        view.reports = list(case.reports.select_related("main_category").order_by("-created_at"))
    if access.sees_debt:
        view.episodes = list(case.episodes.order_by("-opened_on"))
    log_case_read(user, case, access, purpose=purpose)
    return view


def document_for(user, case_pk: int, doc_pk: int) -> tuple[CaseDocument, CaseAccess]:
    case, access = case_access_or_404(user, case_pk)
    document = CaseDocument.objects.filter(case=case, pk=doc_pk).first()
    if document is None or access.minimal:
        raise Http404
    if document.is_consent_form:
        if not access.is_owner:
            raise Http404
    elif not access.sees_item(organisation_id=document.organisation_id, category=document.category,
                              visibility=document.visibility):
        raise Http404
    subject = {InfoCategory.CARE: "case.care", InfoCategory.DEBT: "case.debt"}.get(document.category, "case.document")
    log_access(user, access.organisation_id, subject=subject, subject_id=case.pk, household_id=case.household_id,
               purpose=f"Document {document.pk}", role=access.role)
    return document, access


def open_cases_for(org_ids: Iterable[int], household_ids: Iterable[int]) -> dict[tuple[int, int], Case]:
    """The open case per ``(organisation_id, household_id)`` (one query)."""
    household_ids = list(household_ids)
    if not household_ids:
        return {}
    cases = Case.objects.filter(
        organisation_id__in=list(org_ids), household_id__in=household_ids, status=Case.Status.OPEN
    ).select_related("assigned_to")
    return {(c.organisation_id, c.household_id): c for c in cases}


def reachable_cases(user) -> QuerySet[Case]:
    """Every case the user can reach at all (for the API's list), without content filtering.

    A partner professional without owner rights is served through a join from its organisation's
    participations (indexed on organisation and status), so the cost follows what it can reach, not
    the size of the case table; DISTINCT only when it acts for more than one partner organisation."""
    partner = partner_orgs(user)
    if partner and not work_orgs(user):
        qs = Case.objects.filter(
            participants__organisation_id__in=partner,
            participants__status__in=(CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED),
            anonymised_at__isnull=True,
        )
        return qs.distinct() if len(partner) > 1 else qs
    return Case.objects.filter(visible_case_ids_q(user), anonymised_at__isnull=True)
