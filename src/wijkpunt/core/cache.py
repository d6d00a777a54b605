"""Housekeeping for the database cache (the default when no Redis is configured)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils import timezone


def cache_purge_expired() -> int:
    """Delete expired rows of the database cache table. The table is never culled by size (culling
    would forget used captcha challenges and rate-limit counters), so expiry is what keeps it small."""
    backend = settings.CACHES["default"]
    if backend["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
        return 0
    table = connection.ops.quote_name(backend["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608 - table name from settings, quoted
            [connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return cursor.rowcount
