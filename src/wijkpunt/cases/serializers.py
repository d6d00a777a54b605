"""API representations of cases (``api.py``).

The detail is built from a ``selectors.CaseView``: what the policy does not let the caller see is
**``null``** (the key is always present), never an empty string or an empty list that could be read
as "nothing recorded"; ``access.categories`` says which categories the caller sees. Inside a part
the caller may see, ``""`` or ``[]`` means that nothing is recorded, and ``null`` that the case has no
such thing (e.g. no household when the case is about a complex). Amounts are whole euro cents.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import InfoCategory, Visibility
from .selectors import STATUS_FILTERS, CaseView


def _name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


# --------------------------------------------------------------------------- requests


class CaseQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=list(STATUS_FILTERS), default="open", required=False)
    na = serializers.CharField(required=False, allow_blank=True, max_length=200,
                               help_text="The `next` cursor of the previous page.")


class CaseNoteCreateSerializer(serializers.Serializer):
    # blank and length are checked by the service (one Dutch message for pages and API)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    category = serializers.ChoiceField(
        choices=InfoCategory.choices, required=False, default=InfoCategory.SITUATION,
        help_text="What the note is about: persoon, situatie, zorg or schulden (zorg/schulden only if your "
                  "role may read them). Default situatie.",
    )
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, required=False, default=Visibility.OWN_ORGANISATION,
        help_text="eigen: only your organisation; deelnemers: the other participants, as far as the "
                  "resident's consent covers the category. Default eigen.",
    )


class CaseAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: your organisation takes part; false: decline (reason required).")
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Why your organisation does not take part (required when declining).")


# --------------------------------------------------------------------------- list


class CaseRowSerializer(serializers.Serializer):
    """One row of ``GET /cases/``; ``title`` and ``lead`` are null on partner rows."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    side = serializers.CharField(help_text="owner (your corporation's case) or participant (invited or taking part).")
    title = serializers.CharField(allow_null=True, help_text="Owner rows only; null on partner rows.")
    case_type = serializers.CharField(allow_null=True, help_text=(
        "VERA ZAAKTYPESOORT code; null on partner rows (the type can itself reveal care or debts)."))
    case_type_label = serializers.CharField(allow_null=True)
    status = serializers.CharField(help_text="open or closed.")
    organisation = serializers.CharField(help_text="The corporation that owns the case.")
    neighbourhood = serializers.CharField(allow_null=True)
    lead = serializers.CharField(allow_null=True, help_text="The case lead's name (owner rows only).")
    participation_status = serializers.CharField(
        allow_null=True, help_text="Partner rows: uitgenodigd or geaccepteerd; null on owner rows.")
    created_at = serializers.DateTimeField()


class CasePageSerializer(serializers.Serializer):
    results = CaseRowSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Cursor for the next page (`na=`); null on the last.")
    total = serializers.IntegerField()


# --------------------------------------------------------------------------- detail parts


class CaseLeadSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    phone = serializers.CharField(help_text="Empty when none is recorded.")
    email = serializers.CharField(help_text="Empty when none is recorded.")


class CaseOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class CaseAccessSerializer(serializers.Serializer):
    side = serializers.CharField(help_text="owner, participant (accepted) or invited (not answered yet).")
    categories = serializers.ListField(
        child=serializers.CharField(),
        help_text="What you see: persoon, situatie, zorg, schulden. A part of the case whose category is "
                  "not here is null.",
    )
    emergency = serializers.ListField(
        child=serializers.CharField(),
        help_text="Categories open to you only through an emergency disclosure (no consent).",
    )
    role = serializers.CharField(help_text="Your role as written to the access log.")


class CaseParticipationSerializer(serializers.Serializer):
    """The caller's own participation (partners)."""

    organisation = serializers.CharField()
    role = serializers.CharField(help_text="VERA ZAAKROL code.")
    role_label = serializers.CharField()
    status = serializers.CharField(help_text="uitgenodigd or geaccepteerd.")
    request = serializers.CharField(help_text="What the corporation asks of your organisation.")
    invited_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class CasePersonSerializer(serializers.Serializer):
    household = serializers.CharField(allow_null=True, help_text="The household's name; null if the case is not "
                                      "about a household.")
    phone = serializers.CharField(allow_null=True, help_text="Empty when none is recorded; null without household.")
    address = serializers.CharField(allow_null=True)
    complex = serializers.CharField(allow_null=True)


class CaseReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    main_category = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaseEpisodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    amount_cents = serializers.IntegerField()
    arose_on = serializers.DateField()
    status = serializers.CharField()


class CaseNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    category = serializers.CharField(help_text="persoon, situatie, zorg or schulden.")
    visibility = serializers.CharField(help_text="eigen or deelnemers.")
    organisation = serializers.CharField(
        source="shown_organisation", allow_null=True, default=None,
        help_text="The writer's organisation; null where naming it would reveal care or debts to you.")
    author = serializers.SerializerMethodField()
    is_closing = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_author(self, obj) -> str | None:
        return _name(obj.author)


class CaseActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    owner_organisation = serializers.CharField()
    owner = serializers.SerializerMethodField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="open, gedaan or vervallen.")

    def get_owner(self, obj) -> str | None:
        return _name(obj.owner)


class CaseParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    organisation = serializers.CharField()
    role = serializers.CharField(help_text="VERA ZAAKROL code.")
    status = serializers.CharField()
    decline_reason = serializers.SerializerMethodField(help_text="Owner only (null for partners).")

    def get_decline_reason(self, obj) -> str | None:
        return obj.decline_reason if self.context.get("is_owner") else None


class CaseConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    organisation = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()
    method = serializers.CharField(help_text="formulier or mondeling.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    live = serializers.SerializerMethodField(help_text="Counts now (not withdrawn, within its dates).")
    given_by = serializers.SerializerMethodField(help_text="Who gave it (a name): owner only, null for partners.")
    witness = serializers.SerializerMethodField(help_text="Owner only, null for partners.")

    def get_live(self, obj) -> bool:
        return obj.is_live()

    def get_given_by(self, obj) -> str | None:
        return obj.given_by if self.context.get("is_owner") else None

    def get_witness(self, obj) -> str | None:
        return obj.witness if self.context.get("is_owner") else None


class CaseDisclosureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    organisation = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    ground = serializers.CharField()
    valid_until = serializers.DateTimeField()
    live = serializers.SerializerMethodField()
    reasoning = serializers.SerializerMethodField(help_text="Owner only, null for partners.")

    def get_live(self, obj) -> bool:
        return obj.is_live()

    def get_reasoning(self, obj) -> str | None:
        return obj.reasoning if self.context.get("is_owner") else None


class CaseEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    actor = serializers.SerializerMethodField()
    organisation = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()

    def get_actor(self, obj) -> str | None:
        return _name(obj.actor)


# --------------------------------------------------------------------------- detail


def _current_unit(household):
    if household is None:
        return None
    tenancy = household.tenancies.select_related("unit").order_by("-start_date").first()
    return tenancy.unit if tenancy else None


class CaseDetailSerializer(serializers.Serializer):
    """One case as the caller may see it. A part the caller may not see is null (the key is always
    there) and `access.categories` says which categories are open; inside a part the caller sees,
    "" or [] means nothing is recorded."""

    id = serializers.IntegerField(source="case.pk")
    reference = serializers.CharField(source="case.reference")
    case_type = serializers.SerializerMethodField(help_text=(
        "VERA ZAAKTYPESOORT code; null unless the situatie category is open to you (the type can reveal "
        "care or debts)."))
    case_type_label = serializers.SerializerMethodField()
    case_type_detail = serializers.SerializerMethodField(
        help_text="VERA ZAAKTYPEDETAILSOORT code, empty when none; null like case_type.")
    status = serializers.CharField(source="case.status", help_text="open or closed.")
    closed_on = serializers.DateField(source="case.closed_on", allow_null=True)
    created_at = serializers.DateTimeField(source="case.created_at")
    neighbourhood = serializers.CharField(source="case.neighbourhood", allow_null=True)
    organisation = serializers.SerializerMethodField()
    lead = serializers.SerializerMethodField()
    access = serializers.SerializerMethodField()
    participation = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    care_details = serializers.SerializerMethodField()
    debt_details = serializers.SerializerMethodField()
    episodes = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    consents = serializers.SerializerMethodField()
    disclosures = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def _ctx(self, view: CaseView) -> dict:
        return {"is_owner": view.access.is_owner}

    @extend_schema_field(CaseOrganisationSerializer)
    def get_organisation(self, view: CaseView) -> dict:
        org = view.case.organisation
        return {"id": org.pk, "name": org.name, "phone": org.phone, "email": org.email}

    @extend_schema_field(CaseLeadSerializer(allow_null=True))
    def get_lead(self, view: CaseView) -> dict | None:
        """Who to call (always shown); null when the case has no lead yet: call the organisation."""
        lead = view.lead
        if lead is None:
            return None
        org = view.lead_organisation
        return {"name": _name(lead), "organisation": org.name if org else None,
                "phone": lead.phone, "email": lead.email}

    @extend_schema_field(CaseAccessSerializer)
    def get_access(self, view: CaseView) -> dict:
        access = view.access
        order = list(InfoCategory.values)
        return {"side": access.side, "categories": [c for c in order if c in access.categories],
                "emergency": [c for c in order if c in access.by_emergency & access.categories],
                "role": access.role}

    @extend_schema_field(CaseParticipationSerializer(allow_null=True))
    def get_participation(self, view: CaseView) -> dict | None:
        p = view.access.participant
        if p is None:
            return None
        return {"organisation": p.organisation.name, "role": p.role, "role_label": p.get_role_display(),
                "status": p.status, "request": p.request, "invited_at": p.invited_at, "answered_at": p.answered_at}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_title(self, view: CaseView) -> str | None:
        # the title names the household ("Familie Jansen — Merelstraat 12"): category persoon
        return view.case.title if view.access.sees_person else None

    @extend_schema_field(CasePersonSerializer(allow_null=True))
    def get_person(self, view: CaseView) -> dict | None:
        if not view.access.sees_person:
            return None
        case = view.case
        household = case.household
        unit = case.unit or _current_unit(household)
        return {"household": household.name if household else None,
                "phone": household.contact_phone if household else None,
                "address": unit.address if unit else None,
                "complex": str(case.complex) if case.complex_id else None}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_summary(self, view: CaseView) -> str | None:
        return view.case.summary if view.access.sees_situation else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_reasons(self, view: CaseView) -> list[str] | None:
        return list(view.case.reasons or []) if view.access.is_owner else None

    @extend_schema_field(CaseReportSerializer(many=True, allow_null=True))
    def get_reports(self, view: CaseView) -> list | None:
        return CaseReportSerializer(view.reports, many=True).data if view.access.sees_situation else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_care_details(self, view: CaseView) -> str | None:
        return view.case.care_details if view.access.sees_care else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_debt_details(self, view: CaseView) -> str | None:
        return view.case.debt_details if view.access.sees_debt else None

    @extend_schema_field(CaseEpisodeSerializer(many=True, allow_null=True))
    def get_episodes(self, view: CaseView) -> list | None:
        return CaseEpisodeSerializer(view.episodes, many=True).data if view.access.sees_debt else None

    @extend_schema_field(CaseNoteSerializer(many=True, allow_null=True))
    def get_notes(self, view: CaseView) -> list | None:
        # null while only the existence of the case is shown (invited, or no consent at all)
        if view.access.minimal:
            return None
        return CaseNoteSerializer(view.notes, many=True).data

    @extend_schema_field(CaseActionSerializer(many=True, allow_null=True))
    def get_actions(self, view: CaseView) -> list | None:
        if view.access.is_invited:
            return None
        return CaseActionSerializer(view.actions, many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case_type(self, view: CaseView) -> str | None:
        return view.case.case_type if view.access.sees_situation else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case_type_label(self, view: CaseView) -> str | None:
        return view.case.get_case_type_display() if view.access.sees_situation else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case_type_detail(self, view: CaseView) -> str | None:
        return view.case.case_type_detail if view.access.sees_situation else None

    @extend_schema_field(CaseParticipantSerializer(many=True, allow_null=True))
    def get_participants(self, view: CaseView) -> list | None:
        if not (view.access.is_owner or view.access.sees_situation):
            return None
        return CaseParticipantSerializer(view.participants, many=True, context=self._ctx(view)).data

    @extend_schema_field(CaseConsentSerializer(many=True, allow_null=True))
    def get_consents(self, view: CaseView) -> list | None:
        if view.access.is_invited:
            return None
        return CaseConsentSerializer(view.consents, many=True, context=self._ctx(view)).data

    @extend_schema_field(CaseDisclosureSerializer(many=True, allow_null=True))
    def get_disclosures(self, view: CaseView) -> list | None:
        if view.access.is_invited:
            return None
        return CaseDisclosureSerializer(view.disclosures, many=True, context=self._ctx(view)).data

    @extend_schema_field(CaseEventSerializer(many=True, allow_null=True))
    def get_events(self, view: CaseView) -> list | None:
        if not (view.access.is_owner or view.access.sees_situation):
            return None
        return CaseEventSerializer(view.events, many=True).data


class CaseAnswerResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The case.")
    reference = serializers.CharField()
    participation_status = serializers.CharField(help_text="geaccepteerd or geweigerd.")
    answered_at = serializers.DateTimeField()

