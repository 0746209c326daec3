"""The Content Security Policy read from real responses, and the school's password rule."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from accounts.models import PasswordRule, SignInSettings
from accounts.passwords import SchoolPasswordRule

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("url", ["/accounts/login/", "/verify/"])
def test_every_page_carries_a_content_security_policy_without_inline_script(db, client, url):
    response = client.get(url)
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_signed_in_page_has_it_too(demo, login):
    response = login("teacher").get("/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_no_template_has_inline_script():
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag or 'type="application/json"' in tag, f"{template}: {tag}"


def test_guidance_refuses_summer2026_and_short_passwords_and_takes_three_words(demo):
    rule = SchoolPasswordRule()
    teacher = demo["teacher"]
    for weak in ["Summer2026", "password1234", "glenwood"]:
        with pytest.raises(ValidationError):
            rule.validate(weak, teacher)
    rule.validate("violin kettle meadow", teacher)


def test_the_policy_rule_wants_letters_and_numbers(demo):
    SignInSettings.objects.create(school=demo["glenwood"], password_rule=PasswordRule.POLICY)
    rule = SchoolPasswordRule()
    teacher = demo["teacher"]
    with pytest.raises(ValidationError, match="letters and numbers"):
        rule.validate("violin kettle meadow", teacher)
    rule.validate("Kettle42Meadow", teacher)


def test_under_the_policy_rule_a_six_week_old_password_must_be_changed(demo, client):
    import datetime

    from django.utils import timezone

    from accounts.models import PasswordAge

    SignInSettings.objects.create(school=demo["glenwood"], password_rule=PasswordRule.POLICY)
    PasswordAge.objects.filter(person=demo["teacher"]).update(
        changed_at=timezone.now() - datetime.timedelta(days=43)
    )
    from .helpers import sign_in

    sign_in(client, "teacher")
    response = client.get("/policies/")
    assert response.status_code == 302 and response.url == "/accounts/password/change/"
