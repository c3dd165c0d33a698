"""Background report runs (Django tasks; `khru db_worker` runs them, tests run them at once)."""

from django_tasks import task

from khru.org import scope
from khru.reports import selectors, services
from khru.reports.models import ReportRun


@task()
def run_report(run_id: int) -> None:
    run = ReportRun.objects.select_related("requested_by").get(pk=run_id)
    if run.status != ReportRun.Status.QUEUED:
        return  # a worker picked it up already
    actor = run.requested_by or scope.dangerously_unscoped(reason="background report run")
    report, params = selectors.params_from_json(actor=actor, code=run.report_code, data=run.params)
    services.execute_run(run=run, actor=actor, report=report, params=params)
