from django.urls import path

from khru.health import views

app_name = "health"
urlpatterns = [
    path("classrooms/<uuid:uuid>/measure", views.measure, name="measure"),
    path("students/<uuid:uuid>/growth", views.growth, name="growth"),
]
