from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "khru.org"
    label = "org"

    def ready(self) -> None:
        from khru.org import signals  # noqa: F401  (connects the sign-in and sign-out audit)
