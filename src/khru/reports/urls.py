from django.urls import path

from khru.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("ledger", views.ledger, name="ledger"),
    path("people/<uuid:uuid>/pdpa", views.person_export, name="person_export"),
    path("runs/<str:uuid>", views.run, name="run"),
    path("runs/<str:uuid>/file", views.download, name="download"),
    path("<slug:code>/generate", views.generate, name="generate"),
]
