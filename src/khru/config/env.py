"""The one place that reads the environment."""

import os
from pathlib import Path

import dj_database_url

# The working directory holds var/ (database, uploads) when Khru runs from a checkout.
BASE_DIR = Path(os.environ.get("KHRU_HOME", Path.cwd())).resolve()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG")
CI = _flag("CI")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'khru.sqlite3'}")
DATABASE = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
SESSION_HOURS = int(os.environ.get("SESSION_HOURS", "8"))
# The address printed before /verify/CODE on PDFs made without a request (the `khru report` command).
KHRU_PUBLIC_URL = os.environ.get("KHRU_PUBLIC_URL", "http://127.0.0.1:8000")
# Public licence checks allowed per client address per minute.
KHRU_VERIFY_PER_MINUTE = int(os.environ.get("KHRU_VERIFY_PER_MINUTE", "30"))
# Retention (`khru purge`): generated report files, and revoked or expired API tokens, are kept this many days.
KHRU_RETAIN_REPORT_DAYS = int(os.environ.get("KHRU_RETAIN_REPORT_DAYS", "30"))
KHRU_RETAIN_TOKEN_DAYS = int(os.environ.get("KHRU_RETAIN_TOKEN_DAYS", "30"))

# API bearer tokens expire this many days after they are created.
KHRU_TOKEN_DAYS = int(os.environ.get("KHRU_TOKEN_DAYS", "90"))
ANALYTICS_PSEUDONYM_KEY = os.environ.get("ANALYTICS_PSEUDONYM_KEY", "")
# Redis (e.g. redis://127.0.0.1:6379/0): when set, the cache, rate limits and login lockouts are shared by
# every worker process; when empty, each process keeps its own in memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# `khru serve`: worker processes (default: one per core) and threads per worker.
WEB_WORKERS = int(os.environ.get("KHRU_WEB_WORKERS", "0")) or len(os.sched_getaffinity(0))
WEB_THREADS = int(os.environ.get("KHRU_WEB_THREADS", "4"))
