from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from people.seed import DEMO_PASSWORD, demo_codes


def sign_in(client, login, password=DEMO_PASSWORD, ip="10.0.0.1", **extra):
    """Through the log-in form, as a browser posts it."""
    return client.post("/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=ip, **extra)


def sign_in_with_code(client, login, ip="10.0.0.1"):
    """Password, then the demo leader's authenticator code."""
    response = sign_in(client, login, ip=ip)
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/", response
    return client.post("/accounts/2fa/authenticate/", {"code": demo_codes()[0]}, REMOTE_ADDR=ip)


def code_for(secret, at):
    return format_hotp_value(hotp_value(secret, int(at) // 30))
