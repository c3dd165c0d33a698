from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "khru.welfare"
    label = "welfare"
