"""Demo early warning: each area's risk model, trained on the demo's earlier years (as `khru evaluate_risk`
does), so the class pages show chances and reasons from the start. How the demo makes children leave
school, and what warns of it, is written down in docs/earlywarning.md."""

from khru.demo.context import DemoContext
from khru.earlywarning import training


def build(ctx: DemoContext) -> None:
    for area in (a for a in (ctx.municipality, ctx.obec_area) if a is not None):
        if training.evaluate_and_train(area=area) is not None:
            ctx.counts["risk_models"] += 1
