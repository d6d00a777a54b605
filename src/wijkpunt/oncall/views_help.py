"""'Ik heb nu hulp nodig': a volunteer on a round asks for help; the on-call person is paged at
once with the volunteer's phone number (and location, if the phone shares it)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wijkpunt.core.models import Organisation

from . import selectors, services
from .models import HelpRequest


class HelpForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("Wat is er aan de hand?"), required=False, max_length=300,
                              widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}))
    latitude = forms.DecimalField(required=False, min_value=50, max_value=54, decimal_places=6, max_digits=9,
                                  widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, min_value=3, max_value=8, decimal_places=6, max_digits=9,
                                   widget=forms.HiddenInput)
    accuracy = forms.IntegerField(required=False, min_value=0, max_value=100000, widget=forms.HiddenInput)
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            data["latitude"] = data["longitude"] = None  # half a location is no location
        return data


def _organisation(request) -> Organisation:
    organisation = selectors.help_organisation(request.user)
    if organisation is None:
        raise PermissionDenied
    return organisation


@login_required
def help_home(request):
    organisation = _organisation(request)
    form = HelpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "oncall/help.html", {"form": form, "organisation": organisation}, status=400)
        data = form.cleaned_data
        try:
            help_request, _created = services.help_request_create(
                volunteer=request.user, organisation=organisation, message=data["message"],
                latitude=data["latitude"], longitude=data["longitude"], accuracy_m=data["accuracy"],
                idempotency_key=data["key"] or None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return render(request, "oncall/help.html", {"form": form, "organisation": organisation}, status=400)
        return redirect("help:status", pk=help_request.pk)
    recent = selectors.help_requests_of(request.user)[:5]
    return render(request, "oncall/help.html", {
        "form": form, "organisation": organisation, "recent": recent, "no_phone": not request.user.phone,
    })


def _own(request, pk: int) -> HelpRequest:
    help_request = selectors.help_requests_of(request.user).filter(pk=pk).first()
    if help_request is None:
        raise Http404
    return help_request


@login_required
def help_status(request, pk: int):
    from .views_duty import poll_seconds

    return render(request, "oncall/help_status.html", {"help": _own(request, pk), "poll_seconds": min(poll_seconds(), 5)})


@login_required
def help_status_live(request, pk: int):
    response = render(request, "oncall/_help_status_live.html", {"help": _own(request, pk)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def help_close(request, pk: int):
    help_request = _own(request, pk)
    services.help_request_close(help_request=help_request, user=request.user)
    messages.success(request, _("Fijn dat het goed is. De hulpvraag is afgesloten."))
    return redirect("help:home")
