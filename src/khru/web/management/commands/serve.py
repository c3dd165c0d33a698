"""`khru serve [--host HOST] [--port PORT]`: the production web server (granian, WSGI workers).

One worker process per core (KHRU_WEB_WORKERS to change) with a few threads each (KHRU_WEB_THREADS), so a
request waiting on PostgreSQL does not hold up the others. Static files come from `khru collectstatic`'s
output through whitenoise. Put it behind a TLS proxy and run `khru db_worker` beside it (README).
"""

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from khru.config import env


class Command(BaseCommand):
    help = "Run the production web server (granian) on HOST:PORT."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--no-ws"]
        command += ["--workers", str(env.WEB_WORKERS), "--blocking-threads", str(env.WEB_THREADS)]
        command += ["--host", host, "--port", str(port)]
        command += ["khru.config.wsgi:application"]
        self.stdout.write(
            f"Khru at http://{host}:{port}/ ({env.WEB_WORKERS} workers × {env.WEB_THREADS} threads)"
        )
        self.stdout.flush()
        # The server replaces this process, so a signal to it (Ctrl-C, systemd) reaches granian directly.
        os.execv(sys.executable, command)
