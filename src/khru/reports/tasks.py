"""Background report runs (Django tasks; `khru db_worker` runs them, tests run them at once).

Views and the API queue a run through `request_run` here; services never import this module, so the
arrow points one way: tasks → services."""

from typing import Any

from django_tasks import task

from khru.org import scope
from khru.reports import selectors, services
from khru.reports.catalog import Params, Report
from khru.reports.models import ReportRun


def request_run(*, actor: Any, report: Report, params: Params, fmt: str, base_url: str = "") -> ReportRun:
    """Queue a background run, unless the same request (report, parameters, format, person) is already
    queued or running: then that run is returned and nothing runs twice."""
    run, created = services.open_run(actor=actor, report=report, params=params, fmt=fmt, base_url=base_url)
    if created:
        run_report.enqueue(run.pk)
        run.refresh_from_db()  # an immediate backend (tests, the command line) has finished it already
    return run


@task()
def run_report(run_id: int) -> None:
    run = ReportRun.objects.select_related("requested_by").get(pk=run_id)
    if run.status != ReportRun.Status.QUEUED:
        return  # a worker picked it up already
    actor = run.requested_by or scope.dangerously_unscoped(reason="background report run")
    report, params = selectors.params_from_json(actor=actor, code=run.report_code, data=run.params)
    services.execute_run(run=run, actor=actor, report=report, params=params)
