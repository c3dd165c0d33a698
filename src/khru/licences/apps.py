from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "khru.licences"
    label = "licences"
