from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Schools and people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_remember_how_they_logged_in, dispatch_uid="people.auth_method")


def _remember_how_they_logged_in(sender, request, user, **kwargs):
    # A signature records how its signer was authenticated; a password login is the default.
    if request is not None and hasattr(request, "session"):
        request.session.setdefault("auth_method", "password")
