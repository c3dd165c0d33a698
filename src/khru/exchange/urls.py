from django.urls import path

from khru.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:pk>/revoke", views.revoke, name="revoke"),
]
