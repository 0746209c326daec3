"""Forbidden, missing and broken pages keep the portal's layout and say where to go next."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from agreements.models import Agreement, AgreementKind


@pytest.mark.django_db
def test_a_missing_page_says_what_happened_and_links_home(demo, login):
    client = login("teacher")
    response = client.get("/policies/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'href="/"' in html
    assert 'aria-label="Main"' in html  # the portal's own navigation, not a bare "Not Found"


@pytest.mark.django_db
def test_a_forbidden_page_says_the_role_does_not_allow_it(demo, login):
    client = login("pupil7")
    response = client.get("/policies/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You are not allowed to see this page" in html
    assert "Your home page" in html


def test_a_server_error_page_renders_without_a_database_or_a_user():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Log in" in html


@pytest.mark.django_db
def test_a_failed_form_starts_with_an_announced_summary_linked_to_each_field(demo, login):
    client = login("pupil7")
    agreement = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.KS3)
    page = client.get(f"/agreements/{agreement.pk}/sign/")
    assert page.status_code == 200, "the demo pupil owes this agreement"
    response = client.post(f"/agreements/{agreement.pk}/sign/", {"typed_name": ""})
    html = response.content.decode()
    summary_at = html.index('class="alert alert-danger error-summary" role="alert" tabindex="-1"')
    assert summary_at < html.index('id="id_typed_name"'), "the summary comes before the fields"
    assert 'href="#id_typed_name">Type your full name: This field is required.</a>' in html
    assert 'href="#id_consent"' in html
    assert "js/error-summary.js" in html
