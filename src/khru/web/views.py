from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from khru.care import selectors as care_selectors
from khru.org import selectors as org_selectors
from khru.web.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    schools = org_selectors.schools_with_counts(actor=request.user)
    overdue = care_selectors.overdue_actions(actor=request.user, today=timezone.localdate())
    return render(
        request,
        "web/home.html",
        {
            "schools": schools,
            "my_classrooms": org_selectors.my_classrooms(actor=request.user)[:20],
            "overdue": overdue,
        },
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root so it may control /attendance/ pages (offline register)."""
    response = render(request, "web/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
