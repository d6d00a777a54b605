from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        tiles = settings.MAP_TILES_URL
        tile_host = ""
        if tiles.startswith("http"):
            tile_host = " " + "/".join(tiles.split("/")[:3]).replace("{s}.", "*.")
        self.csp = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self' 'unsafe-inline'",
                f"img-src 'self' data: blob:{tile_host}",
                "worker-src 'self' blob:",
                "connect-src 'self'",
                "font-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response


class DutchFirstMiddleware:
    """Pages are Dutch unless the user chose English (language cookie via the switch in the header).

    A browser's Accept-Language is ignored for pages — many Dutch tenants have phones set to English
    and should still get the Dutch service — but honoured by the API, where a client asks explicitly.
    Must come before django.middleware.locale.LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
