"""A full disk leaves no partial file behind, and says so: the write fails half-way (ENOSPC),
the storage removes what it had written, nothing is recorded, and the page explains (507)."""

import errno
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import filesystem
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries.models import Document
from charity.storage import StorageFullError, UploadStorage
from charity.uploads import UPLOAD_NOT_SAVED
from complaints.models import Complaint
from testdata import complaint_form_data, make_active, pdf_upload

pytestmark = pytest.mark.django_db


class _HalfWritten:
    """A file that takes half of the first chunk, then finds the disk full."""

    def __init__(self, real, error):
        self.real, self.error = real, error

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(self.error, os.strerror(self.error))

    def close(self):
        self.real.close()


@pytest.fixture
def disk_full(monkeypatch, settings):
    """While `disk_full["on"]`, every file written under MEDIA_ROOT fails half-way with
    `disk_full["error"]` (ENOSPC)."""
    real_fdopen, media = os.fdopen, Path(settings.MEDIA_ROOT).resolve()
    state = {"error": errno.ENOSPC, "on": True}

    def fdopen(fd, *args, **kwargs):
        opened = real_fdopen(fd, *args, **kwargs)
        if state["on"] and Path(os.readlink(f"/proc/self/fd/{fd}")).is_relative_to(media):
            return _HalfWritten(opened, state["error"])
        return opened

    monkeypatch.setattr(filesystem.os, "fdopen", fdopen)
    return state


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _not_saved() -> str:
    with translation.override("ar"):
        return escape(str(UPLOAD_NOT_SAVED))


def test_a_write_that_fails_half_way_leaves_no_file(disk_full, settings):
    storage = UploadStorage()
    with pytest.raises(StorageFullError):
        storage.save("documents/ab/x.pdf", ContentFile(b"%" * 100_000))
    assert _files(settings) == []
    disk_full["error"] = errno.EIO  # any other failure: the partial file goes too, the error stays
    with pytest.raises(OSError) as excinfo:
        storage.save("documents/ab/y.pdf", ContentFile(b"%" * 100_000))
    assert excinfo.value.errno == errno.EIO and not isinstance(excinfo.value, StorageFullError)
    assert _files(settings) == []


def test_a_staff_upload_on_a_full_disk_is_explained_and_leaves_nothing(client, staff, settings, disk_full):
    disk_full["on"] = False
    file = make_active(staff["manager"])
    before, stored = Document.objects.count(), _files(settings)
    disk_full["on"] = True
    client.force_login(staff["manager"])
    client.raise_request_exception = False
    response = client.post(reverse("beneficiaries:document_upload", args=[file.pk]),
                           {"doc_type": "other", "uploaded": pdf_upload("scan.pdf")})
    assert response.status_code == 507 and _not_saved() in response.content.decode()
    assert Document.objects.count() == before and _files(settings) == stored


def test_a_complaint_attachment_on_a_full_disk_is_explained_and_leaves_nothing(client, profile, settings, disk_full):
    client.raise_request_exception = False
    response = client.post(reverse("complaints_public:file"),
                           {**complaint_form_data(), "attachments": [pdf_upload("evidence.pdf")]})
    assert response.status_code == 507 and _not_saved() in response.content.decode()
    assert not Complaint.objects.exists() and _files(settings) == []
