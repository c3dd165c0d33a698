"""Retention: `khru purge` removes old report runs and their files, expired sessions and long-revoked tokens,
keeps everything recent, says what it removed, and is audited; --dry-run only counts."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from khru.core.models import AuditEvent
from khru.exchange.models import ApiToken
from khru.exchange.services import issue_token
from khru.reports.models import ReportRun
from khru.reports.services import run_path


def _run(days_ago: int, status=ReportRun.Status.DONE) -> ReportRun:
    run = ReportRun.objects.create(request_key=f"k{days_ago}", report_code="dmc", format="csv", status=status)
    ReportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    run_path(run).parent.mkdir(parents=True, exist_ok=True)
    run_path(run).write_text("a,b\n")
    return run


def test_purge_removes_what_is_past_its_retention_only(world, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.KHRU_RETAIN_REPORT_DAYS = 30
    settings.KHRU_RETAIN_TOKEN_DAYS = 30
    old, recent, stuck = _run(45), _run(3), _run(45, status=ReportRun.Status.RUNNING)
    now = timezone.now()
    Session.objects.create(session_key="gone", session_data="", expire_date=now - dt.timedelta(hours=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + dt.timedelta(hours=1))
    issue_token(actor=world.teacher1, name="long revoked")
    issue_token(actor=world.teacher1, name="just revoked")
    issue_token(actor=world.teacher1, name="in use")
    ApiToken.objects.filter(name="long revoked").update(revoked_at=now - dt.timedelta(days=40))
    ApiToken.objects.filter(name="just revoked").update(revoked_at=now - dt.timedelta(days=2))

    call_command("purge", "--dry-run")
    assert capsys.readouterr().out.splitlines() == [
        "would remove 1 report runs",
        "would remove 1 sessions",
        "would remove 1 api tokens",
    ]
    assert ReportRun.objects.count() == 3 and Session.objects.count() == 2 and ApiToken.objects.count() == 3

    call_command("purge")
    assert "removed 1 report runs" in capsys.readouterr().out
    assert set(ReportRun.objects.values_list("pk", flat=True)) == {recent.pk, stuck.pk}
    assert not run_path(old).exists() and run_path(recent).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"just revoked", "in use"}
    event = AuditEvent.objects.get(object_type="retention.purge")
    assert event.changes == {"report_runs": 1, "sessions": 1, "api_tokens": 1}
