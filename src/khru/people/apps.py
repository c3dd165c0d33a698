from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "khru.people"
    label = "people"
