from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "khru.teachers"
    label = "teachers"
