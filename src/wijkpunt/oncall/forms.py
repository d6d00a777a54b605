"""Forms of the on-call management pages (rosters, office calendar, escalation policies).

Date/time inputs are ``<input type="datetime-local">`` read as Europe/Amsterdam wall-clock time.
Field-level messages are Dutch first; cross-object checks live in ``manage_services``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.core.models import ClosedDay, OfficeHours, Organisation, Team, User
from wijkpunt.housing.models import Neighbourhood
from wijkpunt.reports.models import Category, Urgency

from .manage_services import on_call_staff, org_members, org_neighbourhoods
from .models import EscalationPolicy, EscalationStep, Roster
from .validation import StepData

CHECKBOX_CSS = "utrecht-checkbox utrecht-checkbox--html-input"
CHOICE_MSG = _("Kies een waarde uit de lijst.")
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        contact = " · ".join(x for x in (obj.phone, obj.email) if x) or _("geen telefoon of e-mail")
        return f"{obj} ({contact})"


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else _("%(name)s (hele hoofdcategorie)") % {
            "name": obj.name}


# -- fields ----------------------------------------------------------------------------------------
class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input, always read and shown as Amsterdam wall-clock time."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = DATETIME_FORMATS
    default_error_messages = {
        "required": _("Vul een datum en tijd in."),
        "invalid": _("Vul een datum en tijd in, bijvoorbeeld 21-11-2026 14:30."),
        "ambiguous": _("Dit tijdstip bestaat niet of komt twee keer voor door de zomer- of wintertijd; "
                       "kies een ander tijdstip."),
        "range": _("Kies een tijdstip binnen twee jaar van nu."),
    }

    def to_python(self, value):
        try:
            with timezone.override(AMSTERDAM):
                result = super().to_python(value)
        except ValidationError as exc:
            if exc.code == "ambiguous_timezone":
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous") from exc
            raise
        if result is not None and abs(result - timezone.now()) > dt.timedelta(days=731):
            raise ValidationError(self.error_messages["range"], code="range")
        return result

    def prepare_value(self, value):
        with timezone.override(AMSTERDAM):
            return super().prepare_value(value)


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def sane_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not 2000 <= value.year <= 2100:
        raise ValidationError(_("Kies een datum tussen 2000 en 2100."))
    return value


class ManageForm(UtrechtFormMixin):
    """Utrecht classes, and checkboxes for multi-selects (the mixin would style them as radios)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = CHECKBOX_CSS
            if isinstance(field, forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = CHOICE_MSG
                field.error_messages.setdefault("invalid_pk_value", CHOICE_MSG)


def organisation_field(org_ids, instance_org_id):
    """A choice of organisation, only when a new object could belong to more than one."""
    if instance_org_id or len(org_ids) < 2:
        return None
    return forms.ModelChoiceField(label=_("Organisatie"), queryset=Organisation.objects.filter(pk__in=org_ids),
                                  error_messages={"required": _("Kies een organisatie.")})


# -- rosters ---------------------------------------------------------------------------------------
class RosterForm(ManageForm, forms.ModelForm):
    class Meta:
        model = Roster
        fields = ["name", "neighbourhoods", "rotation_days", "starts_on", "handover_time", "coordinator",
                  "warning_days", "is_active"]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple, "starts_on": date_widget(),
                   "handover_time": time_widget()}
        error_messages = {"name": {"required": _("Geef het rooster een naam.")},
                          "starts_on": {"required": _("Vul de datum van de eerste overdracht in."),
                                        "invalid": _("Vul een datum in, bijvoorbeeld 23-11-2026.")},
                          "handover_time": {"required": _("Vul de overdrachtstijd in."),
                                            "invalid": _("Vul een tijd in, bijvoorbeeld 17:00.")}}

    def __init__(self, *args, org_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.org_ids = [self.instance.organisation_id] if self.instance.organisation_id else sorted(org_ids)
        if field := organisation_field(self.org_ids, self.instance.organisation_id):
            self.fields = {"organisation": field, **self.fields}
        self.fields["neighbourhoods"].queryset = org_neighbourhoods(self.org_ids)
        self.fields["coordinator"] = UserChoiceField(
            label=_("Coördinator"), queryset=org_members(self.org_ids), required=False,
            help_text=_("Krijgt een e-mail over gaten in het rooster en is de laatste stap van een keten."),
            error_messages={"invalid_choice": CHOICE_MSG})
        self.fields["starts_on"].input_formats = DATE_FORMATS
        self.fields["handover_time"].input_formats = TIME_FORMATS
        self.fields["warning_days"].validators.append(_range_validator(1, 90))
        self.fields["warning_days"].error_messages["invalid"] = _("Vul een aantal dagen in.")

    def clean_starts_on(self):
        return sane_date(self.cleaned_data.get("starts_on"))

    def clean(self):
        data = super().clean()
        org = data.get("organisation") if "organisation" in self.fields else None
        org_id = org.pk if org else (self.org_ids[0] if len(self.org_ids) == 1 else None)
        if org_id is None:
            return data
        self.instance.organisation_id = org_id
        if (c := data.get("coordinator")) and not org_members([org_id]).filter(pk=c.pk).exists():
            self.add_error("coordinator", _("De coördinator moet bij deze organisatie werken."))
        allowed = set(org_neighbourhoods([org_id]).values_list("pk", flat=True))
        chosen = list(data.get("neighbourhoods") or [])
        if any(n.pk not in allowed for n in chosen):
            self.add_error("neighbourhoods", _("Kies alleen buurten uit het werkgebied van de organisatie."))
        elif chosen and data.get("is_active"):  # schedule.roster_for would silently pick the oldest
            others = Roster.objects.filter(organisation_id=org_id, is_active=True).exclude(pk=self.instance.pk)
            taken = Neighbourhood.objects.filter(pk__in=[n.pk for n in chosen], rosters__in=others).distinct()
            if taken:
                self.add_error("neighbourhoods", _("Al in een ander actief rooster: %(names)s.") % {
                    "names": ", ".join(sorted({n.name for n in taken}))})
        return data


def _range_validator(low: int, high: int):
    def check(value):
        if value is not None and not low <= value <= high:
            raise ValidationError(_("Vul een getal tussen %(low)s en %(high)s in.") % {"low": low, "high": high})
    return check


class MemberAddForm(ManageForm, forms.Form):
    user = UserChoiceField(label=_("Medewerker"), queryset=User.objects.none(),
                           help_text=_("Komt achteraan in de volgorde van de rotatie."),
                           error_messages={"required": _("Kies een medewerker.")})

    def __init__(self, *args, roster: Roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = on_call_staff([roster.organisation_id]).exclude(roster_slots__roster=roster)


class PeriodForm(ManageForm, forms.Form):
    starts_at = LocalDateTimeField(label=_("Van"))
    ends_at = LocalDateTimeField(label=_("Tot"))

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end:
            if end <= start:
                self.add_error("ends_at", _("Het einde moet na het begin liggen."))
            elif end <= timezone.now():
                self.add_error("ends_at", _("Deze periode ligt al helemaal in het verleden."))
        return data


class OverrideForm(PeriodForm):
    user = UserChoiceField(
        label=_("Vervanger"), queryset=User.objects.none(), required=False, empty_label=_("Niemand (bekend gat)"),
        help_text=_("Leeg: niemand heeft dienst, een aangekondigd gat. Wissels mogen elkaar overlappen: "
                    "de laatst ingevoerde wissel gaat voor."),
    )
    reason = forms.CharField(label=_("Reden"), max_length=200, required=False)

    def __init__(self, *args, roster: Roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = on_call_staff([roster.organisation_id])


class AbsenceForm(PeriodForm):
    KINDS = [("ziek", _("Ziek")), ("vakantie", _("Vakantie")), ("anders", _("Anders"))]

    user = UserChoiceField(label=_("Medewerker"), queryset=User.objects.none(),
                           help_text=_("Geldt voor alle roosters waarop deze medewerker staat."),
                           error_messages={"required": _("Kies een medewerker.")})
    kind = forms.ChoiceField(label=_("Soort"), choices=KINDS, initial="ziek",
                             error_messages={"invalid_choice": CHOICE_MSG})
    note = forms.CharField(label=_("Toelichting"), max_length=150, required=False)

    def __init__(self, *args, roster: Roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(roster_slots__roster=roster).order_by(
            "roster_slots__position")

    @property
    def reason(self) -> str:
        label = str(dict(self.KINDS)[self.cleaned_data["kind"]])
        return f"{label}: {self.cleaned_data['note']}" if self.cleaned_data.get("note") else label


# -- office calendar -------------------------------------------------------------------------------
class OfficeHoursForm(ManageForm, forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ["weekday", "opens", "closes"]
        widgets = {"opens": time_widget(), "closes": time_widget()}
        error_messages = {
            "weekday": {"invalid_choice": CHOICE_MSG, "required": _("Kies een dag.")},
            "opens": {"invalid": _("Vul een tijd in, bijvoorbeeld 08:30."), "required": _("Vul in vanaf wanneer.")},
            "closes": {"invalid": _("Vul een tijd in, bijvoorbeeld 17:00."), "required": _("Vul in tot wanneer.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens", "closes"):
            self.fields[name].input_formats = TIME_FORMATS

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("De sluitingstijd moet na de openingstijd liggen."))
        return data


class ClosedDayForm(ManageForm, forms.ModelForm):
    class Meta:
        model = ClosedDay
        fields = ["date", "reason"]
        widgets = {"date": date_widget()}
        error_messages = {"date": {"invalid": _("Vul een datum in, bijvoorbeeld 24-12-2026."),
                                   "required": _("Vul de datum in.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = DATE_FORMATS

    def clean_date(self):
        return sane_date(self.cleaned_data.get("date"))


# -- escalation policies ---------------------------------------------------------------------------
class PolicyForm(ManageForm, forms.ModelForm):
    urgencies = forms.MultipleChoiceField(
        label=_("Urgenties"), choices=Urgency.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Voor meldingen: bij welke urgenties dit beleid geldt."),
        error_messages={"invalid_choice": _("Onbekende urgentie: %(value)s.")},
    )
    queue_deadline_minutes = forms.IntegerField(
        label=_("Termijn in minuten (werkvoorraad)"), required=False, min_value=5, max_value=1440,
        error_messages={"invalid": _("Vul een aantal minuten in."), "min_value": _("Minimaal 5 minuten."),
                        "max_value": _("Maximaal 1440 minuten (een dag).")},
    )

    class Meta:
        model = EscalationPolicy
        fields = ["name", "trigger", "categories", "urgencies", "when", "action", "roster", "queue_team",
                  "queue_deadline_minutes", "position", "is_active"]
        widgets = {"trigger": forms.RadioSelect, "when": forms.RadioSelect, "action": forms.RadioSelect}
        error_messages = {"name": {"required": _("Geef het beleid een naam.")},
                          "position": {"invalid": _("Vul een getal in.")}}

    def __init__(self, *args, org_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.org_ids = [self.instance.organisation_id] if self.instance.organisation_id else sorted(org_ids)
        if field := organisation_field(self.org_ids, self.instance.organisation_id):
            self.fields = {"organisation": field, **self.fields}
        current = list(self.instance.categories.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["categories"] = CategoryChoiceField(
            label=_("Categorieën"), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX_CSS}),
            help_text=_("Leeg: alle categorieën. Een hoofdcategorie geldt ook voor haar subcategorieën."),
            queryset=Category.objects.filter(Q(is_active=True) | Q(pk__in=current)).select_related("parent")
            .annotate(main_pos=Coalesce("parent__position", "position"), main_id=Coalesce("parent_id", "id"))
            .order_by("main_pos", "main_id", F("parent_id").asc(nulls_first=True), "position", "name"),
            error_messages={"invalid_choice": CHOICE_MSG, "invalid_pk_value": CHOICE_MSG},
        )
        self.fields["roster"].queryset = Roster.objects.filter(organisation_id__in=self.org_ids)
        self.fields["queue_team"].queryset = Team.objects.filter(organisation_id__in=self.org_ids)
        self.fields["position"].validators.append(_range_validator(0, 999))
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("urgencies", [Urgency.SPOED])

    def clean(self):
        data = super().clean()
        org = data.get("organisation") if "organisation" in self.fields else None
        if org is not None:
            self.instance.organisation = org
        elif len(self.org_ids) == 1:
            self.instance.organisation_id = self.org_ids[0]
        return data


class StepForm(ManageForm, forms.Form):
    target = forms.ChoiceField(label=_("Wie"), choices=[("", _("— kies —")), *EscalationStep.Target.choices],
                               error_messages={"required": _("Kies wie er wordt opgeroepen."),
                                               "invalid_choice": CHOICE_MSG})
    user = UserChoiceField(label=_("Persoon"), queryset=User.objects.none(), required=False,
                           help_text=_("Alleen bij 'een vaste persoon'."))
    roster = forms.ModelChoiceField(label=_("Ander rooster"), queryset=Roster.objects.none(), required=False,
                                    help_text=_("Alleen bij 'dienstdoende van een ander rooster'."))
    continue_with = forms.ModelChoiceField(label=_("Doorgaan met"), queryset=EscalationPolicy.objects.none(),
                                           required=False, help_text=_("Alleen bij 'doorgaan met ander beleid'; "
                                                                       "moet de laatste stap zijn."))
    channels = forms.MultipleChoiceField(label=_("Kanalen"), choices=EscalationStep.ChannelChoice.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple,
                                         error_messages={"invalid_choice": _("Onbekend kanaal.")})
    wait_minutes = forms.IntegerField(
        label=_("Wachttijd tot de volgende stap (minuten)"), required=False, min_value=1, max_value=1440,
        error_messages={"invalid": _("Vul een aantal minuten in."),
                        "min_value": _("De wachttijd moet tussen 1 en 1440 minuten liggen."),
                        "max_value": _("De wachttijd moet tussen 1 en 1440 minuten liggen.")},
    )

    def __init__(self, *args, org_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = org_members(org_ids)
        self.fields["roster"].queryset = Roster.objects.filter(organisation_id__in=list(org_ids))
        self.fields["continue_with"].queryset = EscalationPolicy.objects.filter(organisation_id__in=list(org_ids))

    def step_data(self) -> StepData:
        d = self.cleaned_data
        target = d.get("target", "")
        return StepData(
            target=target, channels=list(d.get("channels") or []),
            wait=dt.timedelta(minutes=d["wait_minutes"]) if d.get("wait_minutes") is not None else dt.timedelta(0),
            user_id=d["user"].pk if target == EscalationStep.Target.USER and d.get("user") else None,
            roster_id=d["roster"].pk if target == EscalationStep.Target.ROSTER and d.get("roster") else None,
            continue_with_id=d["continue_with"].pk
            if target == EscalationStep.Target.CONTINUE and d.get("continue_with") else None,
        )


class BaseStepFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Volgorde")
            form.fields["ORDER"].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Stap verwijderen")
            form.fields["DELETE"].widget.attrs["class"] = CHECKBOX_CSS

    def steps(self) -> list[StepData]:
        """The steps in their order, without deleted and untouched blank rows (call after is_valid)."""
        return [form.step_data() for form in self.ordered_forms]


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=2, can_order=True, can_delete=True,
                                    max_num=20, validate_max=True)

DEFAULT_STEPS = [
    {"target": t, "channels": ["sms", "email"], "wait_minutes": 10}
    for t in (EscalationStep.Target.ON_CALL, EscalationStep.Target.BACKUP, EscalationStep.Target.COORDINATOR)
]


def steps_initial(policy: EscalationPolicy) -> list[dict]:
    if policy.pk is None:
        return DEFAULT_STEPS
    return [{"target": s.target, "user": s.user_id, "roster": s.roster_id, "continue_with": s.continue_with_id,
             "channels": list(s.channels), "wait_minutes": int(s.wait.total_seconds() // 60)}
            for s in policy.steps.order_by("position")]
