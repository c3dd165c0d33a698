from django.urls import path

from khru.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("classes/<uuid:uuid>", views.classroom, name="class"),
    path("classes/<uuid:uuid>/follow-up/<uuid:person>", views.follow_up, name="follow_up"),
    path("areas/<str:code>/rule", views.rule, name="rule"),
    path("areas/<str:code>/on-track", views.on_track, name="on_track"),
    path("areas/<str:code>/model", views.model, name="model"),
    path("areas/<str:code>/learning", views.learning, name="learning"),
]
