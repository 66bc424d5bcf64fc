"""Exclusion certificates (SC-2, مشهد) and exclusion decisions: numbered, verifiable, rendered
once with WeasyPrint and stored with their hash, so a second download returns the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from charity import calendar
from charity.charter import grievance_period
from charity.links import absolute_reverse
from charity.models import PolicyProfile
from charity.queue import enqueue
from charity.roles import Role, active_members
from charity.sequences import next_in_hijri_year

from . import errors, policy
from .models import Certificate, CertificateHandover, CertificateSequence, Exclusion

# 20 characters of an alphabet without look-alikes: about 100 bits, printed in groups of 4.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 20

# The certificate is an official Arabic document whoever issues it and whatever language their
# screen is in: its text and everything stored to be printed on it are in this language.
CERTIFICATE_LANGUAGE = "ar"


def new_verification_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _signatory() -> tuple[str, str]:
    director = active_members(Role.DIRECTOR).order_by("pk").first()
    with translation.override(CERTIFICATE_LANGUAGE):  # stored once, printed on an Arabic document
        role = str(Role.DIRECTOR.label)
    if director is None:
        return "", role
    return director.get_full_name() or director.username, director.job_title or role


def create_certificate(*, exclusion: Exclusion, now: dt.datetime, today: dt.date,
                       profile: PolicyProfile) -> Certificate:
    """Number the certificate and give it its verification code; render it after commit."""
    return create_certificates(exclusions=[exclusion], now=now, today=today, profile=profile)[0]


RENDER_CHUNK = 25


def create_certificates(*, exclusions: list[Exclusion], now: dt.datetime, today: dt.date,
                        profile: PolicyProfile) -> list[Certificate]:
    """Certificates for many exclusions at once (the daily sweep): consecutive serials from one
    reservation, one insert; rendered by the worker after commit, a few per task."""
    if not exclusions:
        return []
    name, title = _signatory()
    year, first = next_in_hijri_year(CertificateSequence, today, count=len(exclusions))
    certificates = Certificate.objects.bulk_create([
        Certificate(exclusion=exclusion, kind=policy.control(exclusion.rule).document or policy.DocumentKind.DECISION,
                    serial=f"EX-{year}-{first + offset:06d}", verification_code=new_verification_code(),
                    issued_at=now, signatory_name=name, signatory_title=title, **issuer_fields(profile))
        for offset, exclusion in enumerate(exclusions)
    ])
    ids = [certificate.pk for certificate in certificates]
    # With the broker down, a certificate is rendered on its first download instead.
    for start in range(0, len(ids), RENDER_CHUNK):
        enqueue("eligibility.tasks.render_certificates", ids[start:start + RENDER_CHUNK])
    return certificates


def issuer_fields(profile: PolicyProfile) -> dict:
    """The issuing association as stored on a certificate at issue time."""
    return {"issuer_name": profile.name_ar, "issuer_name_en": profile.name_en,
            "issuer_licence": profile.licence_number}


def _letterhead(certificate: Certificate, profile: PolicyProfile | None):
    """The letterhead names the association that issued the certificate: the profile when it
    is still that association, else the stored name and licence alone."""
    if profile is not None and (profile.name_ar, profile.licence_number) == (certificate.issuer_name,
                                                                             certificate.issuer_licence):
        return profile
    return SimpleNamespace(name=certificate.issuer, licence_number=certificate.issuer_licence, approval_record="",
                           address_ar="", phone="", email="")


def certificate_context(certificate: Certificate, profile: PolicyProfile) -> dict:
    exclusion = certificate.exclusion
    file = exclusion.file
    control = policy.control(exclusion.rule)
    return {
        "certificate": certificate, "exclusion": exclusion, "file": file, "profile": profile,
        "association": _letterhead(certificate, profile),
        "rule": control, "rule_text": control.situation,
        "issued_gregorian": calendar.format_gregorian(certificate.issued_at, CERTIFICATE_LANGUAGE),
        "issued_hijri": calendar.format_hijri(certificate.issued_at, CERTIFICATE_LANGUAGE),
        "code": format_code(certificate.verification_code),
        "verify_url": absolute_reverse("verify:verify_certificate"),
        "grievance_period": grievance_period(profile, CERTIFICATE_LANGUAGE),  # CP-1, CP-2
    }


def render_certificate(certificate: Certificate, *, profile: PolicyProfile | None = None) -> bytes:
    """Render the PDF once and store it with its hash; later calls return the stored bytes."""
    from beneficiaries.pdf import render_pdf

    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf:
            with locked.pdf.open("rb") as stored:
                return stored.read()
        profile = profile or PolicyProfile.objects.active()
        with translation.override(CERTIFICATE_LANGUAGE):
            data = render_pdf("eligibility/pdf/certificate.html", certificate_context(locked, profile))
        locked.pdf.save(f"{locked.serial}.pdf", ContentFile(data), save=False)
        locked.sha256, locked.rendered_at = hashlib.sha256(data).hexdigest(), timezone.now()
        locked.save(update_fields=["pdf", "sha256", "rendered_at"])
        return data


def render_pending(certificate_ids: list[int]) -> int:
    """Render those of the certificates not rendered yet; return how many were rendered now."""
    pending = Certificate.objects.filter(pk__in=certificate_ids, pdf="").order_by("pk")
    count = 0
    for certificate in pending:
        render_certificate(certificate)
        count += 1
    return count


def verify_code(code: str) -> Certificate | None:
    """Return the certificate with this code (for the public page), or None."""
    normalized = normalize_code(code)
    if len(normalized) != CODE_LENGTH:
        return None
    return Certificate.objects.select_related("exclusion").filter(verification_code=normalized).first()


def record_handover(*, certificate: Certificate, by, now: dt.datetime, today: dt.date, method: str,
                    received_by: str, handed_on: dt.date, note: str = "") -> CertificateHandover:
    """SC-2: record the official handover of the certificate: who handed it, to whom, when and
    how. Once: a second record is refused; the date cannot be before the issue nor in the future."""
    if not received_by.strip():
        raise ValidationError({"received_by": errors.HANDOVER_RECEIVER_REQUIRED})
    if handed_on > today or handed_on < timezone.localdate(certificate.issued_at):
        raise ValidationError({"handed_on": errors.HANDOVER_DATE})
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if CertificateHandover.objects.filter(certificate=locked).exists():
            raise ValidationError(errors.HANDOVER_RECORDED, code="handover_recorded")
        return CertificateHandover.objects.create(certificate=locked, method=method, received_by=received_by.strip(),
                                                  handed_on=handed_on, note=note.strip(), recorded_by=by,
                                                  recorded_at=now)

