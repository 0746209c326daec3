from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Acceptable Use Agreements"

    def ready(self):
        from . import receivers  # noqa: F401
