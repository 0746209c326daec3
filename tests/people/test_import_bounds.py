"""The people import refuses a file beyond its bounds (a huge cell, a NUL, endless blank rows) with
a message on the upload page, before any row is used."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from people.models import ImportBatch

HEAD = b"first_name,last_name,email,role\n"


@pytest.mark.parametrize(
    "data,message",
    [
        (
            HEAD + b"Jo," + b"B" * 50_000 + b",jo@example.org,staff\n",
            "Row 2, column 2 holds 50,000 characters",
        ),
        # Past the first 4 KB, where a NUL would mean a UTF-16 file.
        (
            HEAD + b"Al,Bo,al@example.org,staff\n" * 200 + b"Jo,Be\x00ll,jo@example.org,staff\n",
            "Row 202, column 2 has a NUL character",
        ),
        (HEAD + b",,,\n" * 10_001 + b"Jo,Bell,jo@example.org,staff\n", "more than 10,000 rows"),
    ],
    ids=["huge cell", "NUL", "endless blank rows"],
)
def test_a_file_beyond_the_bounds_is_refused_with_a_message(demo, login, data, message):
    response = login("admin").post(
        "/people/import/",
        {"kind": "everyone", "file": SimpleUploadedFile("mis.csv", data, content_type="text/csv")},
        follow=True,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()
