from django.urls import path

from khru.people import views

app_name = "people"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("lookup/", views.lookup, name="lookup"),
    path("students/<uuid:uuid>/", views.student_detail, name="student"),
    path("students/<uuid:uuid>/census", views.census, name="census"),
    path("students/<uuid:uuid>/access", views.access_log, name="access_log"),
    path("schools/<str:code>/enrol", views.enrol, name="enrol"),
    path("schools/<str:code>/transfer", views.transfer, name="transfer"),
    path("schools/<str:code>/promote", views.promote, name="promote"),
    path("schools/<str:code>/prefixes", views.prefixes, name="prefixes"),
    path("schools/<str:code>/import", views.roster_upload, name="import"),
    path("imports/<uuid:uuid>/", views.roster_preview, name="import_preview"),
    path("enrolments/<int:pk>/move", views.move, name="move"),
    path("enrolments/<int:pk>/exit", views.exit_view, name="exit"),
]
