from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "khru.demo"
    label = "demo"
