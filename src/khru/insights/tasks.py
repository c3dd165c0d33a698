"""Background work: the full recount of the summary tables (for a worker, every few minutes or nightly)."""

from django_tasks import task

from khru.insights import summaries


@task()
def refresh_summaries() -> dict[str, int]:
    return summaries.rebuild()
