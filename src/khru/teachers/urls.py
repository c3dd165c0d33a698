from django.urls import path

from khru.teachers import views

app_name = "teachers"
urlpatterns = [
    path("me/", views.my_record, name="me"),
    path("staff/", views.staff, name="staff"),
    path("staff/<uuid:uuid>/", views.staff_record, name="staff_record"),
    path("staff/<uuid:uuid>/<str:part>/", views.staff_part, name="staff_part"),
    path("<uuid:uuid>/record.pdf", views.record_pdf, name="record_pdf"),
    path("activities/<uuid:uuid>/evidence/", views.evidence_file, name="evidence"),
    path("activities/<uuid:uuid>/delete/", views.delete_activity, name="delete_activity"),
    path("training/", views.training_home, name="training"),
    path("training/imports/<uuid:uuid>/", views.import_preview, name="import_preview"),
]
