from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "khru.care"
    label = "care"
