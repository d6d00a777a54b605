"""The network directory pages: /werk/netwerk/ (read) and add/edit for directory managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkpunt.core.calendar import OfficeCalendar
from wijkpunt.core.models import Organisation

from . import selectors, services
from .forms import ContactPointForm, DirectoryFilterForm


def now():
    return timezone.now()


def _office_open_now(owner_ids) -> dict[int, bool]:
    """Per owner: is it within its office hours now? (The directory highlights the number to call.)"""
    moment = now()
    owners = Organisation.objects.filter(pk__in=owner_ids).prefetch_related("office_hours")
    return {owner.pk: OfficeCalendar.for_organisation(owner).is_open(moment) for owner in owners}


@login_required
def directory(request):
    if not selectors.can_view_directory(request.user):
        raise PermissionDenied
    owner_ids = selectors.directory_owner_ids(request.user)
    manage_ids = selectors.manageable_owner_ids(request.user)
    neighbourhoods = list(selectors.neighbourhoods_of(owner_ids, with_listed=True))
    query = {k: v.replace("\x00", "") for k, v in request.GET.items()}
    filters = DirectoryFilterForm(query, neighbourhoods=neighbourhoods)
    data = filters.cleaned_data if filters.is_valid() else {}
    chosen = next((n for n in neighbourhoods if n.pk == data.get("buurt")), None)
    show_inactive = bool(manage_ids) and request.GET.get("inactief") == "1"
    points = list(selectors.directory_for(request.user, neighbourhood=chosen, kind=data.get("soort") or "",
                                          q=data.get("q") or "", include_inactive=show_inactive))
    open_now = _office_open_now({p.owner_id for p in points})
    for point in points:
        point.in_office_hours = open_now.get(point.owner_id, False)
        point.can_edit = point.owner_id in manage_ids
    return render(request, "network/directory.html", {
        "points": points, "filters": filters, "can_manage": bool(manage_ids), "show_inactive": show_inactive,
        "several_owners": len({p.owner_id for p in points}) > 1,
    })


def _save(request, form, point=None):
    fields = form.service_fields()
    neighbourhoods = fields.pop("neighbourhoods")
    try:
        if point is None:
            point = services.contact_point_create(actor=request.user, owner=form.cleaned_data["owner"],
                                                  neighbourhoods=neighbourhoods, **fields)
        else:
            point = services.contact_point_update(actor=request.user, contact_point=point,
                                                  neighbourhoods=neighbourhoods, **fields)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    return point


@login_required
@require_http_methods(["GET", "POST"])
def contact_point_create(request):
    manage_ids = selectors.manageable_owner_ids(request.user)
    if not manage_ids:
        raise PermissionDenied
    form = ContactPointForm(request.POST or None, owner_ids=manage_ids)
    if request.method == "POST" and form.is_valid() and (point := _save(request, form)) is not None:
        messages.success(request, _("Contactpunt %(name)s is toegevoegd.") % {"name": point.name})
        return redirect("network:directory")
    return render(request, "network/contact_point_form.html", {"form": form, "point": None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def contact_point_edit(request, pk: int):
    manage_ids = selectors.manageable_owner_ids(request.user)
    if not manage_ids:
        raise PermissionDenied
    point = selectors.contact_point_for_manager(request.user, pk)
    if point is None:
        raise Http404
    form = ContactPointForm(request.POST or None, instance=point, owner_ids=manage_ids)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form, point)) is not None:
        messages.success(request, _("Contactpunt %(name)s is opgeslagen.") % {"name": saved.name})
        return redirect("network:directory")
    return render(request, "network/contact_point_form.html", {"form": form, "point": point},
                  status=400 if form.errors else 200)
