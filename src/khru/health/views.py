from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from khru.core.errors import KhruError, NotAllowed
from khru.core.views import date_param, or_404
from khru.health import selectors, services
from khru.health.chart import growth_chart
from khru.health.growth import Indicator
from khru.health.models import Measurement
from khru.health.references import reference_for
from khru.org import selectors as org_selectors
from khru.org.models import Classroom
from khru.people.models import Enrolment


def _classroom(request: HttpRequest, uuid: str) -> Classroom:
    return or_404(org_selectors.get_classroom, actor=request.user, uuid=uuid)


@dataclass
class FormRow:
    enrolment: Enrolment
    previous: Measurement | None
    saved: Measurement | None
    weight: str
    height: str
    warnings: list[services.PlausibilityWarning]
    confirmed: bool


@login_required
def measure(request: HttpRequest, uuid: str) -> HttpResponse:
    """A class's weights and heights for one day: two numbers per child, one save; typed values survive a refusal."""
    classroom = _classroom(request, uuid)
    day = date_param(request)
    problems: list[Any] = []
    warnings: dict[int, list[services.PlausibilityWarning]] = {}
    typed: dict[int, tuple[str, str]] = {}
    confirmed: set[int] = set()
    if request.method == "POST":
        for name, value in request.POST.items():
            value = str(value)
            if name.startswith(("weight-", "height-")):
                kind, _sep, person_id = name.partition("-")
                if person_id.isdigit():
                    weight, height = typed.get(int(person_id), ("", ""))
                    typed[int(person_id)] = (value, height) if kind == "weight" else (weight, value)
        confirmed = {int(n.removeprefix("confirm-")) for n in request.POST if n.startswith("confirm-")}
        try:
            saved = services.record_measurements(
                actor=request.user,
                classroom=classroom,
                measured_on=day,
                rows={pid: (w or None, h or None) for pid, (w, h) in typed.items()},
                confirmed=confirmed,
            )
        except NotAllowed as error:
            raise Http404 from error
        except KhruError as error:
            problems = error.problems
        else:
            if not saved.warnings:
                messages.success(request, _("The measurements are saved."))
                return redirect(f"{request.path}?date={day.isoformat()}")
            for warning in saved.warnings:
                warnings.setdefault(warning.person_id, []).append(warning)
            names = ", ".join(dict.fromkeys(w.name for w in saved.warnings))
            messages.warning(
                request,
                _(
                    "Saved: %(saved)d. Not saved yet, the values look unusual: %(names)s. Check them, tick the box"
                    " beside each and save again."
                )
                % {"saved": saved.saved, "names": names},
            )
    try:
        sheet = selectors.entry_sheet(actor=request.user, classroom=classroom, measured_on=day)
    except NotAllowed as error:
        raise Http404 from error
    rows = []
    for row in sheet.rows:
        pid = row.enrolment.person_id
        saved_weight = str(row.current.weight_kg) if row.current else ""
        saved_height = str(row.current.height_cm) if row.current else ""
        weight, height = typed.get(pid, (saved_weight, saved_height))
        rows.append(
            FormRow(
                row.enrolment,
                row.previous,
                row.current,
                weight,
                height,
                warnings.get(pid, []),
                pid in confirmed,
            )
        )
    context = {
        "classroom": classroom,
        "day": day,
        "today": timezone.localdate(),
        "rows": rows,
        "problems": problems,
        "reference": reference_for(school_id=classroom.school_id).name,
    }
    return render(request, "health/measure.html", context, status=400 if problems else 200)


@login_required
def growth(request: HttpRequest, uuid: str) -> HttpResponse:
    """A child's measurements with z-scores and bands, and height-for-age and BMI-for-age charts."""
    try:
        person, measurements = selectors.growth_of(actor=request.user, uuid=str(uuid))
    except NotAllowed as error:
        raise Http404 from error
    charts = []
    if person.sex in ("M", "F"):
        for indicator, value in (
            (Indicator.HEIGHT_FOR_AGE, lambda m: float(m.height_cm)),
            (Indicator.BMI_FOR_AGE, lambda m: float(m.weight_kg) / (float(m.height_cm) / 100) ** 2),
        ):
            chart = growth_chart(
                indicator=indicator,
                sex=person.sex,  # type: ignore[arg-type]
                points=[(float(m.age_months), value(m), m.measured_on.isoformat()) for m in measurements],
            )
            if chart is not None:
                charts.append(chart)
    # Each measurement keeps the reference its bands came from; name every one shown.
    references = list(dict.fromkeys(m.reference for m in measurements if m.reference is not None))
    context = {"person": person, "measurements": measurements, "charts": charts, "references": references}
    return render(request, "health/growth.html", context)
