from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "khru.reports"
    label = "reports"
