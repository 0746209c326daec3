"""The production settings, with the floor view's URL added and static files served unhashed (the
benchmark measures pages, not collectstatic)."""

from glenwood.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The concurrent-signing measure talks plain HTTP to gunicorn on the loopback interface.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
