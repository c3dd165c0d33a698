"""Settings for every environment; env.py supplies what differs between machines."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from khru.config import env

BASE_DIR = env.BASE_DIR
DEBUG = env.DEBUG
# An unset key is only acceptable outside production (production.py refuses it).
SECRET_KEY = env.SECRET_KEY or "khru-development-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "khru.core",
    "khru.org",
    "khru.people",
    "khru.attendance",
    "khru.assessment",
    "khru.health",
    "khru.exchange",
    "khru.web",
    "khru.demo",
    "khru.care",
    "khru.welfare",
    "khru.teachers",
    "khru.licences",
    "khru.reports",
    "khru.insights",
    "khru.earlywarning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # /static/ from the collected, hashed, compressed files
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khru.web.middleware.no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khru.config.urls"
WSGI_APPLICATION = "khru.config.wsgi.application"
AUTH_USER_MODEL = "org.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "khru.web.context.navigation",
            ],
            "builtins": ["khru.core.templatetags.thai", "template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {"default": env.DATABASE}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers go on while a teacher saves; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "khru.org.auth.UsernameOrCitizenIdBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Sessions expire: a shared school computer must not stay logged in.
SESSION_COOKIE_AGE = int(timedelta(hours=env.SESSION_HOURS).total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Password guessing: 5 failures lock the account for an hour, whichever spelling of the citizen ID or case
# of the username was typed and from whichever address (lockout_key names the account).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "khru.org.auth.lockout_key"
# axes warns that a lockout without the client address can be dodged by changing user agent or cookies;
# ours counts per account (the normalised identifier), which neither changes, so the warning does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False

# One cache for all worker processes when Redis is there (rate limits and lockouts count across workers).
if env.REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": env.REDIS_URL}}
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.STATIC_ROOT
# Hashed names (cached for a year by browsers) and gzip/brotli copies; `khru collectstatic` makes them.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.MEDIA_ROOT
MEDIA_URL = "/media/"
# Uploaded files over 2.5 MB spool to a temporary file, never to memory; each kind's own limit is in
# khru.core.files. The body without its files (a form, or the API's JSON) may be at most 10 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Content security policy: no inline scripts; htmx and our own JS come from /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

KHRU_PUBLIC_URL = env.KHRU_PUBLIC_URL
KHRU_VERIFY_PER_MINUTE = env.KHRU_VERIFY_PER_MINUTE
KHRU_RETAIN_REPORT_DAYS = env.KHRU_RETAIN_REPORT_DAYS
KHRU_RETAIN_TOKEN_DAYS = env.KHRU_RETAIN_TOKEN_DAYS
KHRU_TOKEN_DAYS = env.KHRU_TOKEN_DAYS
