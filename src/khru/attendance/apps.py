from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "khru.attendance"
    label = "attendance"
