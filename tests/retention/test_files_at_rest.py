"""Evidence files on disk: owner-only, and with a key set, unreadable without it."""

import datetime
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from agreements.certificates import certificate_for
from breaches import services as breaches
from breaches.models import Attachment
from glenwood.storage import EncryptedFileSystemStorage, FileCannotBeDecrypted
from tests.breaches.files import png
from tests.retention.helpers import sign

KEY = Fernet.generate_key().decode()


def _storage(settings, tmp_path, backend):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}


def _flag_screenshot(demo):
    flag = breaches.record_flag(
        actor=demo["dsl"], captured_at=datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), device="ICT2-PC14",
        account="Y10PUPIL3", matched_phrase="meet me after school", screenshot=png("capture.png"),
    )  # fmt: skip
    return Attachment.objects.get(case=flag.case)


def _mode(path) -> int:
    return stat.S_IMODE(Path(path).stat().st_mode)


@pytest.mark.parametrize(
    "backend", ["django.core.files.storage.FileSystemStorage", "glenwood.storage.EncryptedFileSystemStorage"]
)
def test_stored_evidence_files_are_owner_only(demo, settings, tmp_path, backend):
    settings.FILE_ENCRYPTION_KEYS = [KEY]
    _storage(settings, tmp_path, backend)
    screenshot = _flag_screenshot(demo)
    certificate = certificate_for(sign(demo["teacher"], demo["glenwood"]), actor=demo["teacher"])
    for stored in (screenshot.file, certificate.pdf):
        assert _mode(Path(settings.MEDIA_ROOT) / stored.name) == 0o600, stored.name
        assert _mode((Path(settings.MEDIA_ROOT) / stored.name).parent) == 0o700


def test_with_encryption_on_the_disk_holds_nothing_readable_without_the_key(demo, settings, tmp_path):
    settings.FILE_ENCRYPTION_KEYS = [KEY]
    _storage(settings, tmp_path, "glenwood.storage.EncryptedFileSystemStorage")
    screenshot = _flag_screenshot(demo)
    certificate = certificate_for(sign(demo["teacher"], demo["glenwood"]), actor=demo["teacher"])

    on_disk = (tmp_path / screenshot.file.name).read_bytes()
    assert not on_disk.startswith(b"\x89PNG") and b"IHDR" not in on_disk
    pdf_on_disk = (tmp_path / certificate.pdf.name).read_bytes()
    assert not pdf_on_disk.startswith(b"%PDF") and b"Tara" not in pdf_on_disk

    # The portal, holding the key, reads them as they were.
    with screenshot.file.open("rb") as f:
        assert f.read().startswith(b"\x89PNG")
    with certificate.pdf.open("rb") as f:
        assert f.read().startswith(b"%PDF")

    # Someone with the copied disk and another key (or none) cannot.
    stranger = EncryptedFileSystemStorage(location=str(tmp_path), keys=[Fernet.generate_key()])
    with pytest.raises(FileCannotBeDecrypted):
        stranger.open(screenshot.file.name)


def test_a_rotated_key_still_reads_older_files(settings, tmp_path):
    from django.core.files.base import ContentFile

    old, new = Fernet.generate_key(), Fernet.generate_key()
    written = EncryptedFileSystemStorage(location=str(tmp_path), keys=[old]).save(
        "a.txt", ContentFile(b"report")
    )
    rotated = EncryptedFileSystemStorage(location=str(tmp_path), keys=[new, old])
    assert rotated.open(written).read() == b"report"


def test_a_subject_access_zip_is_owner_only_and_encrypted(
    demo, settings, tmp_path, django_capture_on_commit_callbacks
):
    from retention import access

    settings.FILE_ENCRYPTION_KEYS = [KEY]
    _storage(settings, tmp_path, "glenwood.storage.EncryptedFileSystemStorage")
    with django_capture_on_commit_callbacks(execute=True):
        made = access.access_request(
            actor=demo["admin"], person=demo["teacher"], requested_on=datetime.date(2026, 11, 1)
        )
    made.refresh_from_db()
    on_disk = tmp_path / made.file.name
    assert _mode(on_disk) == 0o600
    assert not on_disk.read_bytes().startswith(b"PK"), "a ZIP on disk would start PK"
    with made.file.open("rb") as f:
        assert f.read().startswith(b"PK")
