"""Production: HTTPS only, a real secret, PostgreSQL expected. Passes `khru check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from khru.config import env
from khru.config.base import *  # noqa: F403

if not env.SECRET_KEY or len(env.SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters in production.")
SECRET_KEY = env.SECRET_KEY
DEBUG = False
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
