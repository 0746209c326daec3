from django.apps import AppConfig


class BreachesConfig(AppConfig):
    name = "breaches"
    verbose_name = "Breach and concern reports"
