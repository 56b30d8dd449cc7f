from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
