from django.urls import path

from khru.care import views

app_name = "care"
urlpatterns = [
    path("classrooms/<uuid:uuid>/", views.classroom, name="classroom"),
    path("classrooms/<uuid:uuid>/derive/", views.derive, name="derive"),
    path("students/<uuid:uuid>/", views.student, name="student"),
    path("students/<uuid:uuid>/questionnaires/<uuid:questionnaire>/", views.respond, name="respond"),
    path("responses/<uuid:uuid>/", views.response, name="response"),
    path("schools/<str:code>/questionnaires/", views.school_forms, name="school_forms"),
    path("schools/<str:code>/follow-up/", views.follow_up, name="follow_up"),
]
