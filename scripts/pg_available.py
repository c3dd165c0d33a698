"""Exit 0 when PostgreSQL at the given URL answers; 1 when it does not and CI=true; 3 otherwise (skip)."""

import os
import sys

import psycopg

url = sys.argv[1].replace("postgres://", "postgresql://", 1)
try:
    psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
except psycopg.OperationalError as error:
    print(f"PostgreSQL unreachable at {url}: {error}", file=sys.stderr)
    sys.exit(1 if os.environ.get("CI") == "true" else 3)
