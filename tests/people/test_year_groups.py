"""Which agreement each year group signs: the defaults, the sixth form, and the dashboard's warning
about pupils who owe nothing because of a gap."""

import pytest

from agreements.models import Agreement, AgreementKind
from agreements.obligations import kinds_owed_by, people_bound_by
from audit.models import AuditEntry
from people.models import Person, Role, RoleAssignment
from people.year_groups import year_agreements

GAP = 'id="year-group-gap"'


@pytest.fixture
def sixth_former(demo):
    person = Person.objects.create_user(
        username="y12pupil", first_name="Ayesha", last_name="Khan", email="y12@glenwood.example",
        school=demo["glenwood"], year_group=12, admission_number="12001", password="x",
    )  # fmt: skip
    RoleAssignment.objects.create(person=person, role=Role.PUPIL)
    return person


def ks(demo, kind):
    return Agreement.objects.get(school=demo["glenwood"], kind=kind)


def test_defaults_cover_years_7_to_11_and_leave_the_sixth_form_to_the_school(demo, sixth_former):
    assert year_agreements(demo["glenwood"].pk) == {
        7: "ks3",
        8: "ks3",
        9: "ks3",
        10: "ks4",
        11: "ks4",
        12: "",
        13: "",
    }
    assert kinds_owed_by(demo["pupil7"]) == [AgreementKind.KS3]
    assert kinds_owed_by(demo["pupil10"]) == [AgreementKind.KS4]
    assert kinds_owed_by(sixth_former) == []


def test_the_dashboard_warns_of_pupils_who_owe_nothing_until_the_school_chooses(demo, login, sixth_former):
    head = login("head")
    page = head.get("/agreements/dashboard/").content.decode()
    assert GAP in page and "1 pupil at Glenwood School in Year 12 owes no agreement" in page

    page = head.get("/people/year-groups/").content.decode()
    assert "Sixth form: the school" in page and "Year 13" in page
    form = {f"year_{y}": k for y, k in year_agreements(demo["glenwood"].pk).items()}
    response = head.post("/people/year-groups/", {**form, "year_12": "ks4", "year_13": "ks4"}, follow=True)
    assert "Year groups saved" in response.content.decode()

    assert kinds_owed_by(sixth_former) == [AgreementKind.KS4]
    assert sixth_former in people_bound_by(ks(demo, AgreementKind.KS4))
    assert GAP not in head.get("/agreements/dashboard/").content.decode()
    entry = AuditEntry.objects.get(action="year_groups.changed")
    assert entry.actor == demo["head"] and entry.detail == {"12": ["", "ks4"], "13": ["", "ks4"]}


def test_a_school_may_move_a_year_group_to_another_agreement(demo, login):
    form = {f"year_{y}": k for y, k in year_agreements(demo["glenwood"].pk).items()}
    login("admin").post("/people/year-groups/", {**form, "year_9": "ks4"})
    year9 = Person.objects.filter(school=demo["glenwood"], year_group=9).first()
    assert kinds_owed_by(year9) == [AgreementKind.KS4]
    assert year9 not in people_bound_by(ks(demo, AgreementKind.KS3))
    # Taking Year 9 off every agreement is a gap the dashboard names.
    login("admin").post("/people/year-groups/", {**form, "year_9": ""})
    page = login("head").get("/agreements/dashboard/").content.decode()
    assert "in Year 9 owe no agreement" in page


def test_a_value_that_is_not_an_agreement_is_refused(demo, login):
    form = {f"year_{y}": k for y, k in year_agreements(demo["glenwood"].pk).items()}
    response = login("admin").post("/people/year-groups/", {**form, "year_12": "staff"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert year_agreements(demo["glenwood"].pk)[12] == ""
