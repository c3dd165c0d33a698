from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "khru.assessment"
    label = "assessment"
