from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "khru.org"
    label = "org"
