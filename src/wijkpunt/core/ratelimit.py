"""A fixed-window rate limit kept in the shared cache (so every web process sees it)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit; True when the caller is over ``limit`` in the current window."""
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{window}"
    try:
        count = cache.incr(cache_key)
    except ValueError:  # first hit in this window
        count = 1 if cache.add(cache_key, 1, timeout=window_seconds + 5) else cache.incr(cache_key)
    return count > limit
