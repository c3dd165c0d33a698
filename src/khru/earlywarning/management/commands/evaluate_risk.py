"""Measure the risk model honestly: `--csv` cross-validates any table; the last line is one JSON object."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khru.core.errors import KhruError
from khru.earlywarning import risk


class Command(BaseCommand):
    help = "Evaluate the dropout-risk model: stratified 5-fold cross-validation of a CSV table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", dest="csv_path", help="a table with a header row")
        parser.add_argument("--target", help="the outcome column")
        parser.add_argument("--positive", help="the outcome value to predict (e.g. Dropout)")
        parser.add_argument("--id", dest="id_column", help="a column that identifies rows, not a feature")
        parser.add_argument("--sep", default=",", help="the field separator (default ,)")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["csv_path"]:
            raise CommandError(
                "ต้องระบุ --csv: การประเมินบนปีที่กันไว้ของข้อมูลสาธิตยังไม่พร้อม / "
                "--csv is required: the held-out-year evaluation on the demo is not built yet"
            )
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
