from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "khru.core"
    label = "core"
