"""The shared shape of the permission tables: one URL, every persona, the status each should get."""

from people.models import Person

LOGIN = 302  # anonymous visitors are sent to the login page


def expect(personas, default, **overrides):
    """Expected status for every persona: `default` unless named in overrides (dash for underscore)."""
    table = dict.fromkeys(personas, default)
    table.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return table


def assert_answers(client, url, by_user, *, method="get", data=None, anonymous=LOGIN):
    """Request `url` anonymously and as each persona; a persona expected as None is skipped."""
    send = getattr(client, method)
    assert send(url, data or {}).status_code == anonymous, "anonymous"
    for username, expected in by_user.items():
        if expected is None:
            continue
        client.force_login(Person.objects.get(username=username))
        assert send(url, data or {}).status_code == expected, username
        client.logout()
