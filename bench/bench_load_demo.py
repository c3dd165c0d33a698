"""Time `khru load_demo --seed 1` on a fresh temporary SQLite database (targets on 2 cores: the people part ≤ 60 s,
the whole demo with every domain ≤ 3 min).

Run: .venv/bin/python bench/bench_load_demo.py [--scale 1.0]
Always a new SQLite file in a temporary directory (removed afterwards), whatever DATABASE_URL says.
Not part of the test suite.
"""

import argparse
import io
import os
import platform
import shutil
import sqlite3
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="khru-bench-demo-")
    # Before django.setup(): settings read DATABASE_URL once, at import.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/demo.sqlite3"
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "khru.config.base"
    )  # the real password hasher, as `make demo`
    try:
        run(args.seed, args.scale)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(seed: int, scale: float) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from khru.assessment.models import Result, Score
    from khru.attendance.models import Mark, Register
    from khru.org.models import Classroom, Membership, School, User
    from khru.people.models import Enrolment, Guardianship, Person, StaffPost

    print(
        f"machine: {platform.platform()} · {os.cpu_count()} CPUs · {platform.processor() or platform.machine()}"
    )
    print(
        f"python {platform.python_version()} · SQLite {sqlite3.sqlite_version} · "
        f"Django {django.get_version()} · settings {os.environ['DJANGO_SETTINGS_MODULE']}"
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started

    output = io.StringIO()
    started = time.perf_counter()
    call_command("load_demo", seed=seed, scale=scale, stdout=output, verbosity=2)
    loaded = time.perf_counter() - started

    students = Person.objects.filter(enrolments__isnull=False).distinct().count()
    rows = {
        "schools": School.objects.count(),
        "classrooms": Classroom.objects.count(),
        "persons": Person.objects.count(),
        "students": students,
        "guardianships": Guardianship.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "open enrolments": Enrolment.objects.filter(ends_on=None).count(),
        "staff posts": StaffPost.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "registers": Register.objects.count(),
        "attendance marks": Mark.objects.count(),
        "scores": Score.objects.count(),
        "course results": Result.objects.count(),
    }
    total = sum(value for key, value in rows.items() if key not in ("students", "open enrolments"))
    print(f"load_demo --seed {seed} --scale {scale}")
    print(f"  migrate (not counted): {migrated:.1f} s")
    print(f"  load: {loaded:.1f} s · {students / loaded:,.0f} students/s · {total / loaded:,.0f} rows/s")
    for name, value in rows.items():
        print(f"  {name:<16} {value:>8,}")
    print(f"  whole demo, target ≤ 180 s: {'within' if loaded <= 180 else 'OVER'}")
    for line in output.getvalue().splitlines():
        if ".build:" in line:
            print(f"  {line.strip()}")
    builders_people = sum(
        float(line.split(":")[-1].strip().rstrip(" s"))
        for line in output.getvalue().splitlines()
        if line.strip().startswith(("khru.demo.org.build", "khru.demo.people.build", "khru.demo.staff.build"))
    )
    print(f"  organisation, people and staff, target ≤ 60 s: {builders_people:.1f} s")


if __name__ == "__main__":
    main()
