"""The retention job (PDPL): what is no longer needed is anonymised, logged, never deleted."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from beneficiaries.models import BeneficiaryFile, Declaration, Document, IncomeSource, Member
from beneficiaries.policy import FileStatus
from charity.models import AccessLog, Notification
from complaints.models import Complaint
from eligibility.models import Certificate, Exclusion, Witness
from privacy import policy, services
from privacy.models import DataSubjectRequest, DestroyedDocument, RetentionLog
from privacy.policy import PLACEHOLDER, RetentionRule
from testdata import NOW, TODAY, national_id

from .factories import (
    HEAD_NAME,
    IBAN,
    MEMBER_NAME,
    OLD_NOW,
    OLD_TODAY,
    closed_complaint,
    excluded_household,
    household,
    make_request,
)

pytestmark = pytest.mark.django_db

RECENT_TODAY = dt.date(2024, 5, 1)
RECENT_NOW = timezone.make_aware(dt.datetime(2024, 5, 1, 10, 0))
OLD_ID, RECENT_ID = national_id("1", 501), national_id("2", 502)
FILE_MODELS = (BeneficiaryFile, Member, IncomeSource, Document, Declaration, Witness, Exclusion)


def dump(*models) -> str:
    """Every live and history row of `models`, as text to search for personal data."""
    rows = []
    for model in models:
        rows += list(model.objects.values())
        if hasattr(model, "history"):
            rows += list(model.history.values())
    return json.dumps(rows, ensure_ascii=False, default=str)


def row_counts(*models) -> dict:
    return {model: (model.objects.count(), model.history.count() if hasattr(model, "history") else 0)
            for model in models}


@pytest.fixture
def old_file(manager):
    """A household excluded in 2014 (more than ten years before TODAY), with a witness."""
    file, head, sons = excluded_household(manager, today=OLD_TODAY, now=OLD_NOW, witness=True)
    certificate = Certificate.objects.get(exclusion__file=file)
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4 certificate"), save=True)
    return file, head, sons


def test_retention_anonymises_an_old_excluded_file_and_keeps_the_row_and_number(old_file):
    file, head, sons = old_file
    number = file.number
    witness = file.witnesses.get()
    secrets = [head.id_number, sons[0].id_number, witness.national_id, HEAD_NAME[0], MEMBER_NAME, "سارة", IBAN,
               file.mobile, file.mobile_alt, file.email, "تقاعد الزوج", "طلب خطي من المستفيدة"]
    assert all(secret in dump(*FILE_MODELS) for secret in secrets)  # the test can fail
    paths = [Path(d.stored.path) for d in file.documents.all()] + [Path(Certificate.objects.get().pdf.path)]
    assert paths and all(p.exists() for p in paths)
    counts = row_counts(*FILE_MODELS, Notification)

    result = services.apply_retention(today=TODAY, now=NOW)

    assert (result.files, result.failed) == (1, 0)
    dumped = dump(*FILE_MODELS) + dump(Notification)
    assert [secret for secret in secrets if secret in dumped] == []
    assert not any(p.exists() for p in paths)
    assert row_counts(*FILE_MODELS, Notification) == counts  # nothing deleted, history included
    file.refresh_from_db()
    assert (file.number, file.status, file.head_name, file.iban, file.mobile) == (
        number, FileStatus.EXCLUDED, PLACEHOLDER, "", "")
    members = list(file.members.all())
    assert all(m.first_name == PLACEHOLDER and m.id_number.startswith(policy.MARKER_PREFIX) for m in members)
    assert len({m.id_number for m in members}) == len(members)  # the uniqueness constraint still holds
    assert {m.birth_date.timetuple()[1:3] for m in members} == {(1, 1)}
    assert {str(i.monthly_amount) for i in file.incomes.all()} == {"2100.00", "900.00"}  # figures stay
    documents = list(file.documents.all())
    assert all(d.stored.name == "" and d.doc_type for d in documents)
    assert DestroyedDocument.objects.filter(document__in=documents).count() == len(documents)
    assert Exclusion.objects.get(file=file).rule == "SC-3"
    assert Declaration.objects.get(file=file).data_snapshot == {}
    assert Certificate.objects.get().pdf.name == ""


def test_retention_logs_every_action_without_personal_data(old_file):
    file, head, sons = old_file
    services.apply_retention(today=TODAY, now=NOW)
    logged = set(RetentionLog.objects.filter(rule=RetentionRule.FILE_FINAL).values_list(
        "content_type__model", "object_id", "action"))
    assert ("beneficiaryfile", str(file.pk), "anonymised") in logged
    assert {("member", str(m.pk), "anonymised") for m in file.members.all()} <= logged
    assert {("document", str(d.pk), "file_destroyed") for d in file.documents.all()} <= logged
    assert ("certificate", str(Certificate.objects.get().pk), "file_destroyed") in logged
    assert head.id_number not in dump(RetentionLog) and HEAD_NAME[0] not in dump(RetentionLog)
    assert set(RetentionLog.objects.values_list("at", flat=True)) == {NOW}


def test_retention_leaves_recent_and_open_files_untouched_and_a_second_run_does_nothing(old_file, manager):
    recent, recent_head, _ = excluded_household(manager, today=RECENT_TODAY, now=RECENT_NOW)
    still_open, open_head, _ = household(manager, today=OLD_TODAY, now=OLD_NOW, status=FileStatus.ACTIVE)
    recent_paths = [Path(d.stored.path) for d in recent.documents.all()]

    first = services.apply_retention(today=TODAY, now=NOW)
    logged = RetentionLog.objects.count()
    second = services.apply_retention(today=TODAY, now=NOW)

    assert first.files == 1 and logged > 0
    assert second == services.RetentionResult() and RetentionLog.objects.count() == logged
    for kept, head in ((recent, recent_head), (still_open, open_head)):
        kept.refresh_from_db()
        assert kept.head_id_number == head.id_number and kept.head_name == head.full_name
    assert all(p.exists() for p in recent_paths)


def test_retention_dry_run_counts_and_changes_nothing(old_file):
    file, head, _ = old_file
    before = dump(*FILE_MODELS)

    result = services.apply_retention(today=TODAY, now=NOW, dry_run=True)

    assert result.dry_run and result.files == 1
    assert dump(*FILE_MODELS) == before and not RetentionLog.objects.exists()
    assert all(Path(d.stored.path).exists() for d in file.documents.all())


def test_retention_anonymises_old_closed_complaints_and_keeps_recent_ones(manager, handler):
    old = closed_complaint(OLD_ID, handler, today=OLD_TODAY, now=OLD_NOW, complainant_name="هند علي سالم")
    recent = closed_complaint(RECENT_ID, handler, today=RECENT_TODAY, now=RECENT_NOW)
    assert "هند" in dump(Complaint)

    result = services.apply_retention(today=TODAY, now=NOW)

    assert result.complaints == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.complainant_name, old.phone, old.facts, old.ruling) == (PLACEHOLDER, "", PLACEHOLDER, "upheld")
    assert old.national_id.startswith(policy.MARKER_PREFIX) and old.tracking_number
    assert "هند" not in dump(Complaint) and OLD_ID not in dump(Complaint, Notification)
    assert recent.national_id == RECENT_ID and recent.complainant_name == " ".join(HEAD_NAME)


def test_retention_clears_who_looked_from_old_access_log_entries(handler):
    content_type = ContentType.objects.get_for_model(BeneficiaryFile)
    old, recent = (AccessLog.objects.create(at=at, user=handler, action="view", content_type=content_type,
                                            object_id="1", path="/files/1/", ip_address="10.0.0.1",
                                            user_agent="Firefox")
                   for at in (NOW - dt.timedelta(days=6 * 365), NOW - dt.timedelta(days=30)))

    result = services.apply_retention(today=TODAY, now=NOW)

    assert result.access_logs == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.user, old.ip_address, old.path, old.user_agent, old.object_id) == (None, None, "", "", "1")
    assert (recent.user, recent.ip_address) == (handler, "10.0.0.1")
    entry = RetentionLog.objects.get(rule=RetentionRule.ACCESS_LOG)
    assert (entry.object_id, entry.count) == (f"{old.pk}-{old.pk}", 1)
    assert AccessLog.objects.count() == 2


def test_retention_removes_handed_over_exports_and_anonymises_old_requests(manager, handler):
    _file, head, _ = household(manager)
    answered = make_request(handler, head.id_number, received_on=TODAY - dt.timedelta(days=60))
    answered = services.prepare_export(request=answered, by=handler, now=NOW - dt.timedelta(days=50))
    export_path = Path(answered.export_file.path)
    services.complete_request(request=answered, by=handler, now=NOW - dt.timedelta(days=45), outcome="سُلّمت")
    ancient = make_request(handler, OLD_ID, received_on=OLD_TODAY, requester_name="هند علي سالم")
    services.refuse_request(request=ancient, by=handler, now=OLD_NOW, reasons="لا توجد بيانات")

    result = services.apply_retention(today=TODAY, now=NOW)

    assert (result.exports, result.requests) == (1, 1)
    answered.refresh_from_db()
    ancient.refresh_from_db()
    assert answered.export_file.name == "" and not export_path.exists()
    assert answered.national_id == head.id_number  # kept: answered recently
    assert ancient.national_id.startswith(policy.MARKER_PREFIX) and ancient.requester_name == PLACEHOLDER
    assert "هند" not in dump(DataSubjectRequest) and str(export_path.name) not in dump(DataSubjectRequest)
