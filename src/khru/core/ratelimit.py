"""A fixed-window request limit per client address, kept in Django's cache (public checks: licences, documents)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def allow(request: HttpRequest, *, bucket: str) -> bool:
    """True while the client has made fewer than the limit of requests this minute."""
    limit = getattr(settings, "KHRU_VERIFY_PER_MINUTE", 30)
    key = f"khru-rate:{bucket}:{request.META.get('REMOTE_ADDR', '')}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=70)
        return True


TOO_MANY = (
    "ตรวจสอบบ่อยเกินไป โปรดลองใหม่ในอีกหนึ่งนาที",
    "Too many checks: please try again in a minute.",
)
