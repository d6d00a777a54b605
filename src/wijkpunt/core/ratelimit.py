"""A fixed-window rate limit kept in the shared cache (so every web process sees it)."""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def forwarded_ip(request) -> str | None:
    """The client's address, or None. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies that each append
    to X-Forwarded-For, the address the outermost proxy saw; entries further left are client-chosen.
    Also django-axes' AXES_CLIENT_IP_CALLABLE."""
    address = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            address = hops[-count]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def client_ip(request) -> str:
    return forwarded_ip(request) or "unknown"


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
