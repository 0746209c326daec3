"""The school's public policies page: anyone may read the published policies the school marks public,
as HTML and PDF, and the school's website may frame the list. Nothing else is ever shown."""

import datetime
import io

import pytest
from django.test import Client
from pypdf import PdfReader

from policies import services
from policies.models import Policy, VersionStatus

LIST = "/schools/glenwood/policies/"


@pytest.fixture
def anonymous():
    return Client()


def policy(demo, title):
    return Policy.objects.get(school=demo["glenwood"], title=title)


def test_anyone_reads_the_public_policies_without_signing_in(demo, anonymous):
    response = anonymous.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    social = policy(demo, "Use of Social Media Policy")
    assert "Use of Social Media Policy" in page and "Online Safety Policy" in page
    assert f"/schools/glenwood/policies/{social.pk}/" in page
    assert f"/schools/glenwood/policies/{social.pk}.pdf" in page
    assert social.current_version.next_review_on.strftime("%-d %B %Y") in page
    # The demo keeps its disciplinary procedure to itself; Hillside's policies are on Hillside's page.
    assert "Disciplinary Policy and Procedure" not in page
    assert "Hillside" not in page


def test_a_policy_page_shows_the_published_text_never_a_draft(demo, anonymous):
    social = policy(demo, "Use of Social Media Policy")
    published = social.current_version
    draft = services.version_draft(
        actor=demo["head"], policy=social, reviewed_on=datetime.date(2026, 11, 20),
        body=published.body + "\n\nA DRAFT SENTENCE NOBODY HAS APPROVED.\n",
    )  # fmt: skip
    page = anonymous.get(f"/schools/glenwood/policies/{social.pk}/").content.decode()
    assert published.label in page and "Next review" in page
    assert "A DRAFT SENTENCE" not in page
    services.version_submit(actor=demo["head"], version=draft)
    assert (
        "A DRAFT SENTENCE" not in anonymous.get(f"/schools/glenwood/policies/{social.pk}/").content.decode()
    )
    assert "A DRAFT SENTENCE" not in anonymous.get(LIST).content.decode()


def test_a_policy_never_published_or_not_public_is_not_found(demo, anonymous):
    head = demo["head"]
    fgb = demo["glenwood"].governing_bodies.get(short_name="FGB")
    unpublished = services.policy_create(
        actor=head, school=demo["glenwood"], title="Mobile Phone Policy", approval_body=fgb,
        body="UNPUBLISHED TEXT", reviewed_on=datetime.date(2026, 11, 1), public=True,
    )  # fmt: skip
    private = policy(demo, "Disciplinary Policy and Procedure")
    assert private.current_version.status == VersionStatus.PUBLISHED and not private.public
    for pk in (unpublished.pk, private.pk):
        assert anonymous.get(f"/schools/glenwood/policies/{pk}/").status_code == 404
        assert anonymous.get(f"/schools/glenwood/policies/{pk}.pdf").status_code == 404
    page = anonymous.get(LIST).content.decode()
    assert "Mobile Phone Policy" not in page and "UNPUBLISHED TEXT" not in page


def test_a_retired_policy_leaves_the_public_page(demo, anonymous):
    online = policy(demo, "Online Safety Policy")
    services.version_retire(actor=demo["head"], version=online.current_version)
    assert "Online Safety Policy" not in anonymous.get(LIST).content.decode()
    assert anonymous.get(f"/schools/glenwood/policies/{online.pk}/").status_code == 404


def test_unknown_school_and_another_schools_policy_are_not_found(demo, anonymous):
    assert anonymous.get("/schools/nowhere/policies/").status_code == 404
    hillside = Policy.objects.get(school=demo["hillside"])
    hillside.public = True
    hillside.save(update_fields=["public"])
    assert anonymous.get(f"/schools/glenwood/policies/{hillside.pk}/").status_code == 404
    assert anonymous.get(f"/schools/hillside/policies/{hillside.pk}/").status_code == 200


def test_the_pdf_is_the_published_text(demo, anonymous):
    social = policy(demo, "Use of Social Media Policy")
    response = anonymous.get(f"/schools/glenwood/policies/{social.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Use of Social Media Policy" in text and social.current_version.label in text
    assert "Glenwood School" in text


def test_the_public_pages_may_be_framed_and_the_portal_may_not(demo, anonymous, login):
    social = policy(demo, "Use of Social Media Policy")
    for url in (
        LIST,
        f"/schools/glenwood/policies/{social.pk}/",
        f"/schools/glenwood/policies/{social.pk}.pdf",
    ):
        response = anonymous.get(url)
        assert "X-Frame-Options" not in response, url
        assert "frame-ancestors *" in response["Content-Security-Policy"], url
    portal = login("head").get("/policies/")
    assert portal["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in portal["Content-Security-Policy"]


def test_the_list_offers_a_snippet_to_embed_it(demo, anonymous):
    page = anonymous.get(LIST).content.decode()
    assert "Embed this list on your website" in page
    assert '&lt;iframe src="http://testserver/schools/glenwood/policies/"' in page


def test_the_public_pages_hold_nothing_of_the_person_signed_in(demo, login):
    page = login("head").get(LIST).content.decode()
    assert "Helen" not in page and "Log out" not in page


def test_the_head_marks_a_new_policy_public_from_the_form(demo, login):
    client = login("head")
    fgb = demo["glenwood"].governing_bodies.get(short_name="FGB")
    client.post(
        "/policies/new/",
        {"title": "Charging Policy", "reviewer_role": "headteacher", "approval_body": fgb.pk,
         "review_interval_months": 12, "for_staff": "on", "public": "on", "body": "Text",
         "reviewed_on": "2026-11-01"},
    )  # fmt: skip
    assert Policy.objects.get(title="Charging Policy").public is True
    assert 'href="/schools/glenwood/policies/"' in client.get("/policies/").content.decode()


def test_post_is_refused(demo, anonymous):
    assert anonymous.post(LIST).status_code == 405
