from django.urls import path

from khru.licences import views

app_name = "licences"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<uuid:uuid>/renew", views.renew, name="renew"),
    path("<uuid:uuid>/pdf", views.pdf, name="pdf"),
    path("schools/", views.schools, name="schools"),
    path("schools/<str:code>/", views.school, name="school"),
    path("council", views.council, name="council"),
    path("council/export/<slug:key>.csv", views.council_export, name="council_export"),
    path("council/renewals/", views.queue, name="queue"),
    path("council/renewals/<uuid:uuid>/decide", views.decide, name="decide"),
    path("renewals/<uuid:uuid>/files/<str:part>", views.renewal_file, name="renewal_file"),
    path("council/record", views.record, name="record"),
    path("council/tests/<str:code>/", views.test_round, name="test_round"),
    path("tests/", views.tests, name="tests"),
]
