from django.urls import path

from khru.attendance import views

app_name = "attendance"
urlpatterns = [
    path("classrooms/<uuid:uuid>/register", views.register, name="register"),
    path("classrooms/<uuid:uuid>/", views.overview, name="overview"),
    path("classrooms/<uuid:uuid>/leave", views.leave, name="leave"),
    path("registers/<uuid:uuid>/history", views.register_history, name="history"),
]
