from django.urls import path

from khru.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.course_list, name="courses"),
    path("schools/<str:code>/terms", views.terms, name="terms"),
    path("areas/<str:code>/terms", views.area_terms, name="area_terms"),
    path("schools/<str:code>/curriculum", views.school_curriculum, name="school_curriculum"),
    path("agencies/<str:code>/curriculum", views.agency_curriculum, name="agency_curriculum"),
    path("schools/<str:code>/year-rule", views.year_rule, name="year_rule"),
    path("classrooms/<uuid:uuid>/", views.classroom_view, name="classroom"),
    path("classrooms/<uuid:uuid>/courses/new", views.course_create, name="course_create"),
    path("classrooms/<uuid:uuid>/year-results", views.year_results, name="year_results"),
    path("courses/<uuid:uuid>/", views.course_detail, name="course"),
    path("courses/<uuid:uuid>/results", views.results, name="results"),
    path("courses/<uuid:uuid>/edit", views.course_edit, name="course_edit"),
    path("items/<uuid:uuid>/", views.gradebook, name="gradebook"),
    path("results/<int:pk>/remedial", views.remedial, name="remedial"),
]
