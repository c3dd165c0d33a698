"""Measure the risk model honestly, the last line one JSON object.

Without `--csv`: for each area (or `--area CODE`), train on the earlier years, test on the latest year
whose outcomes are known, beside the ABC rule on the same children; keep the better model kind, refitted
on every year, to score the area's children. With `--csv`: stratified 5-fold cross-validation of a table.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.core.errors import KhruError
from khru.earlywarning import risk, training
from khru.org.models import Area


class Command(BaseCommand):
    help = "Train and evaluate the dropout-risk model on held-out years, or cross-validate a CSV table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", dest="csv_path", help="a table with a header row")
        parser.add_argument("--target", help="the outcome column")
        parser.add_argument("--positive", help="the outcome value to predict (e.g. Dropout)")
        parser.add_argument("--id", dest="id_column", help="a column that identifies rows, not a feature")
        parser.add_argument("--sep", default=",", help="the field separator (default ,)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--area", help="the area's code (default: every area with schools)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["csv_path"]:
            self._held_out(options["area"], options["seed"])
            return
        if not options["target"] or options["positive"] is None:
            raise CommandError("ต้องระบุ --target และ --positive / --target and --positive are required")
        try:
            table = risk.read_table(
                options["csv_path"],
                target=options["target"],
                positive=options["positive"],
                id_column=options["id_column"],
                sep=options["sep"],
            )
        except KhruError as error:
            raise CommandError(str(error)) from None
        figures = risk.cross_validate(table, seed=options["seed"])
        self.stdout.write(
            f"{figures['n']} rows, {figures['positives']} {options['target']} = {options['positive']}, "
            f"{figures['features']} features, {figures['folds']}-fold stratified cross-validation"
        )
        self.stdout.write(json.dumps(figures, ensure_ascii=False))

    def _held_out(self, code: str | None, seed: int) -> None:
        areas = Area.objects.filter(schools__isnull=False).distinct().order_by("code")
        if code:
            areas = areas.filter(code=code)
            if not areas:
                raise CommandError(f"ไม่พบเขตพื้นที่ '{code}' ที่มีโรงเรียน / no area '{code}' with schools")
        results = {}
        for area in areas:
            model = training.evaluate_and_train(area=area, seed=seed)
            if model is None:
                self.stdout.write(
                    f"{area.code}: ประวัติไม่ถึงสองปี ใช้เกณฑ์ ABC / under two years of history: the ABC rule stands alone"
                )
                continue
            e = model.evaluation
            chosen, abc = e["models"][e["chosen"]], e["abc"]
            self.stdout.write(
                f"{area.code}: trained on {', '.join(e['trained_on'])}, tested on {e['tested_on']}: "
                f"{chosen['n']} children, {chosen['positives']} left school"
            )
            for name, figures in [*e["models"].items(), ("ABC rule", abc)]:
                self.stdout.write(
                    f"  {name:<10} AUC {figures['auc']:.3f}  top 5%: precision {figures['precision_at_5']:.3f} "
                    f"recall {figures['recall_at_5']:.3f}  top 10%: precision {figures['precision_at_10']:.3f} "
                    f"recall {figures['recall_at_10']:.3f}  Brier {figures['brier'] if figures['brier'] is not None else '-'}"
                )
            self.stdout.write(
                f"  kept: {risk.KIND_TH[e['chosen']]}, refitted on {len(model.trained_on)} years"
            )
            self.stdout.write(
                "  calibration (mean predicted → share who left): "
                + ", ".join(f"{p:.3f}→{o:.3f}" for p, o in e["calibration"])
            )
            for heading, rows in e["missed"].items():
                shown = ", ".join(
                    f"{r['group']} {r['model']:.2f}/{r['abc']:.2f}" for r in rows if r["model"] is not None
                )
                self.stdout.write(f"  leavers missed (model/ABC) by {heading}: {shown}")
            results[area.code] = {"chosen": e["chosen"], **chosen, "abc": abc}
        self.stdout.write(json.dumps(results, ensure_ascii=False))
