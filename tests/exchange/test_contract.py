"""The API keeps its published contract: schemathesis against the real server, with three roles' tokens.

The server is pytest-django's live server (a real WSGI server in a thread on a free port, as for the browser
tests); schemathesis runs as its own process against /api/v1/openapi.json. Every operation is exercised,
writes included, with valid and invalid input: no answer may be a server error, and every answer must be a
documented status with a body that matches its documented schema (refusals: the problem schema).
"""

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.request import urlopen

import pytest
from pytest_django.live_server_helper import LiveServer

from khru.assessment import services as assessment
from khru.exchange.services import issue_token
from khru.org.models import Term

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,ignored_auth"
EXAMPLES_PER_OPERATION = 5


def known_values(world) -> dict[str, list[str]]:
    """Real keys of the data set, so generated requests reach the code behind the 404s (some in scope, some not)."""
    term = Term.objects.get(academic_year=world.class1.academic_year, number=1)
    course = assessment.create_course(
        actor=world.teacher1, classroom=world.class1, term=term, code="ท14101", name_th="ภาษาไทย",
        name_en="Thai", credits=Decimal("1.5"), hours=10,
    )  # fmt: skip
    item = assessment.add_item(
        actor=world.teacher1, course=course, name="งาน", part="coursework", max_score=Decimal(50)
    )
    assessment.record_scores(actor=world.teacher1, item=item, scores={world.student1.pk: Decimal(40)})
    students = [str(world.student1.uuid), str(world.student2.uuid)]
    classrooms = [str(world.class1.uuid), str(world.class2.uuid)]
    return {
        "schools": [world.school1.code, world.school2.code],
        "classrooms": classrooms,
        "students": students,
        "ids": [*students, *classrooms, str(course.uuid), str(item.uuid)],
    }


def config(values: dict[str, list[str]]) -> str:
    bind = {
        "path.uuid": "ids",
        "path.code": "schools",
        "query.school": "schools",
        "query.classroom": "classrooms",
        "body.school": "schools",
        "body.classroom": "classrooms",
        "body.student": "students",
        "body.marks[*].student": "students",
        "body.rows[*].student": "students",
    }
    lines = []
    for name, found in values.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(found)}"]
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.8 }}' for key, name in bind.items()]
    return "\n".join(lines) + "\n"


def run_schemathesis(url: str, token: str, config_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(config_file),
            "run",
            url,
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--phases",
            "fuzzing",
            "--mode",
            "all",  # valid and invalid input
            "--max-examples",
            str(EXAMPLES_PER_OPERATION),
            "--seed",
            "12",
            "--workers",
            "1",
            "--no-color",
            "--generation-database",
            "none",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        cwd=config_file.parent,
        timeout=300,
        check=False,
    )


def test_every_operation_keeps_the_contract_for_three_roles(live_server: LiveServer, world, tmp_path, capsys):
    config_file = tmp_path / "schemathesis.toml"
    config_file.write_text(config(known_values(world)))
    url = f"{live_server.url}/api/v1/openapi.json"
    spec = json.loads(urlopen(url).read())
    published = sum(len(methods) for methods in spec["paths"].values())
    roles = {"teacher": world.teacher1, "school admin": world.admin1, "area officer": world.officer}
    figures = []
    for role, user in roles.items():
        run = run_schemathesis(url, issue_token(actor=user, name="contract"), config_file)
        assert run.returncode == 0, (
            f"{role}: schemathesis found problems\n{run.stdout[-8000:]}{run.stderr[-2000:]}"
        )
        operations = re.search(r"Tested:\s+(\d+)", run.stdout)
        cases = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
        assert operations and cases, run.stdout[-3000:]
        assert int(operations.group(1)) == published
        assert cases.group(1) == cases.group(2) and int(cases.group(1)) > 0
        figures.append(f"{role}: {operations.group(1)} operations, {cases.group(1)} cases")
    with capsys.disabled():
        print("\nschemathesis: " + "; ".join(figures))
