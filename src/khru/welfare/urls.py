from django.urls import path

from khru.welfare import views

app_name = "welfare"
urlpatterns = [
    path("students/<uuid:uuid>/", views.student, name="student"),
    path("students/<uuid:uuid>/household/", views.household, name="household"),
    path("students/<uuid:uuid>/visit/", views.visit, name="visit"),
    path("visits/<uuid:uuid>/follow-up-done/", views.follow_up_done, name="follow_up_done"),
    path("photos/<uuid:uuid>/", views.photo, name="photo"),
    path("classrooms/<uuid:uuid>/visits/", views.classroom, name="classroom"),
    path("schools/<str:code>/poverty/", views.poverty, name="poverty"),
    path("area/poverty/", views.area_poverty, name="area_poverty"),
    path("criteria/", views.criteria, name="criteria"),
]
