"""Helpers for the evidence PDF and export tests: many signatures quickly, PDFs read back."""

import datetime
import io
import os
import re
import shutil
import subprocess
import tempfile

import pytest
from django.utils import timezone
from pypdf import PdfReader

from agreements.models import AuthMethod, Signature
from people.models import Person, Role, RoleAssignment


def add_signed_pupils(agreement, *, year_group, count, witness, prefix="bulk"):
    """`count` pupils of a year group who signed the agreement's current version, made in bulk."""
    version = agreement.policy.current_version
    school = agreement.school
    people = Person.objects.bulk_create(
        Person(
            username=f"{prefix}{year_group}-{i:04d}", school=school, first_name=f"Pupil{i:04d}",
            last_name=f"{prefix.title()}{year_group}", year_group=year_group, email="",
        )
        for i in range(count)
    )  # fmt: skip
    if people[0].pk is None:  # backends that do not return primary keys from a bulk insert
        people = list(
            Person.objects.filter(username__startswith=f"{prefix}{year_group}-").order_by("username")
        )
    RoleAssignment.objects.bulk_create(RoleAssignment(person=p, role=Role.PUPIL) for p in people)
    start = timezone.now() - datetime.timedelta(days=3)
    Signature.objects.bulk_create(
        Signature(
            school=school, agreement=agreement, version=version, person=p, text_sha256=version.sha256,
            consent_wording=agreement.consent_wording, typed_name=p.get_full_name(),
            signed_at=start + datetime.timedelta(minutes=i), ip_address="10.1.2.3",
            user_agent="Mozilla/5.0 (Class iPad)", auth_method=AuthMethod.STAFF_WITNESSED, witness=witness,
        )
        for i, p in enumerate(people)
    )  # fmt: skip
    return people


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with all white space collapsed, so wrapped lines still match."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def pdfsig(pdf: bytes) -> str:
    """What Debian's pdfsig (poppler-utils, installed by `make setup`) says of the PDF's seal."""
    if shutil.which("pdfsig") is None:
        # In CI a missing pdfsig is a failure, never a quiet skip: the seal must be proven there.
        missing = pytest.fail if os.environ.get("CI") else pytest.skip
        missing("pdfsig is missing: apt-get install poppler-utils (make setup does).")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        result = subprocess.run(["pdfsig", f.name], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


VALID = "Signature Validation: Signature is Valid."
