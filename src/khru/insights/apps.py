from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "khru.insights"
    label = "insights"

    def ready(self) -> None:
        # The capture domains announce their saves through core.derived; they never import insights.
        from khru.core import derived
        from khru.insights import tasks

        derived.listen(derived.REGISTER, tasks.register_saved)
        derived.listen(derived.COURSE, tasks.course_changed)
