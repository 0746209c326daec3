"""The monitoring-flag import bounds its file: a lone surrogate, deep nesting, huge cells, NULs and
too many rows are each refused with a message on the import page, never a 500, and nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from breaches.models import Case, MonitoringFlag

GOOD_ROW = '{"time": "2026-11-19T10:02:00Z", "device": "PC1", "account": "pupil10", "phrase": "knife"}'


def post_import(client, content: bytes, name="flags.json"):
    return client.post(
        "/breaches/flags/import/",
        {"data_file": SimpleUploadedFile(name, content, content_type="application/json")},
    )


@pytest.mark.parametrize(
    "content,message",
    [
        # JSON's escape for half of a character pair: valid JSON, invalid Unicode.
        (
            b'[{"time": "2026-11-19T10:02:00Z", "device": "PC1", "account": "pupil10", "phrase": "\\ud800"}]',
            "has a character that is not valid Unicode (\\ud800, half of a pair)",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "The JSON nests lists or objects 100,000 levels deep"),
        (b'{"flags": [' + GOOD_ROW.replace("knife", "k" * 5000).encode() + b"]}", "holds 5,000 characters"),
        (b"[" + GOOD_ROW.replace("knife", "kn\\u0000ife").encode() + b"]", "has a NUL character"),
        (b"[" + b",".join([GOOD_ROW.encode()] * 1001) + b"]", "import at most 1000 at a time"),
        (b'[{"time": [1, 2], "device": "PC1", "account": "pupil10", "phrase": "x"}]', "is a list or object"),
    ],
    ids=["lone surrogate", "deep nesting", "huge cell", "NUL", "too many rows", "nested value"],
)
def test_a_hostile_json_export_is_refused_with_a_message(demo, login, content, message):
    response = post_import(login("dsl"), content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert message in page, page[page.find("Nothing was imported") :][:600]
    assert not Case.objects.exists() and not MonitoringFlag.objects.exists()


@pytest.mark.parametrize(
    "content,message",
    [
        (
            b"Time,Device,User,Phrase\n2026-11-19 10:02,PC1,pupil10," + b"x" * 200_000 + b"\n",
            "a cell holds more than 131,072 characters",
        ),
        (b"Time,Device,User,Phrase\n2026-11-19 10:02,PC1,pupil10,kn\x00ife\n", "has a NUL character"),
        (b"Time,Device,User,Phrase\n" + b"2026-11-19 10:02,PC1,pupil10,x\n" * 2100, "more than 2,000 rows"),
    ],
    ids=["huge cell", "NUL", "too many rows"],
)
def test_a_hostile_csv_export_is_refused_with_a_message(demo, login, content, message):
    response = post_import(login("dsl"), content, name="flags.csv")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists()
