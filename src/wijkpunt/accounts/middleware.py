"""Enforce two-factor authentication (WIJKPUNT_MFA_REQUIRED) on the pages behind a login."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import mfa_setup_missing

# Staff pages, the admin and the private API. Everything else (the public form, tracking links,
# acknowledge links, login, logout and the set-up pages under /account/) stays reachable.
PROTECTED_PREFIXES = ("/werk/", "/beheer/", "/api/v1/")
ALWAYS_ALLOWED = ("/beheer/logout/",)
NEXT_SESSION_KEY = "wp_mfa_next"


class MfaRequiredMiddleware:
    """A logged-in user who must use TOTP and has not set it up is sent to the set-up page; a
    session-authenticated API request gets 403 with a Dutch message. Token-authenticated API calls
    (no session user here) are not affected: the token itself is issued by an administrator."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._blocked(request):
            setup_url = reverse("mfa_activate_totp")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _("Tweestapsverificatie is verplicht voor uw account. Stel die eerst in "
                                    "via %(url)s en probeer het daarna opnieuw.") % {"url": setup_url},
                        "code": "mfa_required",
                    },
                    status=403,
                )
            if request.method == "GET":
                request.session[NEXT_SESSION_KEY] = request.get_full_path()
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = setup_url
                return response
            return HttpResponseRedirect(setup_url)
        return self.get_response(request)

    @staticmethod
    def _blocked(request) -> bool:
        if not settings.WIJKPUNT_MFA_REQUIRED:
            return False
        path = request.path
        if not path.startswith(PROTECTED_PREFIXES) or path.startswith(ALWAYS_ALLOWED):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return mfa_setup_missing(user)
