"""`khru purge [--dry-run]`: the retention job. Deletes what is kept only for a while and prints what went."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from khru.core import audit
from khru.exchange.services import purge_tokens
from khru.reports.services import purge_runs


class Command(BaseCommand):
    help = (
        "Delete generated report runs and their files older than KHRU_RETAIN_REPORT_DAYS, expired sessions, "
        "and API tokens revoked or expired more than KHRU_RETAIN_TOKEN_DAYS ago. Issued documents and the "
        "audit trail are kept. --dry-run only counts. The purge is recorded in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would go, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        now = timezone.now()
        with transaction.atomic():
            sessions = Session.objects.filter(expire_date__lt=now)
            removed = {
                "report_runs": purge_runs(before=now - dt.timedelta(days=settings.KHRU_RETAIN_REPORT_DAYS),
                                          dry_run=dry_run),
                "sessions": sessions.count(),
                "api_tokens": purge_tokens(before=now - dt.timedelta(days=settings.KHRU_RETAIN_TOKEN_DAYS),
                                           dry_run=dry_run),
            }  # fmt: skip
            if not dry_run:
                sessions.delete()
                audit.record_job(
                    action=audit.Action.DELETE,
                    job="retention.purge",
                    summary=", ".join(f"{n} {what}" for what, n in removed.items()),
                    changes=removed,
                )
        verb = "would remove" if dry_run else "removed"
        for what, n in removed.items():
            self.stdout.write(f"{verb} {n} {what.replace('_', ' ')}")
