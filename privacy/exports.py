"""The export for an access request (PDPL): everything held about one person, found by identity number.

What a person is entitled to: as head of a household, the whole file (household, income,
documents, declarations, decisions, exclusions, visits, aid, surveys); as a mere member of
someone else's file, only their own member row (with the file number), their own income and
their own documents. Then, wherever they appear themselves: the complaints they filed (every
CP-3 field, the ruling and the notices), the messages sent to their phone or email, their
witness statements, their own data-subject requests, and who looked at their records (the
access log: transparency, RT-6, RT-10).

The result is a ZIP with data.json (UTF-8, Arabic), data.xlsx and the stored files. Each
section is one query, however many rows it holds.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from aid.models import Disbursement
from beneficiaries.models import (
    BeneficiaryFile,
    Declaration,
    Document,
    IncomeSource,
    Member,
    ReportedChange,
)
from beneficiaries.validators import clean_national_id
from charity.models import AccessLog, Notification
from charity.xlsx import Sheet, write_workbook
from complaints.models import Attachment, Complaint, Notice
from eligibility.models import Decision, Exclusion, FieldVisit, Freeze, NeedsAssessment, Witness
from eligibility.policy import control
from satisfaction.models import Survey

# A column: a field name (or a dotted path through select_related relations), or
# (key, label, function of the row).
Column = str | tuple[str, str, Callable]

MEMBER_COLUMNS = ["file.number", "relationship", "first_name", "father_name", "grandfather_name", "family_name",
                  "id_type", "id_number", "birth_date", "gender", "marital_status", "school_stage", "has_disability",
                  "disability", "health_conditions", "left_household_on", "deceased_on"]
FILE_COLUMNS = ["number", "status", "head_id_type", "head_id_number", "head_name", "mobile", "mobile_alt", "email",
                "city", "district", "street", "building_number", "postal_code", "housing_type", "monthly_rent",
                "housing_notes", "iban", "channel", "referring_agency", "embassy", "ministry_reference",
                "created_at", "submitted_at", "decision_due_on", "status_changed_at", "researcher"]
COMPLAINT_COLUMNS = ["tracking_number", "kind", "topic", "source", "status", "complainant_name", "national_id",
                     "phone", "email", "subject", "facts", "against", "harm", "reasons", "steps_taken", "remedy",
                     "other_info", "incident_on", "filed_at", "received_on", "late", "excuse", "excuse_accepted",
                     "excuse_decision_reason", "due_on", "ruling", "ruling_text", "ruled_on", "closed_at",
                     "closure_reason"]


@dataclass
class Person:
    """Where a person appears in the files: as head (whole files) or as a mere member (own rows)."""

    national_id: str
    head_file_ids: list[int]
    own_member_ids: list[int]


@dataclass
class Section:
    key: str
    title: str
    labels: dict[str, str]
    rows: list[dict] = field(default_factory=list)


def find_person(national_id: str) -> Person:
    """Return the files the person heads and their own member rows in anyone else's file."""
    nid = clean_national_id(national_id)
    heads = list(BeneficiaryFile.objects.filter(head_id_number=nid).values_list("pk", flat=True))
    members = list(Member.objects.filter(id_number=nid).exclude(file_id__in=heads).values_list("pk", flat=True))
    return Person(nid, heads, members)


# --- Rows -----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _cell(obj, path: str):
    *hops, name = path.split(".")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    model_field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if model_field.choices and value not in ("", None):
        return str(getattr(obj, f"get_{name}_display")())
    if model_field.is_relation:
        return str(value) if value is not None else None
    return _plain(value)


def _label(model, path: str) -> str:
    *hops, name = path.split(".")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    return str(model._meta.get_field(name).verbose_name)


def section(key: str, title, queryset, columns: list[Column]) -> tuple[Section, list]:
    """Return the section's rows (one query) and the objects, for the files and the access log."""
    labels = {}
    for column in columns:
        if isinstance(column, tuple):
            labels[column[0]] = str(column[1])
        else:
            labels[column] = _label(queryset.model, column)
    objects = list(queryset)
    rows = [{(c[0] if isinstance(c, tuple) else c): (_plain(c[2](obj)) if isinstance(c, tuple) else _cell(obj, c))
             for c in columns} for obj in objects]
    return Section(key, str(title), labels, rows), objects


def _zip_name(prefix: str, stored) -> str | None:
    if not stored or not stored.storage.exists(stored.name):
        return None
    return f"{prefix}.{stored.name.rsplit('.', 1)[-1]}"


def _doc_zip_name(document: Document) -> str | None:
    return _zip_name(f"documents/{document.file.number}-{document.doc_type}-{document.pk}", document.stored)


def _attachment_zip_name(attachment: Attachment) -> str | None:
    return _zip_name(f"attachments/{attachment.complaint.tracking_number}-{attachment.pk}", attachment.stored)


# --- Sections -------------------------------------------------------------------------------


def _file_sections(ids: list[int], own: list[int]) -> tuple[list[Section], dict]:
    """The household as the person may see it: whole files they head; else their own rows only."""
    mine = Q(file_id__in=ids) | Q(member_id__in=own)
    categories = ("categories", _("categories"), lambda f: "، ".join(c.name for c in f.categories.all()))
    specs = [
        ("files", _("Beneficiary files"), BeneficiaryFile.objects.filter(pk__in=ids).select_related("researcher")
         .prefetch_related("categories").order_by("pk"), [*FILE_COLUMNS, categories]),
        ("members", _("Household members"), Member.objects.filter(Q(file_id__in=ids) | Q(pk__in=own))
         .select_related("file").order_by("file_id", "pk"), MEMBER_COLUMNS),
        ("incomes", _("Income"), IncomeSource.objects.filter(mine).select_related("file", "member").order_by("pk"),
         ["file.number", "member", "kind", "monthly_amount", "note", "ended_on"]),
        ("documents", _("Documents"), Document.objects.filter(mine).select_related("file", "member").order_by("pk"),
         ["file.number", "member", "doc_type", "issued_on", "expires_on", "uploaded_at", "content_type", "size",
          ("in_zip", _("file in this export"), _doc_zip_name)]),
        ("declarations", _("Declarations"), Declaration.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "signed_by_name", "signed_by_id_number", "signed_at", "method", "data_snapshot"]),
        ("decisions", _("Decisions"), Decision.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "body", "outcome", "reasons", "decided_at", "family_participant",
          "family_participant_relationship"]),
        ("exclusions", _("Exclusions"), Exclusion.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "rule", ("situation", _("reason"), lambda e: str(control(e.rule).situation)),
          "proof_note", "referred_to_authorities", "decided_on"]),
        ("freezes", _("Freezes"), Freeze.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "rule", "started_on", "ends_on", "reason", "outcome", "end_note"]),
        ("field_visits", _("Field visits"), FieldVisit.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "scheduled_for", "status", "visited_at", "housing_state", "furniture", "observations",
          "present", "recommendation"]),
        ("needs", _("Needs assessments"), NeedsAssessment.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "assessed_at", "household_size", "monthly_income", "score", "recommended_services",
          "notes"]),
        ("changes", _("Reported changes"), ReportedChange.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "kind", "reported_on", "description"]),
        ("aid", _("Aid"), Disbursement.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "kind", "purpose", "amount", "status", "paid_on", "iban"]),
        ("surveys", _("Satisfaction surveys"), Survey.objects.filter(file_id__in=ids).select_related("file"),
         ["file.number", "service", "sent_at", "answered_at", "overall", "courtesy", "speed", "clarity",
          "comment"]),
    ]
    sections, objects = [], {}
    for key, title, queryset, columns in specs:
        built, objects[key] = section(key, title, queryset, columns)
        sections.append(built)
    return sections, objects


def _own_sections(person: Person, contacts: set[str]) -> tuple[list[Section], dict]:
    """Where the person appears themselves: complaints, messages, statements, requests."""
    from .models import DataSubjectRequest

    nid = person.national_id
    complaints, complaint_objects = section("complaints", _("Complaints"), Complaint.objects.filter(
        national_id=nid).order_by("filed_at"), COMPLAINT_COLUMNS)
    contacts |= {c for obj in complaint_objects for c in (obj.phone, obj.email) if c}
    specs = [
        ("notices", _("Notices of complaint results"), Notice.objects.filter(complaint__national_id=nid)
         .select_related("complaint").order_by("at"), ["complaint.tracking_number", "channel", "at", "success",
                                                      "note"]),
        ("attachments", _("Complaint attachments"), Attachment.objects.filter(complaint__national_id=nid)
         .select_related("complaint").order_by("pk"), ["complaint.tracking_number", "original_name", "content_type",
                                                      "size", "uploaded_at",
                                                      ("in_zip", _("file in this export"), _attachment_zip_name)]),
        ("messages", _("Messages sent to you"), Notification.objects.filter(recipient__in=contacts)
         .order_by("created_at"), ["channel", "recipient", "subject", "body", "status", "created_at", "sent_at"]),
        ("witness", _("Your witness statements"), Witness.objects.filter(national_id=nid).order_by("pk"),
         ["name", "national_id", "phone", "statement", "recorded_at"]),
        ("requests", _("Your data requests"), DataSubjectRequest.objects.filter(national_id=nid).order_by("pk"),
         ["kind", "received_on", "due_on", "status", "completed_at", "outcome"]),
    ]
    sections, objects = [complaints], {"complaints": complaint_objects}
    for key, title, queryset, columns in specs:
        built, objects[key] = section(key, title, queryset, columns)
        sections.append(built)
    return sections, objects


def _access_section(objects: dict) -> Section:
    """Who looked at the person's records, when and how (transparency)."""
    scope = Q(pk__in=[])
    for key in ("files", "documents", "complaints", "attachments", "requests"):
        records = objects.get(key) or []
        if records:
            content_type = ContentType.objects.get_for_model(records[0], for_concrete_model=False)
            scope |= Q(content_type=content_type, object_id__in=[str(r.pk) for r in records])
    # A refusal (outcome «denied») showed nothing of the person: only the accesses granted.
    queryset = (AccessLog.objects.filter(scope, outcome=AccessLog.Outcome.GRANTED)
                .select_related("user", "content_type").order_by("at", "pk"))
    built, _objects = section("access_log", _("Who looked at your records"), queryset, [
        "at", "user", "actor", "action", ("record", _("record type"), lambda a: str(a.content_type.model_class()._meta
                                                                             .verbose_name)), "object_id"])
    return built


def collect(national_id: str) -> tuple[list[Section], list[tuple[str, object]]]:
    """Return every section about the person and the stored files to add (zip name, file)."""
    person = find_person(national_id)
    file_sections, objects = _file_sections(person.head_file_ids, person.own_member_ids)
    contacts = {c for f in objects["files"] for c in (f.mobile, f.mobile_alt, f.email) if c}
    own_sections, own_objects = _own_sections(person, contacts)
    objects.update(own_objects)
    sections = [*file_sections, *own_sections, _access_section(objects)]
    blobs = [(name, doc.stored) for doc in objects["documents"] if (name := _doc_zip_name(doc))]
    blobs += [(name, att.stored) for att in objects["attachments"] if (name := _attachment_zip_name(att))]
    return sections, blobs


# --- Output ---------------------------------------------------------------------------------


def to_json(national_id: str, sections: list[Section], now: dt.datetime) -> bytes:
    data = {
        "national_id": clean_national_id(national_id),
        "generated_at": _plain(now),
        "sections": {s.key: {"title": s.title, "columns": s.labels, "rows": s.rows} for s in sections},
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _xlsx_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return value


def to_xlsx(sections: list[Section]) -> bytes:
    """One sheet a section, right to left, with the field names in the header row."""
    return write_workbook([Sheet(s.title, list(s.labels.values()),
                                 [[_xlsx_value(row[key]) for key in s.labels] for row in s.rows], len(s.rows))
                           for s in sections])


def export_person(national_id: str, *, now: dt.datetime | None = None) -> bytes:
    """Return the ZIP of everything held about the person: data.json, data.xlsx and the files."""
    now = now or timezone.now()
    with translation.override("ar"):
        sections, blobs = collect(national_id)
        json_bytes, xlsx_bytes = to_json(national_id, sections, now), to_xlsx(sections)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json_bytes)
        archive.writestr("data.xlsx", xlsx_bytes)
        for name, stored in blobs:
            try:
                with stored.storage.open(stored.name, "rb") as handle:
                    archive.writestr(name, handle.read())
            except FileNotFoundError:  # removed since the row was read: the row still says what it was
                continue
    return buffer.getvalue()
