"""Every care write: questionnaire responses, screenings, a school's own forms and cut-off edits."""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from khru.care import scoring
from khru.care.models import (
    Answer,
    Area,
    Band,
    CareNote,
    CareNoteVersion,
    Case,
    CutOff,
    Intervention,
    InterventionChange,
    Item,
    Questionnaire,
    Respondent,
    Response,
    ScaleOption,
    Screening,
)
from khru.core import audit
from khru.core.errors import KhruError, NotAllowed, Problem, problem
from khru.org import scope
from khru.org.models import School, Term
from khru.org.roles import Perm
from khru.org.selectors import filing_term
from khru.people.models import Enrolment, Person


def care_enrolment(*, actor: Any, person: Person) -> Enrolment:
    """The child's open enrolment at a school where the actor may see sensitive data (homeroom or care team)."""
    enrolment = (
        Enrolment.objects.filter(
            scope.visible(actor, Enrolment, Perm.VIEW_SENSITIVE), person=person, ends_on__isnull=True
        )
        .select_related("school", "academic_year")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if enrolment is None:
        raise NotAllowed()
    return enrolment


def term_for(*, enrolment: Enrolment, day: dt.date) -> Term:
    term = filing_term(year=enrolment.academic_year, on=day)
    if term is None:
        raise problem("term", "ปีการศึกษานี้ยังไม่มีภาคเรียน", "this academic year has no terms", field_th="ภาคเรียน")
    return term


def _check_answers(form: scoring.Form, answers: Mapping[int, int]) -> None:
    problems = []
    known = set(form.item_numbers)
    allowed = ", ".join(str(v) for v in form.values)
    for number in sorted(set(answers) - known):
        problems.append(
            Problem(
                f"item {number}",
                f"ไม่มีข้อ {number} ในแบบประเมินนี้",
                f"there is no item {number}",
                field_th=f"ข้อ {number}",
            )
        )
    for number in form.item_numbers:
        if number not in answers or answers[number] is None:
            problems.append(
                Problem(
                    f"item {number}",
                    f"ยังไม่ได้ตอบข้อ {number}",
                    f"item {number} is not answered",
                    field_th=f"ข้อ {number}",
                )
            )
        elif answers[number] not in form.values:
            problems.append(
                Problem(
                    f"item {number}",
                    f"ข้อ {number} ตอบได้เฉพาะ {allowed}",
                    f"item {number} must be one of {allowed}",
                    field_th=f"ข้อ {number}",
                )
            )
    if problems:
        raise KhruError(*problems)


@transaction.atomic
def record_response(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    person: Person,
    respondent: str,
    answers: Mapping[int, int],
    answered_on: dt.date,
    respondent_name: str = "",
) -> Response:
    """Save one completed questionnaire about a child, scored and banded; all or nothing.

    A questionnaire with a screening area (SDQ → behaviour) also records the child's screening there.
    """
    enrolment = care_enrolment(actor=actor, person=person)
    if not Questionnaire.objects.filter(scope.visible(actor, Questionnaire), pk=questionnaire.pk).exists():
        raise NotAllowed()
    if questionnaire.school_id not in (None, enrolment.school_id):
        raise NotAllowed()
    if respondent not in Respondent.values:
        raise problem(
            "respondent", "ไม่รู้จักผู้ประเมินประเภทนี้", f"unknown respondent type '{respondent}'", field_th="ผู้ประเมิน"
        )
    if answered_on > timezone.localdate():
        raise problem("answered_on", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="วันที่ประเมิน")
    form = scoring.load(questionnaire)
    _check_answers(form, answers)
    scores = scoring.compute(form, respondent, answers)
    response = Response.objects.create(
        questionnaire=questionnaire,
        person=person,
        school_id=enrolment.school_id,
        academic_year_id=enrolment.academic_year_id,
        respondent=respondent,
        respondent_name=respondent_name,
        answered_on=answered_on,
        total=scores.total,
        total_band=scores.total_band,
        subscale_scores=scores.subscales,
        recorded_by=actor,
    )
    items = dict(Item.objects.filter(questionnaire=questionnaire).values_list("number", "pk"))
    Answer.objects.bulk_create(
        [Answer(response=response, item_id=items[number], value=value) for number, value in answers.items()]
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=response,
        school_id=enrolment.school_id,
        summary=f"{questionnaire.code} {respondent}: {scores.total} {scores.total_band}",
    )
    if questionnaire.screening_area and scores.total_band:
        _save_screening(
            actor=actor,
            enrolment=enrolment,
            area=questionnaire.screening_area,
            status=scores.total_band,
            reason=f"{questionnaire.code} ({respondent}) {scores.total}",
            source=Screening.Source.DERIVED,
            response=response,
            day=answered_on,
        )
    return response


def _save_screening(
    *,
    actor: Any,
    enrolment: Enrolment,
    area: str,
    status: str,
    reason: str,
    source: str,
    day: dt.date,
    response: Response | None = None,
) -> Screening:
    screening = Screening.objects.create(
        person_id=enrolment.person_id,
        school_id=enrolment.school_id,
        academic_year_id=enrolment.academic_year_id,
        term=term_for(enrolment=enrolment, day=day),
        area=area,
        status=status,
        reason=reason,
        source=source,
        response=response,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=screening,
        school_id=enrolment.school_id,
        summary=f"{area}: {status}",
    )
    return screening


@transaction.atomic
def record_screening(
    *, actor: Any, person: Person, area: str, status: str, reason: str = "", on: dt.date | None = None
) -> Screening:
    """A teacher's judgement of one area for the term; a new row each time, the latest is current."""
    enrolment = care_enrolment(actor=actor, person=person)
    problems = []
    if area not in Area.values:
        problems.append(Problem("area", "ไม่รู้จักด้านนี้", f"unknown area '{area}'", field_th="ด้าน"))
    if status not in Band.values:
        problems.append(
            Problem("status", "ต้องเป็น ปกติ เสี่ยง หรือ มีปัญหา", "must be normal, risk or problem", field_th="ผล")
        )
    elif status != Band.NORMAL and not reason.strip():
        problems.append(
            Problem(
                "reason",
                "โปรดระบุเหตุผลเมื่อเสี่ยงหรือมีปัญหา",
                "give a reason for at risk or problem",
                field_th="เหตุผล",
            )
        )
    if problems:
        raise KhruError(*problems)
    return _save_screening(
        actor=actor,
        enrolment=enrolment,
        area=area,
        status=status,
        reason=reason.strip(),
        source=Screening.Source.TEACHER,
        day=on or timezone.localdate(),
    )


def _parse_scale(lines: Sequence[str]) -> list[tuple[int, str]]:
    """'0 ไม่ใช่' per line → [(0, 'ไม่ใช่')]."""
    options = []
    for row, line in enumerate(lines, start=1):
        value, _, label = line.strip().partition(" ")
        try:
            options.append((int(value), label.strip() or value))
        except ValueError as error:
            raise problem(
                "scale",
                "แต่ละบรรทัดต้องขึ้นต้นด้วยตัวเลขคะแนน",
                "each line must start with a number",
                row=row,
                field_th="ตัวเลือกคำตอบ",
            ) from error
    return options


@transaction.atomic
def create_questionnaire(
    *,
    actor: Any,
    school: School,
    code: str,
    name_th: str,
    name_en: str = "",
    scale_lines: Sequence[str],
    item_lines: Sequence[str],
    normal_max: int,
    risk_max: int,
) -> Questionnaire:
    """A school's own screening form, typed as lines: one item per line, '*' first = reverse-scored.

    One set of total cut-offs for every respondent type: normal up to normal_max, at risk up to risk_max,
    a problem above.
    """
    scope.require(actor, Perm.MANAGE_CLASSES, school)
    scale_lines = [line for line in scale_lines if line.strip()]
    item_lines = [line for line in item_lines if line.strip()]
    problems = []
    code = code.strip().upper()
    if not code or not name_th.strip():
        problems.append(
            Problem("name_th", "ต้องมีรหัสและชื่อแบบประเมิน", "a code and a name are needed", field_th="ชื่อ")
        )
    if len(scale_lines) < 2:
        problems.append(
            Problem(
                "scale", "ต้องมีตัวเลือกคำตอบอย่างน้อย 2 ระดับ", "give at least two answers", field_th="ตัวเลือกคำตอบ"
            )
        )
    if not item_lines:
        problems.append(
            Problem("items", "ต้องมีข้อคำถามอย่างน้อย 1 ข้อ", "give at least one item", field_th="ข้อคำถาม")
        )
    if problems:
        raise KhruError(*problems)
    options = _parse_scale(scale_lines)
    values = [v for v, _ in options]
    if len(set(values)) != len(values):
        raise problem(
            "scale", "คะแนนของตัวเลือกซ้ำกัน", "two answers have the same value", field_th="ตัวเลือกคำตอบ"
        )
    highest = max(values) * len(item_lines)
    lowest = min(values) * len(item_lines)
    if not lowest <= normal_max < risk_max < highest:
        raise problem(
            "cut_offs",
            f"เกณฑ์ต้องเรียงกัน: ปกติ ≤ {normal_max} < เสี่ยง ≤ {risk_max} < คะแนนสูงสุด {highest}",
            f"cut-offs must rise: normal ≤ {normal_max} < at risk ≤ {risk_max} < the highest score {highest}",
            field_th="เกณฑ์",
        )
    if Questionnaire.objects.filter(school=school, code=code).exists():
        raise problem("code", "รหัสนี้มีอยู่แล้ว", f"the code {code} is already used", field_th="รหัส")
    questionnaire = Questionnaire.objects.create(
        code=code, name_th=name_th.strip(), name_en=name_en.strip(), school=school, created_by=actor
    )
    ScaleOption.objects.bulk_create(
        [ScaleOption(questionnaire=questionnaire, value=v, label_th=label) for v, label in options]
    )
    Item.objects.bulk_create(
        [
            Item(
                questionnaire=questionnaire,
                number=number,
                label_th=line.strip().removeprefix("*").strip()[:120],
                reverse_scored=line.strip().startswith("*"),
            )
            for number, line in enumerate(item_lines, start=1)
        ]
    )
    CutOff.objects.bulk_create(
        [
            CutOff(questionnaire=questionnaire, low=lowest, high=normal_max, band=Band.NORMAL),
            CutOff(questionnaire=questionnaire, low=normal_max + 1, high=risk_max, band=Band.RISK),
            CutOff(questionnaire=questionnaire, low=risk_max + 1, high=highest, band=Band.PROBLEM),
        ]
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=questionnaire,
        school_id=school.pk,
        summary=str(questionnaire),
    )
    return questionnaire


@transaction.atomic
def edit_cut_off(*, actor: Any, cut_off: CutOff, low: int, high: int, band: str) -> CutOff:
    """Change a cut-off row and re-band the questionnaire's stored responses, so reports stay true.

    Built-in questionnaires are changed by the system administrator, a school's own by its office.
    """
    questionnaire = cut_off.questionnaire
    if questionnaire.school is None:
        allowed = scope.is_system_admin(actor)
    else:
        allowed = scope.can(actor, Perm.MANAGE_CLASSES, questionnaire.school)
    if not allowed:
        raise NotAllowed()
    if high < low or band not in Band.values:
        raise problem("cut_off", "ช่วงคะแนนหรือผลไม่ถูกต้อง", "the range or band is not valid", field_th="เกณฑ์")
    changes = audit.diff(cut_off, {"low": low, "high": high, "band": band})
    cut_off.low, cut_off.high, cut_off.band = low, high, band
    cut_off.save(update_fields=["low", "high", "band"])
    rebanded = rescore_bands(questionnaire=questionnaire)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=cut_off,
        school_id=questionnaire.school_id,
        summary=f"{questionnaire.code} cut-off: {rebanded} responses re-banded",
        changes=changes,
    )
    return cut_off


def rescore_bands(*, questionnaire: Questionnaire) -> int:
    """Recompute the stored bands of every response from its stored scores and today's cut-offs."""
    form = scoring.load(questionnaire)
    changed = []
    for response in Response.objects.filter(Q(questionnaire=questionnaire)).only(
        "pk", "respondent", "total", "total_band", "subscale_scores"
    ):
        band = form.band(response.respondent, "", response.total)
        subscales = {
            code: {"score": s["score"], "band": form.band(response.respondent, code, int(s["score"]))}
            for code, s in response.subscale_scores.items()
        }
        if band != response.total_band or subscales != response.subscale_scores:
            response.total_band, response.subscale_scores = band, subscales
            changed.append(response)
    Response.objects.bulk_update(changed, ["total_band", "subscale_scores"], batch_size=1000)
    return len(changed)


# ---------------------------------------------------------------- notes and interventions


def _note_fields(*, area: str, text: str, noted_on: dt.date) -> list[Problem]:
    problems = []
    if area and area not in Area.values:
        problems.append(Problem("area", "ไม่รู้จักด้านนี้", f"unknown area '{area}'", field_th="ด้าน"))
    if not text.strip():
        problems.append(Problem("text", "โปรดเขียนบันทึก", "write the note", field_th="บันทึก"))
    if noted_on > timezone.localdate():
        problems.append(Problem("noted_on", "ยังไม่ถึงวันที่นี้", "this date is in the future", field_th="วันที่"))
    return problems


def _check_note_access(actor: Any, note: CareNote) -> None:
    """Only someone who sees the child's care record may touch the note, and never a deleted one."""
    if note.deleted_at is not None:
        raise NotAllowed()
    if not CareNote.objects.filter(scope.visible(actor, CareNote), pk=note.pk).exists():
        raise NotAllowed()
    scope.require(actor, Perm.VIEW_SENSITIVE, note.person)


@transaction.atomic
def add_note(
    *, actor: Any, person: Person, text: str, area: str = "", noted_on: dt.date | None = None
) -> CareNote:
    """A dated note about a child, at the child's school (the homeroom teacher or the care team)."""
    enrolment = care_enrolment(actor=actor, person=person)
    scope.require(actor, Perm.VIEW_SENSITIVE, person)
    noted_on = noted_on or timezone.localdate()
    problems = _note_fields(area=area, text=text, noted_on=noted_on)
    if problems:
        raise KhruError(*problems)
    note = CareNote.objects.create(
        person=person,
        school_id=enrolment.school_id,
        academic_year_id=enrolment.academic_year_id,
        area=area,
        noted_on=noted_on,
        text=text.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=note,
        school_id=note.school_id,
        summary=f"care note {area}",
    )
    return note


@transaction.atomic
def edit_note(
    *, actor: Any, note: CareNote, text: str, area: str | None = None, noted_on: dt.date | None = None
) -> CareNote:
    """A correction: the earlier wording is kept as a version, the note's version number goes up."""
    note = CareNote.objects.select_for_update().get(pk=note.pk)
    _check_note_access(actor, note)
    area = note.area if area is None else area
    noted_on = noted_on or note.noted_on
    problems = _note_fields(area=area, text=text, noted_on=noted_on)
    if problems:
        raise KhruError(*problems)
    changes = audit.diff(note, {"area": area, "text": text.strip(), "noted_on": noted_on})
    if not changes:
        return note
    CareNoteVersion.objects.create(
        note=note,
        version=note.version,
        area=note.area,
        noted_on=note.noted_on,
        text=note.text,
        written_by_id=note.recorded_by_id,
        replaced_by=actor,
    )
    note.area, note.text, note.noted_on = area, text.strip(), noted_on
    note.version += 1
    note.save(update_fields=["area", "text", "noted_on", "version", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=note,
        school_id=note.school_id,
        summary=f"care note v{note.version}",
        changes=changes,
    )
    return note


@transaction.atomic
def delete_note(*, actor: Any, note: CareNote, reason: str = "") -> CareNote:
    """A soft delete: the note disappears from the record but stays in the database, audited."""
    note = CareNote.objects.select_for_update().get(pk=note.pk)
    _check_note_access(actor, note)
    note.deleted_at = timezone.now()
    note.deleted_by = actor
    note.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=note,
        school_id=note.school_id,
        summary=f"care note deleted {reason}".strip(),
    )
    return note


def _intervention_fields(
    *,
    area: str,
    kind: str,
    description: str,
    status: str,
    started_on: dt.date | None,
    follow_up_on: dt.date | None,
    referred_to: str,
) -> list[Problem]:
    problems = []
    if area and area not in Area.values:
        problems.append(Problem("area", "ไม่รู้จักด้านนี้", f"unknown area '{area}'", field_th="ด้าน"))
    if kind not in Intervention.Kind.values:
        problems.append(
            Problem("kind", "โปรดเลือกประเภทการช่วยเหลือ", "choose the kind of help", field_th="ประเภท")
        )
    if not description.strip():
        problems.append(
            Problem("description", "โปรดเขียนว่าช่วยเหลืออย่างไร", "describe what is done", field_th="รายละเอียด")
        )
    if status not in Intervention.Status.values:
        problems.append(Problem("status", "ไม่รู้จักสถานะนี้", f"unknown status '{status}'", field_th="สถานะ"))
    elif status == Intervention.Status.REFERRED and not referred_to.strip():
        problems.append(
            Problem(
                "referred_to", "โปรดระบุหน่วยงานที่ส่งต่อ", "name where the child was referred", field_th="ส่งต่อถึง"
            )
        )
    if started_on is None:
        problems.append(Problem("started_on", "โปรดระบุวันที่เริ่ม", "give the start date", field_th="วันที่เริ่ม"))
    elif follow_up_on is not None and follow_up_on < started_on:
        problems.append(
            Problem(
                "follow_up_on",
                "วันติดตามผลต้องไม่ก่อนวันที่เริ่ม",
                "the follow-up date cannot be before the start date",
                field_th="วันติดตามผล",
            )
        )
    return problems


@transaction.atomic
def add_intervention(
    *,
    actor: Any,
    person: Person,
    kind: str,
    description: str,
    started_on: dt.date | None,
    status: str = Intervention.Status.PLANNED,
    area: str = "",
    responsible: str = "",
    follow_up_on: dt.date | None = None,
    outcome: str = "",
    referred_to: str = "",
) -> Intervention:
    """Record help given to a child (counselling, remedial teaching, a referral …) at the child's school."""
    enrolment = care_enrolment(actor=actor, person=person)
    scope.require(actor, Perm.VIEW_SENSITIVE, person)
    problems = _intervention_fields(
        area=area,
        kind=kind,
        description=description,
        status=status,
        started_on=started_on,
        follow_up_on=follow_up_on,
        referred_to=referred_to,
    )
    if problems:
        raise KhruError(*problems)
    assert started_on is not None
    intervention = Intervention.objects.create(
        case=Case.objects.filter(person=person, closed_on__isnull=True).first(),
        person=person,
        school_id=enrolment.school_id,
        academic_year_id=enrolment.academic_year_id,
        area=area,
        kind=kind,
        description=description.strip(),
        responsible=responsible.strip(),
        status=status,
        started_on=started_on,
        follow_up_on=follow_up_on,
        outcome=outcome.strip(),
        referred_to=referred_to.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=intervention,
        school_id=intervention.school_id,
        summary=f"intervention {kind}: {status}",
    )
    return intervention


_UPDATABLE = ("status", "follow_up_on", "outcome", "referred_to", "responsible", "description")


@transaction.atomic
def update_intervention(*, actor: Any, intervention: Intervention, **values: Any) -> Intervention:
    """Change an intervention's status, follow-up date, outcome …; each change is kept as a change row."""
    unknown = set(values) - set(_UPDATABLE)
    if unknown:
        raise problem("fields", "แก้ไขช่องนี้ไม่ได้", f"cannot change {sorted(unknown)}", field_th="ช่อง")
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if not Intervention.objects.filter(scope.visible(actor, Intervention), pk=intervention.pk).exists():
        raise NotAllowed()
    scope.require(actor, Perm.VIEW_SENSITIVE, intervention.person)
    merged = {name: getattr(intervention, name) for name in _UPDATABLE} | values
    for name in ("outcome", "referred_to", "responsible", "description"):
        merged[name] = (merged[name] or "").strip()
    problems = _intervention_fields(
        area=intervention.area,
        kind=intervention.kind,
        description=merged["description"],
        status=merged["status"],
        started_on=intervention.started_on,
        follow_up_on=merged["follow_up_on"],
        referred_to=merged["referred_to"],
    )
    if problems:
        raise KhruError(*problems)
    changes = audit.diff(intervention, merged)
    if not changes:
        return intervention
    for name, value in merged.items():
        setattr(intervention, name, value)
    intervention.save(update_fields=[*changes, "updated_at"])
    InterventionChange.objects.create(intervention=intervention, changes=changes, changed_by=actor)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=intervention,
        school_id=intervention.school_id,
        summary=f"intervention {intervention.kind}: {intervention.status}",
        changes=changes,
    )
    return intervention


@transaction.atomic
def open_case(
    *, actor: Any, person: Person, reasons: str, chance: float | None = None, on: dt.date | None = None
) -> Case:
    """Follow a warned child up: a case at the child's school with the warning's reasons, the actor
    responsible. A child has one open case at a time; opening again returns it."""
    enrolment = care_enrolment(actor=actor, person=person)
    if enrolment.classroom is None or not scope.can(actor, Perm.VIEW_RISK, enrolment.classroom):
        raise NotAllowed()  # those who see the child's warnings: the class's teachers, care team, principal
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one opening at a time per child
    existing = Case.objects.filter(person=person, closed_on__isnull=True).first()
    if existing is not None:
        return existing
    case = Case.objects.create(
        person=person,
        school_id=enrolment.school_id,
        academic_year_id=enrolment.academic_year_id,
        reasons=reasons.strip() or "-",
        chance=None if chance is None else Decimal(str(round(chance, 3))),
        responsible=actor,
        opened_on=on or timezone.localdate(),
        opened_by=actor,
    )
    audit.record(
        actor=actor, action=audit.Action.CREATE, obj=case, school_id=case.school_id, summary="case opened"
    )
    return case


@transaction.atomic
def close_case(*, actor: Any, case: Case, outcome: str, note: str = "", on: dt.date | None = None) -> Case:
    """Close a case with how it ended (back in class, improved, transferred, left school)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not Case.objects.filter(scope.visible(actor, Case), pk=case.pk).exists():
        raise NotAllowed()
    if case.closed_on is not None:
        raise problem("case", "ปิดการติดตามนี้แล้ว", "the case is already closed", field_th="การติดตาม")
    if outcome not in Case.Outcome.values:
        raise problem("outcome", "โปรดเลือกผลการติดตาม", "choose how the case ended", field_th="ผลการติดตาม")
    case.closed_on, case.outcome, case.outcome_note = on or timezone.localdate(), outcome, note.strip()
    case.save(update_fields=["closed_on", "outcome", "outcome_note"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=case,
        school_id=case.school_id,
        summary=f"case closed: {outcome}",
        changes={"outcome": ["", outcome]},
    )
    return case
