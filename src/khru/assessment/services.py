"""Every gradebook write: courses and items, scores (typed or pasted), results, remedial grades, ratings,
a child's year results and the school's roll-up rule, and closing a term. Validate everything first, then
write and audit in one transaction: a column with one bad value saves nothing.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from khru.assessment import grading, rules, selectors
from khru.assessment.models import (
    AssessmentItem,
    Course,
    Decision,
    Rating,
    RemedialStep,
    Result,
    Score,
    ScoreChange,
    YearRating,
    YearRatingChange,
    YearResultRule,
)
from khru.assessment.rules import NUMERIC_GRADES
from khru.attendance.selectors import Tally
from khru.attendance.services import check_not_locked
from khru.core import audit, derived
from khru.core.errors import KhruError, Problem, problem
from khru.org import scope
from khru.org.models import Classroom, School, Term, TermLock, UnlockRequest, User
from khru.org.roles import Perm
from khru.people.models import Enrolment

AFTER_LOCK = " (after term lock, principal)"
SCORE_PLACES = Decimal("0.01")


def _not_in_class(person_id: int) -> Problem:
    return Problem(
        "student",
        f"นักเรียนรหัส {person_id} ไม่ได้อยู่ในห้องนี้",
        f"student {person_id} is not in this class",
        field_th="นักเรียน",
    )


def _writable(actor: Any, course: Course) -> bool:
    """May the actor change this course's marks now? True when it is a principal's audited override."""
    scope.require(actor, Perm.ENTER_SCORES, course.classroom)
    return check_not_locked(actor=actor, school=course.classroom.school, term_id=course.term_id)


def _name(enrolment: Enrolment) -> tuple[str, str]:
    person = enrolment.person
    return person.full_name, (person.full_name_en or person.full_name)


def _course_problems(
    *, classroom: Classroom, kind: str, credits: Decimal, hours: int, coursework_share: int, final_share: int
) -> list[Problem]:
    """What a course's kind, units and shares must satisfy, at creation and on every change."""
    problems = []
    if coursework_share < 0 or final_share < 0 or coursework_share + final_share != 100:
        problems.append(
            Problem(
                "final_share",
                "สัดส่วนคะแนนระหว่างภาคและปลายภาครวมกันต้องเป็น 100",
                "coursework and final shares must add up to 100",
                field_th="สัดส่วนคะแนน",
            )
        )
    if kind not in Course.Kind.values:
        problems.append(Problem("kind", "ประเภทวิชาไม่ถูกต้อง", "unknown course kind", field_th="ประเภท"))
    if kind == Course.Kind.ACTIVITY and credits != 0:
        problems.append(
            Problem("credits", "กิจกรรมพัฒนาผู้เรียนไม่มีหน่วยกิต", "activities have no credits", field_th="หน่วยกิต")
        )
    if kind != Course.Kind.ACTIVITY and credits <= 0 and rules.counts_credits(classroom.grade):
        problems.append(
            Problem(
                "credits",
                "รายวิชาระดับมัธยมต้องมีหน่วยกิตมากกว่า 0",
                "a secondary course needs credits above 0",
                field_th="หน่วยกิต",
            )
        )
    if hours <= 0:
        problems.append(
            Problem("hours", "ต้องระบุจำนวนชั่วโมง", "planned hours must be above 0", field_th="ชั่วโมง")
        )
    return problems


@transaction.atomic
def create_course(
    *,
    actor: Any,
    classroom: Classroom,
    term: Term,
    code: str,
    name_th: str,
    hours: int,
    credits: Decimal = Decimal(0),
    kind: str = Course.Kind.CORE,
    name_en: str = "",
    coursework_share: int = 70,
    final_share: int = 30,
    indicators: Iterable[str] = (),
    teacher: User | None = None,
) -> Course:
    scope.require(actor, Perm.ENTER_SCORES, classroom)
    problems: list[Problem] = []
    code = code.strip()
    if not code:
        problems.append(Problem("code", "ต้องระบุรหัสวิชา", "a course code is needed", field_th="รหัสวิชา"))
    if term.academic_year_id != classroom.academic_year_id:
        problems.append(
            Problem(
                "term",
                "ภาคเรียนไม่อยู่ในปีการศึกษาของห้องนี้",
                "the term is not in the class's year",
                field_th="ภาคเรียน",
            )
        )
    problems += _course_problems(
        classroom=classroom, kind=kind, credits=credits, hours=hours,
        coursework_share=coursework_share, final_share=final_share,
    )  # fmt: skip
    if code and Course.objects.filter(classroom=classroom, term=term, code=code).exists():
        problems.append(
            Problem(
                "code",
                f"ห้องนี้มีวิชา {code} ในภาคเรียนนี้แล้ว",
                f"{code} exists in this class and term",
                field_th="รหัสวิชา",
            )
        )
    if problems:
        raise KhruError(*problems)
    override = check_not_locked(actor=actor, school=classroom.school, term_id=term.pk)
    course = Course.objects.create(
        school_id=classroom.school_id,
        academic_year_id=classroom.academic_year_id,
        term=term,
        classroom=classroom,
        code=code,
        name_th=name_th.strip(),
        name_en=name_en.strip(),
        kind=kind,
        credits=credits,
        hours=hours,
        coursework_share=coursework_share,
        final_share=final_share,
        indicators=[i.strip() for i in indicators if i.strip()],
        teacher=teacher or (actor if getattr(actor, "pk", None) else None),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=course,
        school_id=classroom.school_id,
        summary=f"{classroom} {term}: {course}" + (AFTER_LOCK if override else ""),
    )
    return course


@transaction.atomic
def update_course(
    *,
    actor: Any,
    course: Course,
    name_th: str,
    name_en: str,
    hours: int,
    credits: Decimal,
    coursework_share: int,
    final_share: int,
) -> Course:
    """Adjust a course (after setting up a year from the template, say): names, units and shares. The old
    values stay in the audit trail; results already computed are computed again (hours move the 80% rule)."""
    scope.require(actor, Perm.ENTER_SCORES, course.classroom)
    problems = _course_problems(
        classroom=course.classroom, kind=course.kind, credits=credits, hours=hours,
        coursework_share=coursework_share, final_share=final_share,
    )  # fmt: skip
    if not name_th.strip():
        problems.append(Problem("name_th", "ต้องระบุชื่อวิชา", "a course name is needed", field_th="ชื่อวิชา"))
    if problems:
        raise KhruError(*problems)
    override = check_not_locked(actor=actor, school=course.school, term_id=course.term_id)
    values = {
        "name_th": name_th.strip(), "name_en": name_en.strip(), "hours": hours, "credits": credits,
        "coursework_share": coursework_share, "final_share": final_share,
    }  # fmt: skip
    changes = audit.diff(course, values)
    if not changes:
        return course
    for field, value in values.items():
        setattr(course, field, value)
    course.save(update_fields=[*values])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=course,
        school_id=course.school_id,
        summary=f"{course.classroom} {course.term}: {course}" + (AFTER_LOCK if override else ""),
        changes=changes,
    )
    if Result.objects.filter(course=course).exists():
        _compute(actor=actor, course=course)
    return course


@transaction.atomic
def remove_course(*, actor: Any, course: Course) -> None:
    """Remove a course nobody has scored yet (one the template set up that the school does not teach);
    a course with scores or results keeps them and stays. Audited."""
    scope.require(actor, Perm.ENTER_SCORES, course.classroom)
    if Score.objects.filter(item__course=course).exists() or Result.objects.filter(course=course).exists():
        raise problem(
            "course",
            "รายวิชานี้มีคะแนนหรือผลการเรียนแล้ว ลบไม่ได้",
            "the course has scores or results: it cannot be removed",
            field_th="รายวิชา",
        )
    check_not_locked(actor=actor, school=course.school, term_id=course.term_id)
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=course,
        school_id=course.school_id,
        summary=f"{course.classroom} {course.term}: {course} removed",
    )
    course.delete()


@transaction.atomic
def add_item(
    *,
    actor: Any,
    course: Course,
    name: str,
    max_score: Decimal,
    part: str = AssessmentItem.Part.COURSEWORK,
    indicators: Iterable[str] = (),
) -> AssessmentItem:
    override = _writable(actor, course)
    problems = []
    if not name.strip():
        problems.append(Problem("name", "ต้องตั้งชื่อรายการประเมิน", "the item needs a name", field_th="ชื่อ"))
    if max_score <= 0 or max_score != max_score.quantize(SCORE_PLACES):
        problems.append(
            Problem(
                "max_score",
                "คะแนนเต็มต้องมากกว่า 0 (ทศนิยมไม่เกิน 2 ตำแหน่ง)",
                "the maximum must be above 0",
                field_th="คะแนนเต็ม",
            )
        )
    if part not in AssessmentItem.Part.values:
        problems.append(Problem("part", "ส่วนของคะแนนไม่ถูกต้อง", "unknown part", field_th="ส่วน"))
    unknown = [i for i in indicators if course.indicators and i not in course.indicators]
    if unknown:
        problems.append(
            Problem(
                "indicators",
                f"ไม่มีตัวชี้วัด {', '.join(unknown)} ในรายวิชา",
                "indicators not in the course",
                field_th="ตัวชี้วัด",
            )
        )
    if problems:
        raise KhruError(*problems)
    order = course.items.count() + 1
    item = AssessmentItem.objects.create(
        course=course, name=name.strip(), part=part, max_score=max_score, order=order,
        indicators=list(indicators), recorded_by=actor,
    )  # fmt: skip
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=item,
        school_id=course.school_id,
        summary=f"{course.code}: {item}" + (AFTER_LOCK if override else ""),
    )
    _compute(actor=actor, course=course)  # a new item leaves every child with work missing (ร)
    return item


@dataclass(frozen=True)
class ScoresSaved:
    changed: int
    after_lock: bool


@transaction.atomic
def record_scores(
    *,
    actor: Any,
    item: AssessmentItem,
    scores: Mapping[int, Decimal | None],
    course: Course | None = None,
) -> ScoresSaved:
    """Save scores for one item: person id → score (None: no score). Children left out are not touched.

    Every value is checked first (in the class, 0 ≤ score ≤ the item's maximum, at most 2 decimals); one
    problem refuses the whole set. Changes are kept in ScoreChange; results are recomputed.
    """
    if course is not None and item.course_id != course.pk:
        raise problem(
            "item",
            "รายการประเมินนี้ไม่ได้อยู่ในรายวิชานี้",
            "this item belongs to another course",
            field_th="รายการประเมิน",
        )
    course = item.course
    override = _writable(actor, course)
    children = selectors.roster(course)
    in_class = {e.person_id: (n, e) for n, e in enumerate(children, start=1)}
    problems = []
    for person_id, value in scores.items():
        if person_id not in in_class:
            problems.append(_not_in_class(person_id))
            continue
        if value is None:
            continue
        number, enrolment = in_class[person_id]
        name_th, name_en = _name(enrolment)
        if value < 0:
            problems.append(
                Problem("score", f"{name_th}: คะแนนติดลบไม่ได้", f"{name_en}: a score cannot be negative",
                        row=number, field_th="คะแนน")
            )  # fmt: skip
        elif value > item.max_score:
            problems.append(
                Problem(
                    "score",
                    f"{name_th}: คะแนน {value} เกินคะแนนเต็ม {item.max_score.normalize():f}",
                    f"{name_en}: {value} is above the maximum {item.max_score.normalize():f}",
                    row=number,
                    field_th="คะแนน",
                )
            )
        elif value != value.quantize(SCORE_PLACES):
            problems.append(
                Problem("score", f"{name_th}: ทศนิยมได้ไม่เกิน 2 ตำแหน่ง", f"{name_en}: at most 2 decimals",
                        row=number, field_th="คะแนน")
            )  # fmt: skip
    if problems:
        raise KhruError(*problems)

    before = {
        s.person_id: s for s in Score.objects.select_for_update().filter(item=item, person_id__in=scores)
    }
    changes, new, updated, removed = [], [], [], []
    for person_id, value in scores.items():
        old = before.get(person_id)
        old_value = old.score if old else None
        if old_value == value:
            continue
        changes.append(
            ScoreChange(item=item, person_id=person_id, old_score=old_value, new_score=value,
                        changed_by=actor, after_lock=override)
        )  # fmt: skip
        if value is None and old is not None:
            removed.append(old.pk)
        elif old is not None and value is not None:
            old.score, old.recorded_by = value, actor
            updated.append(old)
        elif value is not None:
            new.append(Score(item=item, person_id=person_id, score=value, recorded_by=actor))
    Score.objects.filter(pk__in=removed).delete()
    Score.objects.bulk_create(new)
    now = timezone.now()
    for score in updated:
        score.recorded_at = now
    Score.objects.bulk_update(updated, ["score", "recorded_by", "recorded_at"])
    ScoreChange.objects.bulk_create(changes)
    if changes:
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=item,
            school_id=course.school_id,
            summary=f"{course.code} {item.name}: {len(changes)} scores" + (AFTER_LOCK if override else ""),
            changes={"changed": len(changes)},
        )
        _compute(actor=actor, course=course)
    return ScoresSaved(changed=len(changes), after_lock=override)


def record_pasted_scores(*, actor: Any, item: AssessmentItem, text: str) -> ScoresSaved:
    """A column pasted from a spreadsheet, one value per line in class-list order; the whole column is
    replaced (a blank line clears that child's score). Any unreadable line refuses the paste."""
    scope.require(actor, Perm.ENTER_SCORES, item.course.classroom)
    children = selectors.roster(item.course)
    values, problems = grading.parse_column(text, len(children))
    if problems:
        for index, found in enumerate(problems):
            if found.row and found.row <= len(children):
                name_th, name_en = _name(children[found.row - 1])
                problems[index] = Problem(
                    found.field, f"{name_th}: {found.th}", f"{name_en}: {found.en}", found.row, found.field_th
                )
        raise KhruError(*problems)
    return record_scores(
        actor=actor, item=item, scores={e.person_id: v for e, v in zip(children, values, strict=True)}
    )


def record_typed_scores(*, actor: Any, item: AssessmentItem, typed: Mapping[int, str]) -> ScoresSaved:
    """Scores as typed in the grid (person id → text: Thai or Arabic digits, comma or point; blank clears)."""
    scope.require(actor, Perm.ENTER_SCORES, item.course.classroom)
    children = {e.person_id: (n, e) for n, e in enumerate(selectors.roster(item.course), start=1)}
    scores: dict[int, Decimal | None] = {}
    problems = []
    for person_id, text in typed.items():
        try:
            scores[person_id] = grading.parse_score(text)
        except ValueError:
            number, enrolment = children.get(person_id, (None, None))
            name_th, name_en = _name(enrolment) if enrolment else (str(person_id), str(person_id))
            problems.append(
                Problem("score", f"{name_th}: '{text}' ไม่ใช่ตัวเลข", f"{name_en}: '{text}' is not a number",
                        row=number, field_th="คะแนน")
            )  # fmt: skip
    if problems:
        raise KhruError(*problems)
    return record_scores(actor=actor, item=item, scores=scores)


def _compute(*, actor: Any, course: Course) -> tuple[int, int]:
    """Recompute and store every child's result in the course; returns (results written, grades changed).

    A remedied result keeps its remedial grade; ratings are never touched here.
    """
    items = list(course.items.all())
    scores: dict[tuple[int, int], Decimal] = {
        (item_id, person_id): score
        for item_id, person_id, score in Score.objects.filter(item__course=course).values_list(
            "item_id", "person_id", "score"
        )
    }
    seen = selectors.course_attendance(actor=actor, course=course)
    existing = {r.person_id: r for r in Result.objects.select_for_update().filter(course=course)}
    new, updated, changed = [], [], 0
    for enrolment in selectors.roster(course):
        person_id = enrolment.person_id
        marks = [
            grading.ItemScore(
                part=item.part, max_score=item.max_score, score=scores.get((item.pk, person_id))
            )
            for item in items
        ]
        percent = grading.percentage(marks, course.coursework_share, course.final_share)
        tally = seen.tallies.get(person_id, Tally())
        barred = tally.can_still_miss(seen.planned) < 0
        grade = grading.decide(
            is_activity=course.is_activity,
            percent=percent,
            work_missing=any(m.score is None for m in marks),
            barred=barred,
        )
        values = {
            "percentage": percent,
            "sessions": tally.sessions,
            "missed": tally.sessions - tally.attended,
            "planned": seen.planned,
            "recorded_by": actor if getattr(actor, "pk", None) else None,
        }
        result = existing.get(person_id)
        if result is None:
            new.append(Result(course=course, person_id=person_id, grade=grade, **values))
            changed += 1
            continue
        if not result.original_grade and result.grade != grade:
            result.grade = grade
            changed += 1
        for name, value in values.items():
            setattr(result, name, value)
        result.recorded_at = timezone.now()
        updated.append(result)
    Result.objects.bulk_create(new)
    Result.objects.bulk_update(
        updated, ["grade", "percentage", "sessions", "missed", "planned", "recorded_by", "recorded_at"]
    )
    derived.changed(derived.COURSE, course)  # the course's grade counts change in the same transaction
    return len(new) + len(updated), changed


@transaction.atomic
def compute_results(*, actor: Any, course: Course) -> int:
    """Recompute a course's results now (attendance changes every day); returns how many grades changed."""
    override = _writable(actor, course)
    written, changed = _compute(actor=actor, course=course)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=course,
        school_id=course.school_id,
        summary=f"{course.code}: results computed, {changed} grades changed"
        + (AFTER_LOCK if override else ""),
        changes={"results": written, "changed": changed},
    )
    return changed


def _remedy(*, actor: Any, result: Result) -> tuple[Result, bool, rules.RemedialLimits, str, int]:
    """Lock the result and work out its next step: (result, override, limits, next step, re-tests so far)."""
    override = _writable(actor, result.course)
    result = Result.objects.select_for_update().select_related("course").get(pk=result.pk)
    limits = rules.limits_for(result.course.school_id)
    retests = result.steps.filter(kind=RemedialStep.Kind.RETEST).count()
    step = rules.next_step(
        grade=result.grade,
        decided=bool(result.decision),
        retests=retests,
        missed=result.missed,
        planned=result.planned,
        limits=limits,
    )
    return result, override, limits, step, retests


def _attended_percent(result: Result) -> Decimal | None:
    if not result.planned:
        return None
    share = Decimal(result.planned - result.missed) * 100 / result.planned
    return share.quantize(SCORE_PLACES)


def _write_step(*, actor: Any, result: Result, override: bool, step: RemedialStep, summary: str) -> Result:
    """Save one step and the result it changes; the first special result stays in original_grade."""
    if not result.original_grade:
        result.original_grade = step.grade_before
    result.grade = step.grade_after
    result.decision = step.decision or result.decision
    result.remedied_at = timezone.now()
    result.recorded_by = actor
    result.save()
    step.save()
    derived.changed(derived.COURSE, result.course)
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=result,
        school_id=result.course.school_id,
        summary=f"{result.course.code} {result.person_id}: {summary}" + (AFTER_LOCK if override else ""),
        changes={"grade": [step.grade_before, step.grade_after], "step": step.kind},
    )
    return result


@transaction.atomic
def record_remedial(*, actor: Any, result: Result, grade: str) -> Result:
    """The next remedial result (DOMAIN.md, แนวปฏิบัติ 2551), within the agency's limits:
    ร → the handed-in work graded normally (0–4); 0 → a re-test, at most the cap, up to the limit of re-tests;
    มส at or above the attendance floor → extra work and the test, at most the cap. Every step is kept."""
    result, override, limits, step, retests = _remedy(actor=actor, result=result)
    if grade not in NUMERIC_GRADES:
        raise problem(
            "grade",
            "ผลการแก้ตัวต้องเป็นระดับผลการเรียน 0–4",
            "a remedial result is a grade 0–4",
            field_th="ผลการเรียน",
        )
    if step == RemedialStep.Kind.DECISION and result.grade == "0":
        raise problem(
            "grade",
            f"สอบแก้ตัวครบ {limits.zero_retests} ครั้งแล้ว: ให้คณะกรรมการตัดสิน (เรียนซ้ำหรือเปลี่ยนรายวิชา)",
            f"{limits.zero_retests} re-tests are used: the committee decides (re-study or replace)",
            field_th="ผลการเรียน",
        )
    if step == RemedialStep.Kind.DECISION:
        raise problem(
            "grade",
            f"เวลาเรียน {_attended_percent(result)}% ต่ำกว่า {limits.barred_floor_percent}%: ต้องเรียนซ้ำรายวิชา",
            f"attendance {_attended_percent(result)}% is below {limits.barred_floor_percent}%: "
            "the course is re-studied",
            field_th="ผลการเรียน",
        )
    if not step:
        raise problem(
            "grade",
            f"ผลการเรียน {result.grade} ไม่ต้องแก้ตัว",
            f"grade {result.grade} has nothing to remedy",
            field_th="ผลการเรียน",
        )
    after = grade if step == RemedialStep.Kind.WORK_IN else rules.capped(grade, limits)
    record = RemedialStep(
        result=result,
        kind=step,
        grade_before=result.grade,
        grade_after=after,
        grade_earned=grade,
        attended_percent=_attended_percent(result) if result.grade == "มส" else None,
        recorded_by=actor,
    )
    label = f"re-test {retests + 1}" if step == RemedialStep.Kind.RETEST else step
    return _write_step(
        actor=actor, result=result, override=override, step=record,
        summary=f"{label} {result.grade} → {after} (earned {grade})",
    )  # fmt: skip


@transaction.atomic
def record_decision(*, actor: Any, result: Result, decision: str) -> Result:
    """The committee's decision once the re-tests of a 0 are used up, or for มส below the attendance floor:
    re-study the course; an additional course may instead be replaced by another. The grade stays."""
    result, override, _limits, step, _retests = _remedy(actor=actor, result=result)
    if step != RemedialStep.Kind.DECISION:
        raise problem(
            "decision",
            "ยังตัดสินโดยคณะกรรมการไม่ได้: ยังมีสิทธิ์แก้ตัว",
            "no committee decision yet: a remedial step is still open",
            field_th="มติคณะกรรมการ",
        )
    if decision not in Decision.values or (
        decision == Decision.REPLACE and result.course.kind != Course.Kind.ADDITIONAL
    ):
        raise problem(
            "decision",
            "รายวิชาพื้นฐานต้องเรียนซ้ำ (เปลี่ยนรายวิชาได้เฉพาะรายวิชาเพิ่มเติม)",
            "a core course is re-studied (only an additional course may be replaced)",
            field_th="มติคณะกรรมการ",
        )
    record = RemedialStep(
        result=result,
        kind=step,
        grade_before=result.grade,
        grade_after=result.grade,
        decision=decision,
        attended_percent=_attended_percent(result) if result.grade == "มส" else None,
        recorded_by=actor,
    )
    return _write_step(
        actor=actor, result=result, override=override, step=record, summary=f"committee: {decision}"
    )


@transaction.atomic
def set_ratings(*, actor: Any, course: Course, ratings: Mapping[int, tuple[int | None, int | None]]) -> int:
    """Reading-thinking-writing and desirable-characteristics ratings (0–3) per child; returns rows changed."""
    override = _writable(actor, course)
    results = {r.person_id: r for r in Result.objects.select_for_update().filter(course=course)}
    if any(person_id not in results for person_id in ratings):
        _compute(actor=actor, course=course)
        results = {r.person_id: r for r in Result.objects.select_for_update().filter(course=course)}
    problems = []
    for person_id, pair in ratings.items():
        if person_id not in results:
            problems.append(_not_in_class(person_id))
        elif any(value is not None and value not in Rating.values for value in pair):
            problems.append(
                Problem(
                    "rating",
                    "ผลการประเมินต้องเป็น ดีเยี่ยม ดี ผ่าน หรือ ไม่ผ่าน",
                    "a rating is 0–3",
                    field_th="ผลการประเมิน",
                )
            )
    if problems:
        raise KhruError(*problems)
    changed = []
    for person_id, (reading, character) in ratings.items():
        result = results[person_id]
        if (result.reading_rating, result.character_rating) != (reading, character):
            result.reading_rating, result.character_rating, result.recorded_by = reading, character, actor
            changed.append(result)
    Result.objects.bulk_update(changed, ["reading_rating", "character_rating", "recorded_by"])
    if changed:
        audit.record(
            actor=actor,
            action=audit.Action.UPDATE,
            obj=course,
            school_id=course.school_id,
            summary=f"{course.code}: ratings of {len(changed)} students" + (AFTER_LOCK if override else ""),
        )
    return len(changed)


@dataclass(frozen=True)
class YearEntry:
    """What the homeroom page sends for one child: aspect code (rules.YEAR_ASPECTS) → 0–3, None for no value;
    and why a value rolled up from the courses is overridden."""

    ratings: Mapping[str, int | None]
    reason: str = ""


REASON_LENGTH = 200
Wanted = tuple[int, str, str] | None  # (rating, source, reason) to store; None: no entered value


def _year_entry_problems(
    *, entry: YearEntry, number: int, enrolment: Enrolment, result: selectors.YearResult | None
) -> tuple[dict[str, Wanted], list[Problem]]:
    """One child's row checked: what to store per aspect, and the problems naming the child and the column."""
    name_th, name_en = _name(enrolment)
    reason = entry.reason.strip()
    problems = []
    if len(reason) > REASON_LENGTH:
        problems.append(
            Problem("reason", f"{name_th}: เหตุผลยาวเกิน {REASON_LENGTH} ตัวอักษร",
                    f"{name_en}: the reason is longer than {REASON_LENGTH} characters", row=number,
                    field_th="เหตุผล")
        )  # fmt: skip
    wanted: dict[str, Wanted] = {}
    for code, value in entry.ratings.items():
        aspect = rules.ASPECTS.get(code)
        if aspect is None:
            problems.append(
                Problem("aspect", f"ไม่มีหัวข้อประเมิน {code}", f"unknown aspect {code}", row=number,
                        field_th="หัวข้อประเมิน")
            )  # fmt: skip
            continue
        if value is not None and value not in Rating.values:
            problems.append(
                Problem(code, f"{name_th}: {aspect.th} ต้องเป็น ดีเยี่ยม ดี ผ่าน หรือ ไม่ผ่าน",
                        f"{name_en}: {aspect.en} is excellent, good, pass or fail (3–0)", row=number,
                        field_th=aspect.th)
            )  # fmt: skip
            continue
        derived = result.value(code).derived if result else None
        if value is None or value == derived:
            wanted[code] = None  # the value rolled up from the courses stands (or there is none)
        elif derived is None:
            wanted[code] = (value, YearRating.Source.ENTERED, "")
        elif not reason:
            problems.append(
                Problem(
                    code,
                    f"{name_th}: {aspect.th} ต่างจากผลที่คำนวณจากรายวิชา ({selectors.RATING_LABELS[derived]}) "
                    "ต้องระบุเหตุผล",
                    f"{name_en}: {aspect.en} differs from the result of the courses "
                    f"({Rating(derived).name.lower()}): give the reason",
                    row=number,
                    field_th=aspect.th,
                )
            )
        else:
            wanted[code] = (value, YearRating.Source.OVERRIDE, reason)
    return wanted, problems


def _year_not_locked(actor: Any, classroom: Classroom) -> bool:
    """Year results close with the year's last term: afterwards only the principal changes them (audited)."""
    last = selectors.last_term(classroom.academic_year)
    return last is not None and check_not_locked(actor=actor, school=classroom.school, term_id=last.pk)


@transaction.atomic
def record_year_ratings(*, actor: Any, classroom: Classroom, entries: Mapping[int, YearEntry]) -> int:
    """A class's year results in one save (person id → YearEntry); returns how many values changed.

    Reading and the overall characteristics are rolled up from the courses (selectors.year_ratings): a value
    typed over them needs a reason and is kept as an override; the same value as derived, or none, leaves the
    derived one. The 8 characteristics and 5 competencies are entered. Only children there to the year's end
    and still followed by the actor are written. Every value is checked first: one problem saves nothing.
    Each change is kept in YearRatingChange and audited; a cleared value is deleted, audited."""
    scope.require(actor, Perm.ENTER_SCORES, classroom)
    override = _year_not_locked(actor, classroom)
    children = selectors.class_in_year(classroom)
    numbered = {e.person_id: (n, e) for n, (e, _) in enumerate(children, start=1)}
    writable = selectors.writable_children(actor=actor, classroom=classroom, children=children)
    year = classroom.academic_year
    found = selectors.year_results_at(
        actor=actor, person_ids=list(entries), academic_year=year, school=classroom.school
    )
    problems: list[Problem] = []
    wanted: dict[tuple[int, str], Wanted] = {}
    for person_id, entry in entries.items():
        if person_id not in numbered:
            problems.append(_not_in_class(person_id))
            continue
        number, enrolment = numbered[person_id]
        if person_id not in writable:
            name_th, name_en = _name(enrolment)
            problems.append(
                Problem("student", f"{name_th}: ไม่ได้อยู่ในห้องนี้แล้ว (ย้ายออกหรือย้ายห้อง) บันทึกผลประจำปีไม่ได้",
                        f"{name_en}: no longer in this class: the year results cannot be changed here",
                        row=number, field_th="นักเรียน")
            )  # fmt: skip
            continue
        row, found_problems = _year_entry_problems(
            entry=entry, number=number, enrolment=enrolment, result=found.get(person_id)
        )
        problems += found_problems
        wanted.update({(person_id, code): value for code, value in row.items()})
    if problems:
        raise KhruError(*problems)

    existing = {
        (r.person_id, r.aspect): r
        for r in YearRating.objects.select_for_update().filter(academic_year=year, person_id__in=entries)
    }
    new, updated, removed, changes = [], [], [], []
    now = timezone.now()
    for (person_id, code), target in wanted.items():
        old = existing.get((person_id, code))
        before = (old.rating, old.source, old.reason) if old else None
        if before == target:
            continue
        rating, source, reason = target or (None, "", "")
        changes.append(
            YearRatingChange(
                person_id=person_id, school_id=classroom.school_id, academic_year=year, classroom=classroom,
                aspect=code, old_rating=old.rating if old else None, new_rating=rating, source=source,
                reason=reason, after_lock=override, changed_by=actor,
            )
        )  # fmt: skip
        if target is None:
            removed.extend([old] if old else [])
        elif old is None:
            new.append(
                YearRating(person_id=person_id, school_id=classroom.school_id, academic_year=year,
                           classroom=classroom, aspect=code, rating=target[0], source=source, reason=reason,
                           recorded_by=actor)
            )  # fmt: skip
        else:
            old.rating, old.source, old.reason, old.recorded_by, old.recorded_at = target + (actor, now)
            # The row follows the child to the school and class where the year ends.
            old.school_id, old.classroom = classroom.school_id, classroom
            updated.append(old)
    summary = f"{classroom} {year.year_be}: year results" + (AFTER_LOCK if override else "")
    audit.record_many(
        actor=actor,
        action=audit.Action.DELETE,
        objects=removed,
        school_id=classroom.school_id,
        summary=summary,
    )
    YearRating.objects.filter(pk__in=[r.pk for r in removed]).delete()
    YearRating.objects.bulk_create(new)
    YearRating.objects.bulk_update(
        updated, ["rating", "source", "reason", "recorded_by", "recorded_at", "school", "classroom"]
    )
    YearRatingChange.objects.bulk_create(changes)
    audit.record_many(
        actor=actor, action=audit.Action.CREATE, objects=new, school_id=classroom.school_id, summary=summary
    )
    audit.record_many(
        actor=actor,
        action=audit.Action.UPDATE,
        objects=updated,
        school_id=classroom.school_id,
        summary=summary,
    )
    return len(changes)


@transaction.atomic
def set_year_rule(*, actor: Any, school: School, method: str) -> YearResultRule:
    """How the school rolls the year's course ratings up into the year result (rules.ROLL_UPS); audited."""
    scope.require(actor, Perm.LOCK_TERM, school)
    if method not in rules.ROLL_UPS:
        raise problem("method", "วิธีสรุปผลประจำปีไม่ถูกต้อง", "unknown way of rolling up", field_th="วิธีสรุปผลประจำปี")
    rule = YearResultRule.objects.select_for_update().filter(school=school).first()
    old = rule.method if rule else rules.DEFAULT_ROLL_UP
    if rule is None:
        rule = YearResultRule(school=school)
    elif old == method:
        return rule
    rule.method, rule.recorded_by = method, actor
    rule.save()
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=rule,
        school_id=school.pk,
        summary=f"year results rolled up by {method}",
        changes={"method": [old, method]},
    )
    return rule


@transaction.atomic
def lock_term(*, actor: Any, school: School, term: Term) -> TermLock:
    """Close a school's term: marks, scores and results change afterwards only by the principal (audited)."""
    scope.require(actor, Perm.LOCK_TERM, school)
    try:
        with transaction.atomic():
            lock = TermLock.objects.create(school=school, term=term, locked_by=actor)
    except IntegrityError as error:
        raise problem("term", "ภาคเรียนนี้ปิดไปแล้ว", "this term is already closed", field_th="ภาคเรียน") from error
    audit.record(
        actor=actor, action=audit.Action.CREATE, obj=lock, school_id=school.pk, summary=f"term {term} locked"
    )
    return lock


@transaction.atomic
def request_unlock(*, actor: Any, school: School, term: Term, reason: str) -> UnlockRequest:
    """Ask the principal to reopen a closed term (a correction to make), saying why."""
    scope.require(actor, Perm.LOCK_TERM, school)
    if not TermLock.objects.filter(school=school, term=term).exists():
        raise problem("term", "ภาคเรียนนี้ยังไม่ได้ปิด", "this term is not closed", field_th="ภาคเรียน")
    if not reason.strip():
        raise problem("reason", "โปรดบอกเหตุผลที่ขอเปิดแก้ไข", "say why the term should reopen", field_th="เหตุผล")
    try:
        with transaction.atomic():
            asked = UnlockRequest.objects.create(
                school=school, term=term, reason=reason.strip(), requested_by=actor
            )
    except IntegrityError as error:
        raise problem(
            "term",
            "มีคำขอเปิดแก้ไขภาคนี้รออยู่แล้ว",
            "a request to reopen this term is already waiting",
            field_th="ภาคเรียน",
        ) from error
    audit.record(
        actor=actor,
        action=audit.Action.CREATE,
        obj=asked,
        school_id=school.pk,
        summary=f"unlock of {term} asked",
    )
    return asked


@transaction.atomic
def decide_unlock(*, actor: Any, asked: UnlockRequest, grant: bool) -> UnlockRequest:
    """The principal grants (the term reopens) or refuses a waiting request; the decision is recorded."""
    asked = UnlockRequest.objects.select_for_update().select_related("school", "term").get(pk=asked.pk)
    scope.require(actor, Perm.OVERRIDE_LOCK, asked.school)
    if asked.granted is not None:
        raise problem("request", "คำขอนี้ตัดสินแล้ว", "this request is already decided", field_th="คำขอ")
    asked.granted, asked.decided_by, asked.decided_at = grant, actor, timezone.now()
    asked.save(update_fields=["granted", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action=audit.Action.UPDATE,
        obj=asked,
        school_id=asked.school_id,
        summary=f"unlock of {asked.term} {'granted' if grant else 'refused'}",
        changes={"granted": [None, grant]},
    )
    if grant and TermLock.objects.filter(school=asked.school, term=asked.term).exists():
        unlock_term(actor=actor, school=asked.school, term=asked.term)
    return asked


@transaction.atomic
def unlock_term(*, actor: Any, school: School, term: Term) -> None:
    scope.require(actor, Perm.OVERRIDE_LOCK, school)
    lock = TermLock.objects.filter(school=school, term=term).first()
    if lock is None:
        raise problem("term", "ภาคเรียนนี้ยังไม่ได้ปิด", "this term is not closed", field_th="ภาคเรียน")
    audit.record(
        actor=actor,
        action=audit.Action.DELETE,
        obj=lock,
        school_id=school.pk,
        summary=f"term {term} unlocked",
    )
    lock.delete()
