from django.urls import path, re_path

from khru.insights import views

app_name = "insights"
FIGURE = r"figures/(?P<name>[a-z_0-9]+)\.(?P<fmt>svg|csv)$"
urlpatterns = [
    path("", views.index, name="index"),
    path("classes/<uuid:uuid>", views.classroom, name="class"),
    re_path(r"^classes/(?P<uuid>[0-9a-f-]{36})/" + FIGURE, views.class_figure, name="class_figure"),
    path("schools/<str:code>.pdf", views.school_pdf, name="school_pdf"),
    path("schools/<str:code>", views.school, name="school"),
    path("schools/<str:code>/registers", views.school_registers, name="school_registers"),
    re_path(r"^schools/(?P<code>[^/]+)/" + FIGURE, views.school_figure, name="school_figure"),
    path("areas/<str:code>", views.area, name="area"),
    re_path(r"^areas/(?P<code>[^/]+)/" + FIGURE, views.area_figure, name="area_figure"),
    path("analysis", views.analysis, name="analysis"),
    re_path(r"^analysis/figure\.(?P<fmt>svg|csv)$", views.analysis_figure, name="analysis_figure"),
    path("students/<uuid:uuid>", views.student, name="student"),
    re_path(r"^students/(?P<uuid>[0-9a-f-]{36})/" + FIGURE, views.student_figure, name="student_figure"),
]
