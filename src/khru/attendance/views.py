import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from khru.assessment import rules
from khru.attendance import selectors, services
from khru.attendance.forms import LeaveForm
from khru.core.dates import format_be
from khru.core.errors import KhruError, NotAllowed
from khru.core.views import date_param, message_problems, or_404
from khru.org import selectors as org_selectors
from khru.org.models import Classroom
from khru.org.roles import Perm
from khru.people.models import Enrolment


def _classroom(request: HttpRequest, uuid: str) -> Classroom:
    return or_404(org_selectors.get_classroom, actor=request.user, uuid=uuid)


@login_required
def register(request: HttpRequest, uuid: str) -> HttpResponse:
    """The phone register: everyone present by default, a tap marks a child absent and "⋯" offers every code
    (any code in two taps); one save sends the class.

    The page saves through the API from JavaScript (with an offline queue); this POST is the no-script path.
    """
    classroom = _classroom(request, uuid)
    day = date_param(request)
    period = int(request.GET.get("period", 0) or 0)
    today = timezone.localdate()
    if day > today:
        # A day not yet come cannot be marked (a save would be refused): open today's sheet instead.
        messages.warning(
            request, _("%(day)s has not come yet: this is today's register.") % {"day": format_be(day)}
        )
        return redirect(f"{request.path}?date={today.isoformat()}&period={period}")
    problems: list[Any] = []
    if request.method == "POST":
        marks = {
            int(name.removeprefix("mark-")): str(code)
            for name, code in request.POST.items()
            if name.startswith("mark-") and code
        }
        try:
            services.record_register(
                actor=request.user,
                classroom=classroom,
                date=day,
                period=period,
                course_code=request.POST.get("course_code", ""),
                marks=marks,
                key=uuidlib.UUID(request.POST["key"]) if request.POST.get("key") else None,
            )
            messages.success(request, _("The register is saved."))
            return redirect(f"{request.path}?date={day.isoformat()}&period={period}")
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
    try:
        sheet = selectors.register_sheet(actor=request.user, classroom=classroom, date=day, period=period)
    except NotAllowed as error:
        raise Http404 from error
    context = {
        "classroom": classroom,
        "sheet": sheet,
        "day": day,
        "today": today,
        "previous_day": day - dt.timedelta(days=1 if day.weekday() else 3),
        "next_day": day + dt.timedelta(days=1 if day.weekday() < 4 else 7 - day.weekday()),
        "problems": problems,
        "new_key": uuidlib.uuid4(),
        "secondary": classroom.grade.startswith(("M", "V")) or period > 0,
        "course_code": request.GET.get("course", ""),
    }
    return render(request, "attendance/register.html", context, status=400 if problems else 200)


@dataclass
class ChildAttendance:
    enrolment: Enrolment
    tally: selectors.Tally
    rate: int | None  # percent attended this term
    can_still_miss: int


@login_required
def overview(request: HttpRequest, uuid: str) -> HttpResponse:
    """The homeroom teacher's view: today's absentees, each child's rate this term, who is close to มส."""
    classroom = _classroom(request, uuid)
    today = timezone.localdate()
    term = org_selectors.current_term(year=classroom.academic_year, on=today)
    try:
        sheet = selectors.register_sheet(actor=request.user, classroom=classroom, date=today)
        tallies = selectors.tallies_for(actor=request.user, term=term, classroom=classroom) if term else {}
    except NotAllowed as error:
        raise Http404 from error
    monday = today - dt.timedelta(days=today.weekday())
    week = selectors.register_reporting(
        actor=request.user, classes=Q(pk=classroom.pk), start=monday, end=today
    )
    planned = selectors.school_days(school=classroom.school, term=term) if term else 0
    codes = {c.code: c for c in sheet.codes}
    rows = []
    for row in sheet.rows:
        tally = tallies.get(row.enrolment.person_id, selectors.Tally())
        rate = round(100 * tally.rate) if tally.rate is not None else None
        rows.append(ChildAttendance(row.enrolment, tally, rate, tally.can_still_miss(planned)))
    rows.sort(key=lambda r: (r.can_still_miss, r.enrolment.student_number))
    form = LeaveForm()
    form.set_students([(r.enrolment.person_id, r.enrolment.person.full_name) for r in sheet.rows])
    context = {
        "classroom": classroom,
        "term": term,
        "planned": planned,
        "rows": rows,
        "absent_today": [(r.enrolment, codes[r.code]) for r in sheet.rows if r.code and r.code != "late"],
        "taken_today": sheet.register is not None,
        "missing_this_week": week[0].reporting.missing if week else [],
        # Close to the limit for the term, or already under 80% of the days held so far.
        "at_risk": [
            r
            for r in rows
            if r.can_still_miss <= rules.AT_RISK_MARGIN
            or (r.rate is not None and r.rate < rules.REQUIRED_PERCENT)
        ],
        "leaves": selectors.leave_requests(actor=request.user, school=classroom.school, on=today).filter(
            person_id__in=[r.enrolment.person_id for r in sheet.rows]
        ),
        "form": form,
    }
    return render(request, "attendance/overview.html", context)


@login_required
def leave(request: HttpRequest, uuid: str) -> HttpResponse:
    # Those who may take the class's attendance, not everyone who sees the school (404, as elsewhere).
    classroom = or_404(org_selectors.get_classroom, actor=request.user, uuid=uuid, perm=Perm.TAKE_ATTENDANCE)
    form = LeaveForm(request.POST)
    in_class = {e.person_id: e.person for e in selectors.enrolled_on(classroom, timezone.localdate())}
    form.set_students([(pk, person.full_name) for pk, person in in_class.items()])
    if form.is_valid():
        try:
            services.record_leave(
                actor=request.user,
                person=in_class[int(form.cleaned_data["student"])],  # one of the choices: in the class today
                school=classroom.school,
                code=form.cleaned_data["code"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                requested_by=form.cleaned_data["requested_by"],
            )
            messages.success(request, _("The leave is recorded; it shows on the register."))
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            message_problems(request, error)
    else:
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else field}: {errors[0]}"
            )
    return redirect("attendance:overview", uuid=uuid)


@login_required
def register_history(request: HttpRequest, uuid: str) -> HttpResponse:
    found = or_404(selectors.get_register, actor=request.user, uuid=uuid)
    changes = selectors.history(actor=request.user, register=found)
    return render(request, "attendance/history.html", {"register": found, "changes": changes})
