from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "khru.insights"
    label = "insights"
