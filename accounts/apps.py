from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Signing in"

    def ready(self):
        from . import receivers  # noqa: F401
