"""Beneficiary files and the people in them, built through the services (never by setting status)."""

import datetime as dt
import io
import random
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bench.complaints_load import one_page_pdf
from beneficiaries import services
from beneficiaries.models import BeneficiaryFile, Member
from beneficiaries.policy import (
    FileStatus,
    Gender,
    HousingType,
    IdType,
    MaritalStatus,
    Relationship,
    SchoolStage,
)
from beneficiaries.validators import luhn_valid
from charity.models import PolicyProfile

TODAY = dt.date(2026, 11, 24)
NOW = timezone.make_aware(dt.datetime(2026, 11, 24, 10, 0))


def national_id(prefix: str = "1", seed: int | None = None) -> str:
    """Return a valid Saudi identity number (Luhn) starting with `prefix`."""
    rng = random.Random(seed)
    while True:
        body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(8))
        for check in "0123456789":
            if luhn_valid(body + check):
                return body + check


_counter = {"n": 0}


def unique_national_id(prefix: str = "1") -> str:
    """Return a valid identity number no other call of this run returns."""
    _counter["n"] += 1
    return national_id(prefix, seed=_counter["n"] * 7919)


def pdf_bytes(text: str = "test", *, size: int = 0) -> bytes:
    """A real one-page PDF that the upload check parses, `text` in a comment of its content,
    padded to about `size` bytes when asked (bench.complaints_load.one_page_pdf)."""
    return one_page_pdf(text, size)


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG of a few hundred bytes that claims width × height pixels (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64, 9))
            + chunk(b"IEND", b""))


def pdf_upload(name: str = "doc.pdf", text: str = "test") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def head_data(**overrides) -> dict:
    """The head of a household as the services take it: a widowed mother, فاطمة محمد عبدالله القحطاني."""
    data = {
        "first_name": "فاطمة", "father_name": "محمد", "grandfather_name": "عبدالله", "family_name": "القحطاني",
        "id_type": IdType.NATIONAL_ID, "id_number": unique_national_id(), "birth_date": dt.date(1980, 5, 1),
        "gender": Gender.FEMALE, "marital_status": MaritalStatus.WIDOWED,
    }
    data.update(overrides)
    return data


def member_data(**overrides) -> dict:
    """A household member as the services take it: a son born in 2012, سالم محمد عبدالله القحطاني."""
    data = {
        "relationship": Relationship.SON, "first_name": "سالم", "father_name": "محمد", "grandfather_name": "عبدالله",
        "family_name": "القحطاني", "id_number": unique_national_id(), "birth_date": dt.date(2012, 3, 1),
        "gender": Gender.MALE,
    }
    data.update(overrides)
    return data


def member_form_data(**overrides) -> dict:
    """The intake's household step posting one member: member_data() and the form's other fields,
    under the form's prefix («member-»). Overrides are the posted names: {"member-first_name": ...}."""
    member = {**member_data(), "id_type": IdType.NATIONAL_ID, "marital_status": MaritalStatus.SINGLE,
              "school_stage": SchoolStage.PRIMARY, "disability": "", "health_conditions": ""}
    data = {"action": "member", **{f"member-{name}": value for name, value in member.items()}}
    data.update(overrides)
    return data


def add_member(file: BeneficiaryFile, **overrides) -> Member:
    """Add `member_data(**overrides)` to the household through the service."""
    return services.save_member(file=file, data=member_data(**overrides))


def make_draft(by, *, profile: PolicyProfile | None = None, categories=("widow",), today=TODAY, head=None,
               **file_fields) -> BeneficiaryFile:
    """A draft application (status «applicant») with its head, in the service area."""
    from charity.models import Category

    profile = profile or PolicyProfile.objects.active()
    fields = {"mobile": "+966501234567", "city": (profile.service_area_cities or ["الرياض"])[0],
              "district": "النسيم", "street": "شارع الأمير", "building_number": "1234", "postal_code": "12345",
              "housing_type": HousingType.OWNED}
    fields.update(file_fields)
    return services.start_intake(
        by=by, profile=profile, channel=profile.channels[0], head=head or head_data(),
        categories=Category.objects.filter(code__in=categories), today=today, **fields,
    )


def complete_documents(file, by, today=TODAY):
    """Upload every document the checklist asks for, valid for a year."""
    profile = PolicyProfile.objects.active()
    for item in services.document_checklist(file, today=today, profile=profile):
        if item["document"] is None:
            services.upload_document(file=file, by=by, uploaded=pdf_upload(), doc_type=item["doc_type"],
                                     today=today, issued_on=today - dt.timedelta(days=30),
                                     expires_on=today + dt.timedelta(days=365))


def signed_cancellation_form(file, by, today=TODAY):
    """SC-3: the beneficiary's signed cancellation request, uploaded as a document of the file."""
    return services.upload_document(file=file, by=by, uploaded=pdf_upload("cancellation-signed.pdf"),
                                    doc_type="cancellation_request", today=today)


def make_submitted(by, *, today=TODAY, now=NOW, **kwargs) -> BeneficiaryFile:
    """An application submitted to the deciding body (status «under study»)."""
    file = make_draft(by, today=today, **kwargs)
    complete_documents(file, by, today)
    head = file.members.get(relationship=Relationship.HEAD)
    services.record_declaration(file=file, by=by, method="in_person", signed_by_name=head.full_name,
                                signed_by_id_number=head.id_number, now=now)
    profile = PolicyProfile.objects.active()
    return services.submit_application(file=file, by=by, profile=profile, today=today, now=now)


def make_active(by, *, today=TODAY, now=NOW, **kwargs) -> BeneficiaryFile:
    """An active file (accepted). Uses the status transition service directly."""
    file = make_submitted(by, today=today, now=now, **kwargs)
    return services.change_status(file=file, to=FileStatus.ACTIVE, now=now, reason="test: accepted")
