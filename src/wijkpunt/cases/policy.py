"""Who sees what of a case: the one place the rules live (docs/privacy.md, "Wie ziet wat").

Two ways into a case:

* **Owner staff** — a person with ``cases.work_on_cases`` in the corporation that owns the case.
  They see the person and the situation; care and debt details only with ``cases.view_care`` /
  ``cases.view_debt`` in that corporation.
* **Participant** — a person with ``cases.take_part`` in an organisation that takes part in the
  case. While the invitation is open they see only that the case exists, what is asked of them
  and who to call. Once accepted they see a category only if the resident's live consent for
  their organisation (or a live emergency disclosure) covers it, *and* — for care and debt — their
  own role carries the matching permission in that organisation. Without any consent: the case
  exists, and who to call. Declined or ended participants see nothing (404).

Everyone else: the case does not exist (404), also when guessing ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.core.roles import roles_in

from .models import (
    TAKE_PART,
    VIEW_CARE,
    VIEW_DEBT,
    WORK_ON_CASES,
    Case,
    CaseParticipant,
    Consent,
    EmergencyDisclosure,
    InfoCategory,
    Visibility,
)

OWNER = "owner"
PARTICIPANT = "participant"
INVITED = "invited"

BASE_CATEGORIES = frozenset({InfoCategory.PERSON, InfoCategory.SITUATION})


@dataclass(frozen=True)
class CaseAccess:
    """What one person may see of one case, and as whom (for the access log's 'why')."""

    side: str  # owner / participant / invited
    organisation_id: int  # the organisation through which the person looks
    role: str  # e.g. "Wijkconsulent" or "Zorgprofessional — Adviseur" (written to the access log)
    categories: frozenset[str] = field(default_factory=frozenset)
    participant: CaseParticipant | None = None
    granted: frozenset[str] = field(default_factory=frozenset)  # consent/disclosure, before role check
    by_emergency: frozenset[str] = field(default_factory=frozenset)
    role_allows: frozenset[str] = field(default_factory=frozenset)  # what the role may see at most

    @property
    def is_owner(self) -> bool:
        return self.side == OWNER

    @property
    def is_invited(self) -> bool:
        return self.side == INVITED

    def sees(self, category: str) -> bool:
        return category in self.categories

    @property
    def sees_person(self) -> bool:
        return InfoCategory.PERSON in self.categories

    @property
    def sees_situation(self) -> bool:
        return InfoCategory.SITUATION in self.categories

    @property
    def sees_care(self) -> bool:
        return InfoCategory.CARE in self.categories

    @property
    def sees_debt(self) -> bool:
        return InfoCategory.DEBT in self.categories

    @property
    def can_write(self) -> bool:
        """Notes, documents and actions: the owner, or a partner that sees the situation."""
        return self.is_owner or (self.side == PARTICIPANT and self.sees_situation)

    @property
    def minimal(self) -> bool:
        """Only that the case exists and who to call."""
        return not self.categories

    def sees_organisation(self, organisation) -> bool:
        """Whether naming this organisation is fine: that a care provider or debt help takes part is
        itself care or debt information, so partners see it only with that category open."""
        if self.is_owner or organisation.pk == self.organisation_id:
            return True
        if organisation.kind == "zorgaanbieder" or organisation.partner_type == "zorgaanbieder":
            return InfoCategory.CARE in self.categories
        if organisation.partner_type == "schuldhulpverlening":
            return InfoCategory.DEBT in self.categories
        return True

    def sees_item(self, *, organisation_id: int | None, category: str, visibility: str) -> bool:
        """A note or document: own organisation's always (if the role allows the category);
        another organisation's only when shared with participants and the category is open."""
        if category in (InfoCategory.CARE, InfoCategory.DEBT) and category not in self.role_allows:
            return False
        if organisation_id == self.organisation_id:
            return True
        if self.is_owner and organisation_id is None:
            return True
        return visibility == Visibility.PARTICIPANTS and category in self.categories


def role_categories(user, organisation_id: int) -> frozenset[str]:
    cats = set(BASE_CATEGORIES)
    if organisation_id in orgs_with_perm(user, VIEW_CARE):
        cats.add(InfoCategory.CARE)
    if organisation_id in orgs_with_perm(user, VIEW_DEBT):
        cats.add(InfoCategory.DEBT)
    return frozenset(cats)


def granted_categories(case_id: int, organisation_id: int, *, now=None) -> tuple[frozenset[str], frozenset[str]]:
    """Categories opened for ``organisation_id`` by live consents and by live emergency disclosures."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    by_consent: set[str] = set()
    consents = Consent.objects.filter(
        case_id=case_id, organisation_id=organisation_id, withdrawn_at__isnull=True, valid_from__lte=today,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    for categories in consents.values_list("categories", flat=True):
        by_consent.update(categories or [])
    by_emergency: set[str] = set()
    for categories in EmergencyDisclosure.objects.filter(
        case_id=case_id, organisation_id=organisation_id, valid_until__gte=now
    ).values_list("categories", flat=True):
        by_emergency.update(categories or [])
    valid = set(InfoCategory.values)
    return frozenset(by_consent & valid), frozenset(by_emergency & valid)


def _make(side, organisation_id, role, categories, *, role_cats, participant=None, granted=frozenset(),
          by_emergency=frozenset()) -> CaseAccess:
    return CaseAccess(side=side, organisation_id=organisation_id, role=role, categories=frozenset(categories),
                      participant=participant, granted=frozenset(granted), by_emergency=frozenset(by_emergency),
                      role_allows=frozenset(role_cats))


def case_access(user, case: Case) -> CaseAccess | None:
    """What ``user`` may see of ``case``; ``None`` means: the case does not exist for them."""
    if case.organisation_id in orgs_with_perm(user, WORK_ON_CASES):
        cats = role_categories(user, case.organisation_id)
        return _make(OWNER, case.organisation_id, roles_in(user, case.organisation_id), cats, role_cats=cats)
    partner_orgs = orgs_with_perm(user, TAKE_PART)
    if not partner_orgs:
        return None
    participant = (
        CaseParticipant.objects.filter(
            case_id=case.pk, organisation_id__in=partner_orgs,
            status__in=(CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED),
        )
        .order_by("-status")  # "uitgenodigd" > "geaccepteerd": prefer an accepted row
        .last()
    )
    if participant is None:
        return None
    org_id = participant.organisation_id
    role = f"{roles_in(user, org_id)} — {participant.get_role_display()}"
    role_cats = role_categories(user, org_id)
    if participant.status == CaseParticipant.Status.INVITED:
        return _make(INVITED, org_id, role, (), role_cats=role_cats, participant=participant)
    by_consent, by_emergency = granted_categories(case.pk, org_id)
    granted = by_consent | by_emergency
    return _make(PARTICIPANT, org_id, role, granted & role_cats, role_cats=role_cats, participant=participant,
                 granted=granted, by_emergency=by_emergency - by_consent)


def visible_case_ids_q(user) -> Q:
    """A filter for the cases a user can reach at all (owner staff or invited/accepted participant)."""
    q = Q(organisation_id__in=orgs_with_perm(user, WORK_ON_CASES))
    partner_orgs = orgs_with_perm(user, TAKE_PART)
    if partner_orgs:
        # A subquery, not a join: no duplicate rows, so no DISTINCT over every column of the case.
        q |= Q(pk__in=CaseParticipant.objects.filter(
            organisation_id__in=partner_orgs,
            status__in=(CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED),
        ).values("case_id"))
    return q
