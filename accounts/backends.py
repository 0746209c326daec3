from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied

# Set on a request refused because its username and address are locked: it is recorded as a
# lockout, not as one more wrong password.
REFUSED_WHILE_LOCKED = "refused_while_locked"


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check of a locked username and address. A sign-in with no web request (a
    management shell, the test client's login()) has no address to lock, so it is not counted."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, REFUSED_WHILE_LOCKED, True)
            raise
