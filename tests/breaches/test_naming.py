"""Naming who a concern is about: typed, searched within the reporter's own school (three letters
at least), never a roster; visitors and governors can name staff only."""

import pytest

from breaches.models import Case
from people.models import Person, Role

SEARCH = "/breaches/people/search/"


def pupil_names(school):
    pupils = Person.objects.filter(school=school, role_assignments__role=Role.PUPIL)
    return {p.last_name for p in pupils} | {p.first_name for p in pupils}


@pytest.mark.parametrize("username", ["supply", "trainee", "governor", "chair"])
def test_a_visitors_or_governors_concern_form_offers_no_pupil_names(demo, login, username):
    page = login(username).get("/breaches/report/").content.decode()
    assert "Who is it?" in page and "Type at least three letters of the name of a member of staff" in page
    me = Person.objects.get(username=username)
    names = pupil_names(demo["glenwood"]) - {me.first_name, me.last_name}  # their own name is in the menu
    shown = [name for name in names if name in page]
    assert shown == []
    assert "Year 7" not in page and "Year 10" not in page
    # Nor can the search be made to give one: a pupil's name finds nobody; a teacher's is found.
    assert login(username).get(SEARCH, {"q": "Jamie Cole"}).json()["results"] == []
    assert [r["label"] for r in login(username).get(SEARCH, {"q": "Quinn"}).json()["results"]] == [
        "Quinn, Tara (Teacher of English)"
    ]


def test_the_staff_form_has_no_roster_either(demo, login):
    page = login("teacher").get("/breaches/report/").content.decode()
    assert "Cole" not in page and "Okafor" not in page  # a pupil and a member of staff: neither listed


def test_staff_find_a_pupil_by_three_letters_within_their_own_school(demo, login):
    client = login("teacher")
    assert client.get(SEARCH, {"q": "Co"}).json()["results"] == []  # two letters: nothing
    labels = [r["label"] for r in client.get(SEARCH, {"q": "jamie col"}).json()["results"]]
    assert labels == ["Cole, Jamie (Year 7)"]
    assert client.get(SEARCH, {"q": "Nia Wells"}).json()["results"] == []  # a Hillside pupil
    assert len(client.get(SEARCH, {"q": "Teacher"}).json()["results"]) <= 8


REPORT = {"concerns": "pupil", "category": "friend_request", "what_happened": "A friend request."}


def test_without_javascript_a_name_that_fits_one_person_is_enough(demo, login):
    response = login("teacher").post("/breaches/report/", {**REPORT, "subject_search": "Jamie Cole"})
    assert response.status_code == 302
    assert Case.objects.get().subject_person == demo["pupil7"]


def test_without_javascript_several_matches_are_offered_and_only_they(demo, login):
    pupils = Person.objects.filter(school=demo["glenwood"], role_assignments__role=Role.PUPIL)
    common = max({p.last_name for p in pupils}, key=lambda n: pupils.filter(last_name=n).count())
    matches = pupils.filter(last_name=common)
    assert matches.count() > 1
    response = login("teacher").post("/breaches/report/", {**REPORT, "subject_search": common})
    page = response.content.decode()
    assert response.status_code == 200 and f"people match “{common}”: choose one" in page
    start = page.index('name="subject_person"')
    offered = page[start : page.index("</select>", start)]
    assert offered.count("<option") == matches.count() + 1  # the matches and "Choose one"
    assert "Jamie" not in offered or common == "Cole"
    assert not Case.objects.exists()


def test_a_visitor_cannot_name_a_pupil_by_sending_their_id(demo, login):
    response = login("supply").post("/breaches/report/", {**REPORT, "subject_person": demo["pupil7"].pk})
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Choose the person again by typing their name." in response.content.decode()
