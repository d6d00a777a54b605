"""Pages: partner policies (corporation administrator) and a partner's own users (partner admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PartnerUserCreateForm, PartnerUserPolicyForm, PartnerUserRoleForm
from .middleware import NEXT_SESSION_KEY


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# -- the corporation's side: policies --------------------------------------------------------------
@login_required
def policy_list(request):
    corporations = list(selectors.policy_corporations(request.user))
    if not corporations:
        raise PermissionDenied
    return render(request, "accounts/policies.html", {
        "policies": selectors.policies_visible(request.user), "today": timezone.localdate(),
    })


@login_required
def policy_edit(request, pk: int | None = None):
    corporations = list(selectors.policy_corporations(request.user))
    if not corporations:
        raise PermissionDenied
    instance = None
    if pk is not None:
        instance = selectors.policies_visible(request.user).filter(pk=pk).first()
        if instance is None:
            raise Http404
    corporation = instance.corporation if instance else corporations[0]
    form = PartnerUserPolicyForm(request.POST or None, instance=instance, corporation=corporation)
    if request.method == "POST" and form.is_valid():
        services.partner_policy_save(actor=request.user, corporation=corporation, form=form)
        messages.success(request, _("Afspraken opgeslagen."))
        return redirect("accounts:policies")
    return render(request, "accounts/policy_form.html", {"form": form, "policy": instance},
                  status=400 if form.errors else 200)


# -- the partner's side: its own users -------------------------------------------------------------
def _own_org(request):
    orgs = list(selectors.own_user_orgs(request.user))
    if not orgs:
        raise PermissionDenied
    wanted = request.POST.get("organisatie") or request.GET.get("organisatie")
    if wanted:
        match = [o for o in orgs if str(o.pk) == wanted]
        if not match:
            raise Http404
        return match[0], orgs
    return orgs[0], orgs


def _users_context(request, organisation, policy, create_form=None) -> dict:
    users = list(selectors.org_users(organisation))
    for user in users:
        user.cannot_manage = selectors.cannot_manage_reason(request.user, user, policy)
    return {
        "organisation": organisation, "policy": policy, "users": users,
        "active_count": selectors.active_user_count(organisation),
        "form": create_form, "orgs": _own_org(request)[1],
    }


@login_required
def user_list(request):
    organisation, _orgs = _own_org(request)
    policy = selectors.effective_policy(organisation)
    form = PartnerUserCreateForm(allowed_roles=policy.allowed_roles()) if policy else None
    return render(request, "accounts/users.html", _users_context(request, organisation, policy, form))


@login_required
@require_POST
def user_create(request):
    organisation, _orgs = _own_org(request)
    policy = selectors.effective_policy(organisation)
    if policy is None:
        messages.error(request, _("Er zijn geen geldige afspraken met de corporatie: u kunt geen gebruikers toevoegen."))
        return render(request, "accounts/users.html", _users_context(request, organisation, None), status=400)
    form = PartnerUserCreateForm(request.POST, allowed_roles=policy.allowed_roles())
    if form.is_valid():
        try:
            user = services.partner_user_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Account %(username)s aangemaakt; de uitnodiging is verstuurd naar %(email)s.")
                             % {"username": user.username, "email": user.email})
            return redirect(reverse("accounts:users") + f"?organisatie={organisation.pk}")
    return render(request, "accounts/users.html", _users_context(request, organisation, policy, form), status=400)


@login_required
def user_detail(request, pk: int):
    user, organisation = selectors.user_for_admin(request.user, pk)
    policy = selectors.effective_policy(organisation)
    reason = selectors.cannot_manage_reason(request.user, user, policy)
    form = None
    status = 200
    if not reason:
        current = user.org_memberships[0].role if user.org_memberships else None
        form = PartnerUserRoleForm(request.POST or None, allowed_roles=policy.allowed_roles(),
                                   initial={"role": current})
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.partner_user_change_role(actor=request.user, organisation=organisation, user=user,
                                                      role=form.cleaned_data["role"])
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("Rol gewijzigd."))
                    return redirect("accounts:user", pk=user.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "accounts/user_detail.html", {
        "target": user, "organisation": organisation, "policy": policy, "reason": reason, "form": form,
    }, status=status)


@login_required
@require_POST
def user_set_active(request, pk: int):
    user, organisation = selectors.user_for_admin(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.partner_user_set_active(actor=request.user, organisation=organisation, user=user, active=active)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        policy = selectors.effective_policy(organisation)
        return render(request, "accounts/user_detail.html", {
            "target": user, "organisation": organisation, "policy": policy,
            "reason": selectors.cannot_manage_reason(request.user, user, policy),
            "form": None, "errors": exc.messages,
        }, status=400)
    messages.success(request, _("Account weer actief.") if active else _("Account op inactief gezet: deze persoon kan niet meer inloggen."))
    return redirect("accounts:user", pk=user.pk)


# -- invitation: set a password ----------------------------------------------------------------------
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link in the invitation (Django's password-reset token: valid once, for PASSWORD_RESET_TIMEOUT)."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Uw wachtwoord is ingesteld. U kunt nu inloggen."))
        return response


def continue_after_mfa(request):
    """Where the user wanted to go before they were sent to set up two-factor authentication."""
    target = request.session.pop(NEXT_SESSION_KEY, "") if request.user.is_authenticated else ""
    if not (target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        target = reverse("staff:home")
    return redirect(target)
