"""Adding many trainees at once: pasted usernames (a line each, or comma-separated) or a CSV file,
with a report line per name; a trainee may be in several cohorts; a coach adds their own trainees
and learns nothing about accounts outside their reach (the same words for "no such user" and
"not yours", who are invited)."""
from __future__ import annotations

import html as htmllib
import io
import re

import pytest

from test_coach_flow import Coach
from trainer.models import CohortInvite, User

NOT_IN_REACH = ("Not added: none of your trainees has this username. If it is a trainee, they have been "
                "sent an invitation and join when they accept it.")


@pytest.fixture
def world(make_user, make_cohort):
    """carol runs A (amy) and C (cara); dave runs B (bob); eve is in no cohort; root is an admin."""
    carol, dave = make_user("carol", role="coach"), make_user("dave", role="coach")
    a, b, c = make_cohort("A", coach=carol), make_cohort("B", coach=dave), make_cohort("C", coach=carol)
    make_user("amy", cohort=a), make_user("bob", cohort=b), make_user("cara", cohort=c)
    make_user("eve")
    make_user("root", role="admin")
    return {"A": a, "B": b, "C": c}


def report(page: str) -> list:
    """(line, username, result) per row of the report table."""
    table = re.search(r'<table class="bulk-report".*?</table>', page, re.S).group(0)
    return [tuple(re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
            for row in re.findall(r"<tr><td>.*?</tr>", table, re.S)]


def post(client, auth, cohort, data, content_type=None):
    data = {**data, "csrf_token": auth.csrf("/coach/")}
    response = client.post(f"/coach/cohorts/{cohort.id}/members/bulk", data=data,
                           content_type=content_type or "multipart/form-data")
    return response.status_code, htmllib.unescape(response.get_data(as_text=True))


def test_an_admin_adds_pasted_usernames_and_reads_why_some_were_not(client, auth, world):
    Coach(client, auth, "root")
    status, page = post(client, auth, world["A"], {"usernames": "eve, bob\n\nnobody，carol\namy\neve"})
    assert status == 200
    assert report(page) == [
        ("1", "eve", "Added"),
        ("1", "bob", "Added"),                                    # and still in B
        ("3", "nobody", "There is no user named “nobody”"),
        ("3", "carol", "“carol” is a coach; only trainees join cohorts"),
        ("4", "amy", "“amy” is already in this cohort"),
        ("5", "eve", "Listed twice: added once at most"),
    ]
    assert "2 of 6 added" in page
    assert User.query.filter_by(username="eve").one().cohort_ids == {world["A"].id}
    assert User.query.filter_by(username="bob").one().cohort_ids == {world["A"].id, world["B"].id}


def test_a_coach_reads_the_same_words_for_unknown_and_unreachable_names(client, auth, world):
    Coach(client, auth, "carol")
    status, page = post(client, auth, world["A"], {"usernames": "amy\ncara\nbob\nnobody\neve\ndave"})
    assert status == 200
    lines = report(page)
    assert lines[0] == ("1", "amy", "Already in this cohort")
    assert lines[1] == ("2", "cara", "Added")                               # in her cohort C: within reach
    assert [r[2] for r in lines[2:]] == [NOT_IN_REACH] * 4                  # bob (dave's), nobody, eve, a coach
    assert "2 of 6 added" not in page and "1 of 6 added" in page
    cara, bob, eve = (User.query.filter_by(username=n).one() for n in ("cara", "bob", "eve"))
    assert cara.cohort_ids == {world["A"].id, world["C"].id}
    assert eve.cohorts == [] and bob.cohort_ids == {world["B"].id}          # invited: they join by accepting
    assert sorted(i.user_id for i in CohortInvite.query.all()) == sorted([bob.id, eve.id])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_file_with_a_header_row_is_read_from_its_first_column(client, auth, world, encoding):
    Coach(client, auth, "root")
    body = "用户名,姓名\neve,易小伊\nnobody,无名\n".encode(encoding)
    status, page = post(client, auth, world["A"], {"file": (io.BytesIO(body), "名单.csv")})
    assert status == 200
    assert report(page) == [("2", "eve", "Added"), ("3", "nobody", "There is no user named “nobody”")]


@pytest.mark.parametrize("data, message", [
    ({"usernames": " \n , "}, "Please enter at least one username"),
    ({"usernames": "\n".join(f"user{i}" for i in range(201))}, "At most 200 usernames at a time; this list has 201"),
    ({"file": (io.BytesIO(b"\xff\xfe\x00\xd8\x00"), "x.csv")}, "The file is not a text CSV file"),
])
def test_a_list_that_cannot_be_read_says_why(client, auth, world, data, message):
    Coach(client, auth, "carol")
    status, page = post(client, auth, world["A"], data)
    assert status == 422 and message in page
    assert CohortInvite.query.count() == 0


def test_another_coachs_cohort_is_refused(client, auth, world):
    Coach(client, auth, "dave")
    status, _ = post(client, auth, world["A"], {"usernames": "eve"})
    assert status == 403 and CohortInvite.query.count() == 0
