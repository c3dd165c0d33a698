"""One row of every table the access policy rules, built for one place (a school, a class, a child, a
teacher), so the matrix can ask who sees the rows of each place. Fields are filled generically from the
model's own definition; only what a constraint needs is written by hand (OVERRIDES)."""

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from khru.org.models import AcademicYear, Classroom, School, Term, User
from khru.org.scope import rules
from khru.people.models import Person

_counter = itertools.count(1)

# Apps whose "person" is a member of staff, not a child.
STAFF_APPS = {"teachers", "licences"}
STAFF_MODELS = {"people.staffpost"}
# Tables shared by every place: reference data the migrations load (one row each is reused, never made).
SHARED = {
    label
    for label in (
        "core.province",
        "core.district",
        "core.subdistrict",
        "org.agency",
        "org.area",
        "org.academicyear",
        "org.term",
        "org.school",
        "org.classroom",
        "org.user",
        "attendance.attendancecode",
        "care.questionnaire",
        "care.item",
        "welfare.povertycriteria",
        "welfare.povertyfactor",
        "teachers.parule",
        "licences.licencetype",
        "licences.licencetier",
    )
}
# Reference tables without a place: made once if the migrations did not load them, shared by every place.
REFERENCE = {
    "teachers.trainingprovider",
    "teachers.trainingcourse",
    "licences.testround",
    "licences.testsubject",
    "licences.testcentre",
    "insights.fillstate",
    "assessment.assessmentrules",  # an agency's remedial limits: public rules
    "assessment.curriculumtemplate",  # an agency's curriculum: public reference
    "assessment.templatecourse",
}
# Nullable foreign keys worth filling: they tie a row to its place.
PLACE_FIELDS = {
    "school",
    "classroom",
    "academic_year",
    "term",
    "person",
    "course",
    "recorded_by",
    "requested_by",
    "issued_by",
}
_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _overrides(place: "Place") -> dict[str, dict[str, Any]]:
    day = place.day
    return {
        "people.person": {"citizen_id": None},
        "org.membership": {"classroom": None},
        "org.unlockrequest": {"granted": False},  # decided: a second place of the school may have one too
        # One calendar row per school and date: a second place of the same school finds the first's.
        "org.calendarday": {"recorded_by": None, "kind": "closure"},
        "people.promotionrule": {"recorded_by": None, "stage": "primary"},
        "assessment.yearresultrule": {
            "recorded_by": None
        },  # one per school: a second place finds the first's
        "people.enrolment": {"starts_on": place.year.starts_on, "grade": place.classroom.grade},
        "people.personlookup": {"expires_at": timezone.now() + dt.timedelta(hours=1)},
        "attendance.leaverequest": {"starts_on": day, "ends_on": day},
        "assessment.assessmentitem": {"max_score": Decimal("10")},
        "assessment.result": {"grade": "3"},
        "assessment.templatecourse": {"hours_per_year": 40},
        "insights.gradecount": {"grade": "3"},
        "health.measurement": {
            "weight_kg": Decimal("30.5"),
            "height_cm": Decimal("130.0"),
            "age_months": Decimal("110"),
        },
        "health.measurementchange": {"new_weight_kg": Decimal("31"), "new_height_cm": Decimal("131")},
        "teachers.developmentactivity": {"started_on": day, "ended_on": day, "hours": Decimal("6")},
        "teachers.disciplinerecord": {"level": 1},
        "teachers.paassessment": {"score": Decimal("80")},
        # Public look-ups read upper-case codes: these two are not tokens (they come from the address anyway).
        "licences.licence": {
            "issued_on": day,
            "expires_on": day + dt.timedelta(days=5 * 365),
            "number": f"MX{next(_counter):06d}",
        },
        "licences.testround": {
            "registration_opens": day,
            "registration_closes": day + dt.timedelta(days=10),
            "held_on": day + dt.timedelta(days=20),
        },
        "licences.testsubject": {"max_score": Decimal("100"), "pass_score": Decimal("60")},
        "licences.testresult": {"score": Decimal("70"), "passed": True},
        "care.response": {"total": 1},
        "care.answer": {"value": 1},
        "welfare.householdversion": {"data": {}},
        "welfare.visitphoto": {"content_type": "image/png", "size_bytes": len(_PNG)},
        "reports.issueddocument": {
            "report_code": "pp1",
            "sha256": "0" * 64,
            "code": f"DOC{next(_counter):06d}",
        },
        "insights.classday": {"month": day.replace(day=1), "weekday": day.isoweekday()},
        "insights.schoolmonth": {"month": day.replace(day=1)},
        "insights.classmonthcode": {"month": day.replace(day=1)},
        "earlywarning.abcrule": {"area": place.school.area},  # the place's area (one rule per area)
    }


@dataclass
class Place:
    """Where the rows are recorded, and about whom."""

    school: School
    classroom: Classroom
    year: AcademicYear
    term: Term
    child: Person
    staff: Person  # a teacher working at the school
    recorder: User
    day: dt.date
    rows: dict[str, models.Model] = field(default_factory=dict)
    # Each token written into a row's free text → (the row's table, whether the row is about the child).
    texts: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def get(self, label: str) -> models.Model:
        return self.rows[label]


def token(n: int) -> str:
    """A text no other row holds, nor contains (fixed width): finding it in a page names the row it came from."""
    return f"q{n:05d}z"


def _textual(f: models.Field) -> bool:
    """A free-text field long enough to hold a whole token (what a page would show of a row)."""
    return not f.choices and (f.get_internal_type() == "TextField" or (f.max_length or 0) >= len(token(0)))


def _value(model: type[models.Model], f: models.Field, place: Place) -> Any:
    n = next(_counter)
    if f.name == "grade_level" or (f.name == "grade" and model._meta.label_lower != "assessment.result"):
        return place.classroom.grade
    if f.choices:
        return f.choices[0][0]
    kind = f.get_internal_type()
    if kind in ("CharField", "SlugField", "TextField"):
        text = token(n)
        return text[: f.max_length] if f.max_length else text
    if kind in ("DateField",):
        return place.day
    if kind == "DateTimeField":
        return timezone.make_aware(dt.datetime.combine(place.day, dt.time(9)))
    if kind == "DecimalField":
        return Decimal("1")
    if "Integer" in kind:
        return 1
    if kind == "BooleanField":
        return False
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind == "BinaryField":
        return b"x"
    if kind == "JSONField":
        return {}
    if kind in ("FileField", "ImageField"):
        return ContentFile(_PNG, name=f"matrix-{n}.png")
    if kind == "EmailField":
        return f"m{n}@example.org"
    raise NotImplementedError(f"{model._meta.label_lower}.{f.name}: {kind}")


def _related(model: type[models.Model], f: models.ForeignKey, place: Place) -> models.Model | None:
    label = f.related_model._meta.label_lower
    app = model._meta.app_label
    if label == "people.person":
        if f.name == "guardian":
            return make(place, "people.person#guardian", Person)
        staff = app in STAFF_APPS or model._meta.label_lower in STAFF_MODELS
        return place.staff if staff else place.child
    fixed = {
        "org.school": place.school,
        "org.classroom": place.classroom,
        "org.academicyear": place.year,
        "org.term": place.term,
        "org.user": place.recorder,
    }
    if label in fixed:
        return fixed[label]
    if label in SHARED or label in REFERENCE:
        found = f.related_model._default_manager.order_by("pk").first()
        return found or make(place, label, f.related_model)
    return make(place, label, f.related_model)


def make(place: Place, key: str, model: type[models.Model]) -> models.Model:
    """The place's row of `model` (made once, with every required field and the place's keys)."""
    if key in place.rows:
        return place.rows[key]
    label = model._meta.label_lower
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if f.is_relation:
            if f.null and f.name not in PLACE_FIELDS:
                continue
            values[f.name] = _related(model, f, place)  # type: ignore[arg-type]
        elif not (f.has_default() or f.null) and not (f.blank and not _textual(f)):
            values[f.name] = _value(model, f, place)
    values.update(_overrides(place).get(label, {}))
    about_child = key == "people.person#guardian" or any(value is place.child for value in values.values())
    texts = [
        value
        for name, value in values.items()
        if isinstance(value, str) and value.startswith("q") and _textual(model._meta.get_field(name))
    ]
    try:
        with transaction.atomic():
            row = model._default_manager.create(**values)
    except IntegrityError:
        # A row unique per school or term that an earlier place of the same school already made.
        keys = {name: value for name, value in values.items() if isinstance(value, models.Model)}
        found = model._default_manager.filter(**keys).first()
        if found is None:
            raise
        row = found
        texts = []  # an earlier place's row: its texts are that place's
    place.rows[key] = row
    place.texts.update({text: (label, about_child) for text in texts})
    return row


def fill(place: Place) -> Place:
    """Make one row of every table with a rule (reference tables excepted: they are shared). The child's
    first name becomes a token too, so a page that names the child is found out."""
    name = token(next(_counter))
    Person.objects.filter(pk=place.child.pk).update(first_name_th=name)
    place.child.first_name_th = name
    place.texts[name] = ("people.person", True)
    for label in rules():
        model = apps.get_model(label)
        shared = label in SHARED or label in REFERENCE
        if not shared or (label in REFERENCE and not model._default_manager.exists()):
            make(place, label, model)
    return place
