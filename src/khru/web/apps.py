from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "khru.web"
    label = "web"
