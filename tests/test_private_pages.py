"""Every page a signed-in person sees is `Cache-Control: private, no-store`, so personal data never
sits in a shared browser's cache or a proxy: the home page, an evidence PDF and the dashboard CSV
among them (none of which said anything before). Static files are left cacheable."""

import pytest

from agreements.models import Agreement, Signature


def directives(response) -> set[str]:
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",") if d.strip()}


@pytest.fixture
def head(demo, login):
    return login("head")


def test_home_is_private_and_not_stored(head):
    response = head.get("/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_an_evidence_pdf_is_private_and_not_stored(demo, login):
    signature = Signature.objects.filter(person__username="y7pupil1").first()
    response = login("y7pupil1").get(f"/agreements/signatures/{signature.pk}/evidence.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= directives(response)


def test_the_dashboard_csv_is_private_and_not_stored(demo, head):
    ks3 = Agreement.objects.get(school=demo["glenwood"], kind="ks3")
    response = head.get(f"/agreements/dashboard.csv?agreement={ks3.pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response)


def test_the_public_policies_page_may_be_cached_even_for_someone_signed_in(demo, head):
    """The same for everyone and holding nothing personal, so the middleware leaves it public."""
    response = head.get("/schools/glenwood/policies/")
    assert response.status_code == 200
    assert "public" in directives(response) and "no-store" not in directives(response)
    # Its not-found page carries the signed-in person's menus: private like any other.
    missing = head.get("/schools/nowhere/policies/")
    assert missing.status_code == 404 and {"private", "no-store"} <= directives(missing)


def test_pages_for_anonymous_visitors_and_static_files_are_left_alone(demo, head):
    from django.test import Client

    assert "no-store" not in directives(Client().get("/healthz"))
    assert "no-store" not in directives(head.get("/static/css/portal.css"))
