from django.db import connection
from django.http import JsonResponse


def health(request):
    """Liveness + database check for load balancers and the launcher."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    """404 as JSON under /api/ (clients expect the documented error body), HTML elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Niet gevonden."}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def server_error(request):
    """500 as JSON under /api/; the HTML page elsewhere (no details in either)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Er ging iets mis aan onze kant. Probeer het later opnieuw."}, status=500)
    from django.views.defaults import server_error as html_server_error

    return html_server_error(request)
