from django.urls import include, path

from khru.exchange.api import api
from khru.licences.views import verify as verify_licence
from khru.reports.views import verify

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("khru.web.urls")),
    path("people/", include("khru.people.urls")),
    path("org/", include("khru.org.urls")),
    path("assessment/", include("khru.assessment.urls")),
    path("attendance/", include("khru.attendance.urls")),
    path("care/", include("khru.care.urls")),
    path("health/", include("khru.health.urls")),
    path("welfare/", include("khru.welfare.urls")),
    path("teachers/", include("khru.teachers.urls")),
    path("licences/", include("khru.licences.urls")),
    path("verify/licence/<str:number>", verify_licence, name="verify_licence"),
    path("reports/", include("khru.reports.urls")),
    path("verify/<str:code>", verify, name="verify"),
    path("insights/", include("khru.insights.urls")),
    path("earlywarning/", include("khru.earlywarning.urls")),
    path("tokens/", include("khru.exchange.urls")),
]
