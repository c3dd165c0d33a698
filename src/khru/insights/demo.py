"""Demo: fill the dashboards' summary tables from what the other builders made (runs after them)."""

from khru.demo.context import DemoContext
from khru.insights import summaries


def build(ctx: DemoContext) -> None:
    written = summaries.rebuild()
    ctx.counts.update(written)
