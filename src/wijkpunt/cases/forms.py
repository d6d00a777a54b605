from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_NOTE_LENGTH


class NoteForm(forms.Form):
    prefix = "notitie"

    text = forms.CharField(
        label=_("Notitie"), max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
        error_messages={"required": _("Schrijf een notitie.")},
    )


class CloseForm(forms.Form):
    prefix = "afsluiten"

    text = forms.CharField(
        label=_("Afsluitende notitie"), max_length=MAX_NOTE_LENGTH,
        help_text=_("Waarom de casus stopt en wat er is afgesproken."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        error_messages={"required": _("Schrijf kort waarom de casus wordt afgesloten.")},
    )


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class OpenCaseForm(forms.Form):
    """The consultant who gets the case; the reasons are recomputed on the server, never posted."""

    assigned_to = ConsultantChoiceField(
        label=_("Wijkconsulent"), queryset=None, empty_label=_("Kies een wijkconsulent"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
        error_messages={"required": _("Kies de wijkconsulent die de casus krijgt."),
                        "invalid_choice": _("Kies een wijkconsulent van deze organisatie.")},
    )

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = consultants
