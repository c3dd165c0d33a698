"""Gradebook pages: phone-first, one save per grid, HTMX partial updates where they help."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khru.assessment import curriculum, rules, selectors, services
from khru.assessment.forms import CourseEditForm, CourseForm, ItemForm, RemedialForm
from khru.assessment.models import Course, Rating
from khru.assessment.rules import NUMERIC_GRADES
from khru.core.errors import KhruError, NotAllowed
from khru.core.views import message_problems, or_404, render_or_problems
from khru.org import scope
from khru.org import selectors as org_selectors
from khru.org.grades import label
from khru.org.models import Classroom
from khru.org.roles import Perm
from khru.people.roster import read_table


def _classroom(request: HttpRequest, uuid: str, perm: Perm = Perm.VIEW_STUDENTS) -> Classroom:
    return or_404(org_selectors.get_classroom, actor=request.user, uuid=uuid, perm=perm)


def _course(request: HttpRequest, uuid: str, perm: Perm = Perm.VIEW_STUDENTS) -> Course:
    return or_404(selectors.get_course, actor=request.user, uuid=uuid, perm=perm)


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/course_list.html",
        {
            "courses": selectors.my_courses(actor=request.user)[:100],
            "classrooms": org_selectors.my_classrooms(actor=request.user)[:50],
        },
    )


@login_required
def course_create(request: HttpRequest, uuid: str) -> HttpResponse:
    classroom = _classroom(request, uuid, Perm.ENTER_SCORES)
    form = CourseForm(request.POST or None)
    form.set_terms(classroom.academic_year.terms.all())
    form.set_grade(classroom.grade)
    context = {"classroom": classroom, "form": form}
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "assessment/course_form.html", context, status=status)

    def save() -> HttpResponse:
        data = form.cleaned_data
        course = services.create_course(
            actor=request.user, classroom=classroom, term=data["term"], code=data["code"],
            name_th=data["name_th"], name_en=data["name_en"], kind=data["kind"], credits=data.get("credits") or Decimal(0),
            hours=data["hours"], coursework_share=data["coursework_share"], final_share=data["final_share"],
            indicators=form.indicator_list(),
        )  # fmt: skip
        messages.success(request, _("The course is created: add its assessments."))
        return redirect("assessment:course", uuid=course.uuid)

    return render_or_problems(request, "assessment/course_form.html", context, save)


@login_required
def course_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    course = _course(request, uuid)
    can_edit = scope.can(request.user, Perm.ENTER_SCORES, course.classroom)
    form = ItemForm(request.POST or None)
    context = {
        "course": course,
        "items": course.items.all(),
        "form": form,
        "can_edit": can_edit,
        "locked": selectors.is_locked(course),
    }
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "assessment/course_detail.html", context, status=400 if request.method == "POST" else 200
        )

    def save() -> HttpResponse:
        services.add_item(actor=request.user, course=course, **form.cleaned_data)
        messages.success(request, _("The assessment is added."))
        return redirect("assessment:course", uuid=course.uuid)

    return render_or_problems(request, "assessment/course_detail.html", context, save)


@login_required
def course_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    """Adjust a course (names, units, shares), or remove one nobody has scored; both audited."""
    course = _course(request, uuid, Perm.ENTER_SCORES)
    initial = {f: getattr(course, f) for f in CourseEditForm.base_fields}
    form = CourseEditForm(request.POST or None, initial=initial)
    form.set_grade(course.classroom.grade)
    context = {"course": course, "form": form}
    if request.method == "POST" and "remove" in request.POST:

        def remove() -> HttpResponse:
            services.remove_course(actor=request.user, course=course)
            messages.success(request, _("The course is removed."))
            return redirect("assessment:classroom", uuid=course.classroom.uuid)

        return render_or_problems(request, "assessment/course_edit.html", context, remove)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "assessment/course_edit.html", context, status=status)

    def save() -> HttpResponse:
        data = form.cleaned_data
        services.update_course(
            actor=request.user, course=course, name_th=data["name_th"], name_en=data["name_en"],
            hours=data["hours"], credits=data.get("credits") or Decimal(0),
            coursework_share=data["coursework_share"], final_share=data["final_share"],
        )  # fmt: skip
        messages.success(request, _("The course is saved."))
        return redirect("assessment:course", uuid=course.uuid)

    return render_or_problems(request, "assessment/course_edit.html", context, save)


@login_required
def gradebook(request: HttpRequest, uuid: str) -> HttpResponse:
    """One item's scores for the whole class: an input per child, or a pasted column; one save."""
    item = or_404(selectors.get_item, actor=request.user, uuid=uuid, perm=Perm.ENTER_SCORES)
    htmx = bool(getattr(request, "htmx", False))
    template = "assessment/gradebook.html#grid" if htmx else "assessment/gradebook.html"
    problems: list[Any] = []
    status = 200
    if request.method == "POST":
        paste = request.POST.get("paste", "")
        try:
            if paste.strip():
                saved = services.record_pasted_scores(actor=request.user, item=item, text=paste)
            else:
                typed = {
                    int(key[1:]): request.POST.get(key, "")
                    for key in request.POST
                    if key.startswith("s") and key[1:].isdigit()
                }
                saved = services.record_typed_scores(actor=request.user, item=item, typed=typed)
            messages.success(request, _("Saved: %(n)d scores changed.") % {"n": saved.changed})
            if not htmx:
                return redirect("assessment:gradebook", uuid=item.uuid)
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems, status = error.problems, 400
    sheet = selectors.score_sheet(actor=request.user, item=item)
    typed_back = request.POST if problems else {}
    rows = [(row, typed_back.get(f"s{row.enrolment.person_id}")) for row in sheet.rows]
    context = {"sheet": sheet, "item": item, "course": item.course, "rows": rows, "problems": problems,
               "paste": request.POST.get("paste", "") if problems else ""}  # fmt: skip
    return render(request, template, context, status=status)


def _ratings(request: HttpRequest) -> dict[int, tuple[int | None, int | None]]:
    def value(key: str) -> int | None:
        text = request.POST.get(key, "")
        return int(text) if text.isdigit() else None

    people = {int(key[1:]) for key in request.POST if key[:1] in ("r", "c") and key[1:].isdigit()}
    return {pid: (value(f"r{pid}"), value(f"c{pid}")) for pid in people}


@login_required
def results(request: HttpRequest, uuid: str) -> HttpResponse:
    course = _course(request, uuid)
    can_edit = scope.can(request.user, Perm.ENTER_SCORES, course.classroom)

    def context() -> dict[str, Any]:
        return {
            "course": course,
            "table": selectors.result_table(actor=request.user, course=course),
            "can_edit": can_edit,
            "ratings": Rating.choices,
            "grade_choices": list(NUMERIC_GRADES),
            "remedial_form": RemedialForm(),
        }

    if request.method != "POST":
        return render(request, "assessment/results.html", context())

    def save() -> HttpResponse:
        if request.POST.get("action") == "compute":
            changed = services.compute_results(actor=request.user, course=course)
            messages.success(request, _("Results recomputed: %(n)d grades changed.") % {"n": changed})
        else:
            changed = services.set_ratings(actor=request.user, course=course, ratings=_ratings(request))
            messages.success(request, _("Saved: %(n)d ratings changed.") % {"n": changed})
        return redirect("assessment:results", uuid=course.uuid)

    try:
        return save()
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        return render(
            request, "assessment/results.html", {**context(), "problems": error.problems}, status=400
        )


@login_required
@require_POST
def remedial(request: HttpRequest, pk: int) -> HttpResponse:
    result = or_404(selectors.get_result, actor=request.user, pk=pk, perm=Perm.ENTER_SCORES)
    form = RemedialForm(request.POST)
    if not form.is_valid() or not (form.cleaned_data["grade"] or form.cleaned_data["decision"]):
        messages.error(request, _("Choose the remedial grade."))
    else:
        try:
            if form.cleaned_data["decision"]:
                services.record_decision(
                    actor=request.user, result=result, decision=form.cleaned_data["decision"]
                )
            else:
                services.record_remedial(actor=request.user, result=result, grade=form.cleaned_data["grade"])
            messages.success(request, _("The remedial result is recorded."))
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            message_problems(request, error)
    return redirect("assessment:results", uuid=result.course.uuid)


@login_required
def classroom_view(request: HttpRequest, uuid: str) -> HttpResponse:
    """The homeroom teacher's view: results to remedy, children at risk of มส, each child's term GPA."""
    classroom = _classroom(request, uuid)
    if not scope.can(request.user, Perm.VIEW_STUDENTS, classroom):
        raise Http404
    terms = list(classroom.academic_year.terms.all())
    current = org_selectors.current_term(year=classroom.academic_year)
    term = next(
        (t for t in terms if str(t.pk) == request.GET.get("term")), current or (terms[0] if terms else None)
    )
    context: dict[str, Any] = {
        "classroom": classroom,
        "terms": terms,
        "term": term,
        "courses": selectors.classroom_courses(actor=request.user, classroom=classroom, term=term)
        if term
        else [],
        "to_remedy": selectors.to_remedy(actor=request.user, classroom=classroom),
        "risks": selectors.absence_risks(actor=request.user, classroom=classroom, term=term) if term else [],
        "can_create": scope.can(request.user, Perm.ENTER_SCORES, classroom),
    }
    if term is not None:
        gpas = selectors.gpa_by_person(actor=request.user, classroom=classroom, term=term)
        context["students"] = [
            (e, gpas.get(e.person_id)) for e in selectors.class_in_term(classroom.pk, term)
        ]
    return render(request, "assessment/classroom.html", context)


@login_required
def terms(request: HttpRequest, code: str) -> HttpResponse:
    """Term closing: the school office closes a term's marks; only the principal reopens (both audited)."""
    school = or_404(org_selectors.get_school, actor=request.user, code=code, perm=Perm.LOCK_TERM)
    year = org_selectors.current_year(school=school)
    if request.method == "POST":
        term = (
            next(
                (
                    t
                    for t, _ in selectors.term_locks(actor=request.user, school=school, year=year)
                    if str(t.pk) == request.POST.get("term")
                ),
                None,
            )
            if year
            else None
        )
        if term is None:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "unlock":
                services.unlock_term(actor=request.user, school=school, term=term)
                messages.success(request, _("The term is open again for changes."))
            elif action == "request_unlock":
                services.request_unlock(
                    actor=request.user, school=school, term=term, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The request to reopen the term is sent to the principal."))
            elif action in ("grant", "refuse"):
                asked = next(
                    (
                        a
                        for a in selectors.waiting_unlocks(actor=request.user, school=school)
                        if a.term_id == term.pk
                    ),
                    None,
                )
                if asked is None:
                    raise Http404
                services.decide_unlock(actor=request.user, asked=asked, grant=action == "grant")
                messages.success(
                    request,
                    _("The term is open again for changes.")
                    if action == "grant"
                    else _("The request is refused."),
                )
            else:
                services.lock_term(actor=request.user, school=school, term=term)
                messages.success(request, _("The term is closed."))
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            message_problems(request, error)
        return redirect("assessment:terms", code=code)
    waiting = {a.term_id: a for a in selectors.waiting_unlocks(actor=request.user, school=school)}
    rows = [
        (term, lock, waiting.get(term.pk))
        for term, lock in (selectors.term_locks(actor=request.user, school=school, year=year) if year else [])
    ]
    context = {
        "school": school,
        "rows": rows,
        "can_unlock": scope.can(request.user, Perm.OVERRIDE_LOCK, school),
        "roll_up": rules.roll_ups_for([school.pk])[school.pk],
        "roll_ups": rules.ROLL_UPS.values(),
    }
    return render(request, "assessment/terms.html", context)


@login_required
def agency_curriculum(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's curriculum templates; its central office loads the shipped one or its own file (whole or
    nothing)."""
    agency = or_404(org_selectors.get_agency, actor=request.user, code=code)
    can_manage = scope.agency_in_reach(request.user, Perm.MANAGE_CURRICULUM, agency)
    context = {"agency": agency, "grades": curriculum.templates_of(agency=agency), "can_manage": can_manage}
    if request.method != "POST":
        return render(request, "assessment/curriculum.html", context)
    if not can_manage:
        raise Http404

    def load() -> HttpResponse:
        upload = request.FILES.get("file")
        if upload is None:
            rows, name = curriculum.shipped_rows(), curriculum.SHIPPED_NAME
        else:
            rows = curriculum.parse_template(read_table(upload.read()))
            name = request.POST.get("name", "").strip()[:120] or (upload.name or "").rsplit(".", 1)[0]
        count = curriculum.load_template(actor=request.user, agency=agency, rows=rows, name=name)
        messages.success(request, _("%(n)d courses and activities loaded.") % {"n": count})
        return redirect("assessment:agency_curriculum", code=code)

    return render_or_problems(request, "assessment/curriculum.html", context, load)


@login_required
def school_curriculum(request: HttpRequest, code: str) -> HttpResponse:
    """A school's courses for a year from its agency's templates, set up for every class in one action."""
    school = or_404(org_selectors.get_school, actor=request.user, code=code, perm=Perm.VIEW_SCHOOL)
    years = list(org_selectors.years_for(school=school))
    year = org_selectors.pick_year(
        years, request.GET.get("year") or request.POST.get("year"), org_selectors.current_year(school=school)
    )
    if year is None:
        raise Http404
    can_set_up = scope.can(request.user, Perm.MANAGE_CLASSES, school)
    context = {
        "school": school,
        "agency": school.area.agency,
        "years": years,
        "year": year,
        "grades": curriculum.templates_of(agency=school.area.agency),
        "can_set_up": can_set_up,
    }
    if request.method != "POST":
        return render(request, "assessment/curriculum.html", context)
    if not can_set_up:
        raise Http404

    def set_up() -> HttpResponse:
        done = curriculum.set_up_courses(actor=request.user, school=school, academic_year=year)
        messages.success(
            request,
            _("%(created)d courses set up; %(kept)d the classes already had were kept.")
            % {"created": done.created, "kept": done.kept},
        )
        if done.without_template:
            names = ", ".join(label(g) for g in done.without_template)
            messages.warning(
                request, _("No template for %(grades)s: set up their courses by hand.") % {"grades": names}
            )
        return redirect(f"{request.path}?year={year.year_be}")

    return render_or_problems(request, "assessment/curriculum.html", context, set_up)


@dataclass(frozen=True)
class YearCell:
    aspect: rules.Aspect
    name: str  # the form field
    chosen: str  # the option shown selected: "0"–"3", or "" for none
    value: selectors.YearValue  # what is saved (or derived) now
    heading: tuple[str, str] | None  # the group's name (Thai, English) above its first aspect


def _year_field(person_id: int, code: str) -> str:
    return f"y-{person_id}-{code}"


def _year_entries(request: HttpRequest) -> dict[int, services.YearEntry]:
    """The page's selects (y-<person>-<aspect>) and reasons (reason-<person>), child by child."""

    def rating(text: str) -> int | None:
        # Not a rating at all (a tampered form): -1, refused by the service like any other wrong value.
        return None if not text else int(text) if text.isdigit() else -1

    ratings: dict[int, dict[str, int | None]] = {}
    for key, text in request.POST.items():
        parts = key.split("-", 2)
        if len(parts) == 3 and parts[0] == "y" and parts[1].isdigit():
            ratings.setdefault(int(parts[1]), {})[parts[2]] = rating(str(text).strip())
    return {
        pid: services.YearEntry(ratings=found, reason=request.POST.get(f"reason-{pid}", ""))
        for pid, found in ratings.items()
    }


def _year_cells(row: selectors.YearRow, typed: Any) -> list[YearCell]:
    """Each aspect's select for one child: what was typed (after a refusal), else the saved or derived value;
    the 8 characteristics not yet entered start from the overall value (saving stores them as entered)."""
    cells = []
    group = ""
    for aspect in rules.YEAR_ASPECTS:
        name = _year_field(row.enrolment.person_id, aspect.code)
        value = row.value(aspect.code)
        shown = value.rating
        if shown is None and aspect.code in rules.PREFILLED_FROM:
            shown = row.value(rules.PREFILLED_FROM[aspect.code]).rating
        chosen = typed.get(name, "") if typed else ("" if shown is None else str(shown))
        heading = rules.ASPECT_GROUPS[aspect.group] if aspect.group != group else None
        group = aspect.group
        cells.append(YearCell(aspect=aspect, name=name, chosen=chosen, value=value, heading=heading))
    return cells


def _year_reason(row: selectors.YearRow, typed: Any) -> str:
    """The reason box: as typed after a refusal, else the saved reason of an override (so saving again
    keeps it)."""
    if typed:
        return str(typed.get(f"reason-{row.enrolment.person_id}", ""))
    return next((row.value(a.code).reason for a in rules.DERIVED_ASPECTS if row.value(a.code).reason), "")


@login_required
def year_results(request: HttpRequest, uuid: str) -> HttpResponse:
    """The homeroom teacher's year results of the class: reading and characteristics rolled up from the courses
    (overridable with a reason), the 8 characteristics and 5 competencies entered; one save for the class."""
    classroom = _classroom(request, uuid, Perm.VIEW_STUDENTS)
    problems: list[Any] = []
    if request.method == "POST":
        try:
            changed = services.record_year_ratings(
                actor=request.user, classroom=classroom, entries=_year_entries(request)
            )
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
        else:
            messages.success(request, _("Saved: %(n)d year results changed.") % {"n": changed})
            return redirect("assessment:year_results", uuid=classroom.uuid)
    sheet = or_404(selectors.year_sheet, actor=request.user, classroom=classroom)
    typed = request.POST if problems else None
    context = {
        "classroom": classroom,
        "sheet": sheet,
        "rows": [(row, _year_cells(row, typed), _year_reason(row, typed)) for row in sheet.rows],
        "ratings": [(str(value), name) for value, name in Rating.choices],
        "roll_ups": rules.ROLL_UPS.values(),
        "can_set_rule": scope.can(request.user, Perm.LOCK_TERM, classroom.school),
        "problems": problems,
    }
    return render(request, "assessment/year_results.html", context, status=400 if problems else 200)


@login_required
@require_POST
def year_rule(request: HttpRequest, code: str) -> HttpResponse:
    """The school office chooses how course ratings roll up into the year result (on the term-closing page)."""
    school = or_404(org_selectors.get_school, actor=request.user, code=code, perm=Perm.LOCK_TERM)
    try:
        services.set_year_rule(actor=request.user, school=school, method=request.POST.get("method", ""))
        messages.success(request, _("The way year results are rolled up is saved."))
    except NotAllowed as error:
        raise Http404 from error
    except KhruError as error:
        message_problems(request, error)
    return redirect("assessment:terms", code=code)


@login_required
def area_terms(request: HttpRequest, code: str) -> HttpResponse:
    """For the area office: which terms each school has approved and closed, and the reopenings waiting."""
    area, schools = or_404(
        selectors.area_approvals, actor=request.user, code=code, today=timezone.localdate()
    )
    return render(request, "assessment/area_terms.html", {"area": area, "schools": schools})
