from django.urls import path

from khru.org import views

app_name = "org"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("schools/", views.school_list, name="schools"),
    path("schools/<str:code>/", views.school_detail, name="school"),
    path("schools/<str:code>/calendar", views.school_calendar, name="school_calendar"),
    path("agencies/<str:code>/calendar", views.agency_calendar, name="agency_calendar"),
    path("calendar/<int:pk>/remove", views.calendar_day_remove, name="calendar_day_remove"),
    path("schools/<str:code>/classrooms/new", views.classroom_create, name="classroom_create"),
    path("classrooms/<uuid:uuid>/", views.classroom_detail, name="classroom"),
    path("classrooms/<uuid:uuid>/teachers", views.teacher_assign, name="teacher_assign"),
    path(
        "classrooms/<uuid:uuid>/teachers/<int:membership_id>/remove",
        views.teacher_remove,
        name="teacher_remove",
    ),
]
