"""The small things users notice: spreadsheets, plurals, names of roles, links, audit wording."""

import codecs
import csv
import io
import subprocess
from pathlib import Path

import pytest

from agreements.models import Agreement, AgreementKind
from people import services as people_services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff_aua(demo):
    return Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)


def test_dashboard_csv_starts_with_a_bom_so_excel_reads_accented_names(demo, login, staff_aua):
    pupil = demo["pupil7"]
    pupil.first_name = "Zoë"
    pupil.save(update_fields=["first_name"])
    ks3 = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.KS3)
    response = login("admin").get(f"/agreements/dashboard.csv?agreement={ks3.pk}&status=all")
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert "School" in rows[0], "the BOM is not glued to the first heading"
    assert any(r["First name"] == "Zoë" for r in rows)


def test_the_import_sample_starts_with_a_bom(demo, login):
    response = login("admin").get("/people/import/sample.csv")
    assert b"".join(response.streaming_content).startswith(codecs.BOM_UTF8)


def test_one_person_is_a_person_not_people(demo, login, staff_aua):
    page = login("admin").get(f"/agreements/dashboard/?agreement={staff_aua.pk}&status=all&q=Quinn")
    assert page.status_code == 200
    html = page.content.decode()
    count = html.split('id="people-count">')[1].split("<")[0]
    assert count.strip() in {"1 person"}, count


def test_the_interface_says_designated_safeguarding_lead(demo, login):
    for username in ("pupil7", "teacher"):
        html = login(username).get("/breaches/report/").content.decode()
        assert "Designated Safeguarding Lead" in html
        assert "Safety Lead" not in html
    people_page = login("admin").get(f"/people/{demo['dsl'].pk}/").content.decode()
    assert "Designated safeguarding lead" not in people_page


def test_make_run_points_links_at_the_port_it_serves():
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", "print-site-url: ; @echo $$SITE_URL",
         "print-site-url", "PORT=8123"],
        cwd=ROOT, capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.stdout.strip() == "http://127.0.0.1:8123"


def test_a_persons_history_says_what_changed_in_words(demo, login):
    pupil = demo["pupil7"]
    people_services.person_update(actor=demo["admin"], person=pupil, year_group=8, roles=["pupil"])
    html = login("admin").get(f"/people/{pupil.pk}/").content.decode()
    assert "Changed school details: Year group: 7 → 8" in html
    assert "person.updated" not in html
    teacher = demo["teacher"]
    people_services.person_update(actor=demo["admin"], person=teacher, roles=["staff", "governor"])
    html = login("admin").get(f"/people/{teacher.pk}/").content.decode()
    assert "Role given: Governor" in html and "person.role_granted" not in html


def test_pupils_see_the_words_not_a_hash(demo, login):
    ks3 = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.KS3)
    version = ks3.policy.current_version
    pupil_page = login("pupil7").get(f"/agreements/{ks3.pk}/sign/").content.decode()
    assert "I will keep my passwords secret" in pupil_page
    assert version.sha256 not in pupil_page.replace(f'value="{version.sha256}"', "")
    staff = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    teacher_page = login("teacher").get(f"/agreements/{staff.pk}/sign/").content.decode()
    assert '<span class="hash"' in teacher_page


def test_the_sign_page_uses_each_id_once(demo, login):
    import re
    from collections import Counter

    ks3 = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.KS3)
    html = login("pupil7").get(f"/agreements/{ks3.pk}/sign/").content.decode()
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
    assert repeated == []
