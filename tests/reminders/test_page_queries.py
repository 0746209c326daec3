"""The reminders page costs the same queries for a school of 20 as for one of 2,000."""

from tests.agreements.test_dashboard import add_people


def test_reminders_page_queries_do_not_grow_with_people(
    demo, login, django_assert_num_queries, django_assert_max_num_queries
):
    client = login("head")
    add_people(demo["glenwood"], 20, "few")
    client.get("/reminders/")  # the session and the school's settings made once
    with django_assert_max_num_queries(30) as few:
        page = client.get("/reminders/")
    assert page.status_code == 200
    before = _chasers(page)
    # The demo's one decline of the staff agreement is counted apart: it is followed up in person.
    staff_row = before.split("Staff Acceptable Use Agreement</td>")[1].split("</tr>")[0]
    assert staff_row.endswith("<td>1</td>"), staff_row
    add_people(demo["glenwood"], 1980, "many")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/reminders/")
    # The 1,980 newcomers are really counted: the numbers to be reminded have grown.
    assert _chasers(page) != before


def _chasers(page):
    return page.content.decode().split('id="upcoming-chasers"')[1].split("</table>")[0]
