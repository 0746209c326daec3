"""Password log-in by username or email that refuses leavers and accounts past their access expiry
(supply staff, trainees)."""

from allauth.account.auth_backends import AuthenticationBackend


class ExpiringAccountBackend(AuthenticationBackend):
    def user_can_authenticate(self, user):
        # ModelBackend asks this both at log-in and when it loads a session's user, so an expired
        # account is refused in both places; the middleware then explains why to the person.
        return super().user_can_authenticate(user) and not getattr(user, "is_locked_out", False)
