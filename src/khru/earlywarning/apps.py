from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "khru.earlywarning"
    label = "earlywarning"
    verbose_name = "Early warning"
