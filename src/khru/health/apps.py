from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "khru.health"
    label = "health"
