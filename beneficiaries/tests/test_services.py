"""Service-level rules: status transitions, file numbers, optimistic locking, one open file per
head, and the researcher, referral, change and annual-update services (RT-2, RT-4, IN-4, DU-4, DU-5)."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from beneficiaries import errors, services
from beneficiaries.models import BeneficiaryFile, ReportedChange, ResearcherChangeRequest, UpdateRequest
from beneficiaries.policy import FileStatus, can_transition
from charity.roles import Role
from testdata import NOW, TODAY, head_data, make_active, make_draft, make_submitted

pytestmark = pytest.mark.django_db


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


@pytest.fixture
def intake(profile, make_user):
    return make_user(Role.INTAKE, username="intake")


@pytest.fixture
def manager(profile, make_user):
    return make_user(Role.MANAGER, username="manager")


# --- Transitions ------------------------------------------------------------------------------

# Every (current, new) pair with its answer, written out from ../shared/policy/RULES.md, never
# read from policy.TRANSITIONS: a wrong entry in the table fails here. The rules column names
# the rule that allows (or forbids) the step; a pair with no rule is the design the text leaves
# to us: a final record (rejected, excluded, closed, referred) is never reopened — the family
# applies again on a new file — and a status never "changes" to itself.
GOLDEN_TRANSITIONS = [
    # An application: studied before any answer (IN-5); outside the service area, referred (BEN-1).
    (FileStatus.APPLICANT, FileStatus.APPLICANT, False, ()),
    (FileStatus.APPLICANT, FileStatus.UNDER_STUDY, True, ("IN-5", "IN-6")),
    (FileStatus.APPLICANT, FileStatus.ACTIVE, False, ("IN-5",)),
    (FileStatus.APPLICANT, FileStatus.REJECTED, False, ("IN-5",)),
    (FileStatus.APPLICANT, FileStatus.FROZEN, False, ()),
    (FileStatus.APPLICANT, FileStatus.EXCLUDED, False, ()),
    (FileStatus.APPLICANT, FileStatus.CLOSED, False, ()),
    (FileStatus.APPLICANT, FileStatus.REFERRED_OUT, True, ("BEN-1",)),
    # Under study: the deciding body accepts or refuses (IN-5); the SC controls apply to beneficiaries.
    (FileStatus.UNDER_STUDY, FileStatus.APPLICANT, False, ()),
    (FileStatus.UNDER_STUDY, FileStatus.UNDER_STUDY, False, ()),
    (FileStatus.UNDER_STUDY, FileStatus.ACTIVE, True, ("IN-5",)),
    (FileStatus.UNDER_STUDY, FileStatus.REJECTED, True, ("IN-5",)),
    (FileStatus.UNDER_STUDY, FileStatus.FROZEN, False, ()),
    (FileStatus.UNDER_STUDY, FileStatus.EXCLUDED, False, ()),
    (FileStatus.UNDER_STUDY, FileStatus.CLOSED, False, ()),
    (FileStatus.UNDER_STUDY, FileStatus.REFERRED_OUT, False, ()),
    # Active: frozen under SC-6/SC-12; excluded under SC-2…SC-5, SC-8…SC-11; closed on the death
    # of a head with no dependants (SC-7). SC-1 (the file continues) changes nothing.
    (FileStatus.ACTIVE, FileStatus.APPLICANT, False, ()),
    (FileStatus.ACTIVE, FileStatus.UNDER_STUDY, False, ()),
    (FileStatus.ACTIVE, FileStatus.ACTIVE, False, ()),
    (FileStatus.ACTIVE, FileStatus.REJECTED, False, ()),
    (FileStatus.ACTIVE, FileStatus.FROZEN, True, ("SC-6", "SC-12")),
    (FileStatus.ACTIVE, FileStatus.EXCLUDED, True, ("SC-2", "SC-3", "SC-4", "SC-5", "SC-8", "SC-9", "SC-10",
                                                    "SC-11")),
    (FileStatus.ACTIVE, FileStatus.CLOSED, True, ("SC-7",)),
    (FileStatus.ACTIVE, FileStatus.REFERRED_OUT, False, ()),
    # Frozen: answered in time, back to active; no response, excluded (SC-6, SC-12); a death
    # while frozen closes it (SC-7). One open freeze per file: never frozen twice.
    (FileStatus.FROZEN, FileStatus.APPLICANT, False, ()),
    (FileStatus.FROZEN, FileStatus.UNDER_STUDY, False, ()),
    (FileStatus.FROZEN, FileStatus.ACTIVE, True, ("SC-6", "SC-12")),
    (FileStatus.FROZEN, FileStatus.REJECTED, False, ()),
    (FileStatus.FROZEN, FileStatus.FROZEN, False, ()),
    (FileStatus.FROZEN, FileStatus.EXCLUDED, True, ("SC-6", "SC-12")),
    (FileStatus.FROZEN, FileStatus.CLOSED, True, ("SC-7",)),
    (FileStatus.FROZEN, FileStatus.REFERRED_OUT, False, ()),
    # Rejected: final (the reasons reach the applicant, RT-4; a new application is a new file).
    (FileStatus.REJECTED, FileStatus.APPLICANT, False, ()),
    (FileStatus.REJECTED, FileStatus.UNDER_STUDY, False, ()),
    (FileStatus.REJECTED, FileStatus.ACTIVE, False, ()),
    (FileStatus.REJECTED, FileStatus.REJECTED, False, ()),
    (FileStatus.REJECTED, FileStatus.FROZEN, False, ()),
    (FileStatus.REJECTED, FileStatus.EXCLUDED, False, ()),
    (FileStatus.REJECTED, FileStatus.CLOSED, False, ()),
    (FileStatus.REJECTED, FileStatus.REFERRED_OUT, False, ()),
    # Excluded: final; the certificate or decision stands (SC-2…SC-12).
    (FileStatus.EXCLUDED, FileStatus.APPLICANT, False, ()),
    (FileStatus.EXCLUDED, FileStatus.UNDER_STUDY, False, ()),
    (FileStatus.EXCLUDED, FileStatus.ACTIVE, False, ()),
    (FileStatus.EXCLUDED, FileStatus.REJECTED, False, ()),
    (FileStatus.EXCLUDED, FileStatus.FROZEN, False, ()),
    (FileStatus.EXCLUDED, FileStatus.EXCLUDED, False, ()),
    (FileStatus.EXCLUDED, FileStatus.CLOSED, False, ()),
    (FileStatus.EXCLUDED, FileStatus.REFERRED_OUT, False, ()),
    # Closed: final (SC-7, no dependants).
    (FileStatus.CLOSED, FileStatus.APPLICANT, False, ()),
    (FileStatus.CLOSED, FileStatus.UNDER_STUDY, False, ()),
    (FileStatus.CLOSED, FileStatus.ACTIVE, False, ()),
    (FileStatus.CLOSED, FileStatus.REJECTED, False, ()),
    (FileStatus.CLOSED, FileStatus.FROZEN, False, ()),
    (FileStatus.CLOSED, FileStatus.EXCLUDED, False, ()),
    (FileStatus.CLOSED, FileStatus.CLOSED, False, ()),
    (FileStatus.CLOSED, FileStatus.REFERRED_OUT, False, ()),
    # Referred to another body: final (BEN-1; the other body serves the family).
    (FileStatus.REFERRED_OUT, FileStatus.APPLICANT, False, ()),
    (FileStatus.REFERRED_OUT, FileStatus.UNDER_STUDY, False, ()),
    (FileStatus.REFERRED_OUT, FileStatus.ACTIVE, False, ()),
    (FileStatus.REFERRED_OUT, FileStatus.REJECTED, False, ()),
    (FileStatus.REFERRED_OUT, FileStatus.FROZEN, False, ()),
    (FileStatus.REFERRED_OUT, FileStatus.EXCLUDED, False, ()),
    (FileStatus.REFERRED_OUT, FileStatus.CLOSED, False, ()),
    (FileStatus.REFERRED_OUT, FileStatus.REFERRED_OUT, False, ()),
]


def test_golden_transitions_name_every_pair_of_statuses_once():
    """A status added to FileStatus fails here until its row of eight answers is written."""
    pairs = [(old, new) for old, new, _allowed, _rules in GOLDEN_TRANSITIONS]
    assert len(pairs) == len(set(pairs)) == 64
    assert set(pairs) == set(itertools.product(FileStatus, FileStatus))


@pytest.mark.parametrize(("old", "new", "allowed"), [
    pytest.param(old, new, allowed, id=f"{old}->{new}", marks=[pytest.mark.rule(*rules)] if rules else [])
    for old, new, allowed, rules in GOLDEN_TRANSITIONS
])
def test_can_transition_answers_as_the_policy_says(old, new, allowed):
    assert can_transition(old, new) is allowed


def test_change_status_follows_the_table_and_writes_history(intake):
    """An allowed transition saves the status, its time and a history row, and bumps the version."""
    file = make_submitted(intake)
    history, version = file.history.count(), file.version
    active = services.change_status(file=file, to=FileStatus.ACTIVE, now=NOW, reason="accepted")
    active.refresh_from_db()
    assert active.status == FileStatus.ACTIVE and active.status_changed_at == NOW
    assert active.version == version + 1 and active.history.count() == history + 1
    assert active.history.first().history_change_reason == "accepted"


@pytest.mark.parametrize("target", [FileStatus.ACTIVE, FileStatus.FROZEN, FileStatus.CLOSED, FileStatus.REJECTED])
def test_change_status_refuses_a_transition_outside_the_table(intake, target):
    """A draft cannot jump the study: TRANSITION_NOT_ALLOWED names both statuses; nothing changes."""
    file = make_draft(intake)
    with pytest.raises(ValidationError) as caught:
        services.change_status(file=file, to=target, now=NOW)
    expected = errors.TRANSITION_NOT_ALLOWED % {"current": FileStatus.APPLICANT.label, "new": FileStatus(target).label}
    assert caught.value.code == "transition_not_allowed"
    assert ar(caught.value.messages[0]) == ar(expected)
    file.refresh_from_db()
    assert file.status == FileStatus.APPLICANT and file.status_changed_at is None


def test_change_status_refuses_leaving_a_final_status(intake):
    file = make_submitted(intake)
    rejected = services.change_status(file=file, to=FileStatus.REJECTED, now=NOW, reason="refused")
    with pytest.raises(ValidationError, match="«"):
        services.change_status(file=rejected, to=FileStatus.ACTIVE, now=NOW)
    rejected.refresh_from_db()
    assert rejected.status == FileStatus.REJECTED


# --- File numbers -----------------------------------------------------------------------------


def test_allocate_file_number_is_consecutive_per_hijri_year(db):
    """Numbers read «YYYY-000001» and restart with each Umm al-Qura year."""
    in_1447, in_1448 = dt.date(2026, 1, 10), dt.date(2026, 11, 24)
    assert [services.allocate_file_number(in_1447) for _ in range(3)] == ["1447-000001", "1447-000002",
                                                                          "1447-000003"]
    assert services.allocate_file_number(in_1448) == "1448-000001"
    assert services.allocate_file_number(dt.date(2026, 6, 15)) == "1447-000004"
    assert services.allocate_file_number(dt.date(2026, 6, 17)) == "1448-000002"


def test_start_intake_numbers_files_in_the_year_of_registration(intake):
    first = make_draft(intake, today=dt.date(2026, 1, 10))
    second = make_draft(intake, today=dt.date(2026, 1, 11))
    assert (first.number, second.number) == ("1447-000001", "1447-000002")


# --- Optimistic locking -----------------------------------------------------------------------


def test_lock_file_with_an_old_version_raises_stale_version(intake):
    file = make_draft(intake)
    old = file.version
    services.update_file(file=file, by=intake, expected_version=old, changes={"district": "العليا"})
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        services.lock_file(file, expected_version=old)
    assert caught.value.code == "stale_version" and ar(caught.value.messages[0]) == ar(errors.STALE_VERSION)
    with transaction.atomic():
        assert services.lock_file(file, expected_version=old + 1).district == "العليا"


def test_update_file_with_an_old_version_changes_nothing(intake):
    file = make_draft(intake)
    old = file.version
    services.update_file(file=file, by=intake, expected_version=old, changes={"district": "العليا"})
    with pytest.raises(ValidationError) as caught:
        services.update_file(file=file, by=intake, expected_version=old, changes={"district": "الملز"})
    assert caught.value.code == "stale_version"
    file.refresh_from_db()
    assert file.district == "العليا" and file.version == old + 1


# --- One open file per head of household ------------------------------------------------------


def test_start_intake_refuses_a_second_open_file_for_the_same_head(intake, profile):
    head = head_data()
    first = make_draft(intake, head=head)
    with pytest.raises(ValidationError) as caught:
        make_draft(intake, head={**head})
    assert caught.value.code == "duplicate_open_file"
    assert ar(caught.value.messages[0]) == ar(errors.DUPLICATE_OPEN_FILE % {"number": first.number})
    assert BeneficiaryFile.objects.filter(head_id_number=head["id_number"]).count() == 1


def test_start_intake_allows_a_new_file_once_the_old_one_is_closed(intake):
    head = head_data()
    old = make_draft(intake, head=head)
    services.change_status(file=old, to=FileStatus.UNDER_STUDY, now=NOW)
    services.change_status(file=old, to=FileStatus.REJECTED, now=NOW, reason="refused")
    new = make_draft(intake, head={**head})
    assert new.pk != old.pk and new.status == FileStatus.APPLICANT
    assert BeneficiaryFile.objects.filter(head_id_number=head["id_number"]).count() == 2


def test_database_rejects_a_direct_second_open_file(intake):
    """The constraint holds even when code bypasses the service."""
    file = make_draft(intake)
    with pytest.raises(IntegrityError), transaction.atomic():
        BeneficiaryFile.objects.create(number="1448-999999", status=FileStatus.ACTIVE, channel=file.channel,
                                       head_id_number=file.head_id_number, head_name="x", registered_by=intake)
    assert BeneficiaryFile.objects.filter(head_id_number=file.head_id_number).count() == 1


# --- Researcher (RT-2, RT-4) ------------------------------------------------------------------


@pytest.mark.rule("RT-2")
def test_rt2_decide_refuses_a_decided_request(intake, manager, make_user):
    researcher = make_user(Role.RESEARCHER)
    file = services.assign_researcher(file=make_active(intake), researcher=researcher, by=manager, now=NOW)
    change = services.request_researcher_change(file=file, by=manager, reasons="سبب", now=NOW)
    services.decide_researcher_change(request=change, by=manager, accept=False, reasons="مرفوض", now=NOW)
    with pytest.raises(ValidationError) as caught:
        services.decide_researcher_change(request=change, by=manager, accept=False, reasons="مرة أخرى", now=NOW)
    assert caught.value.code == "request_not_pending"
    assert ResearcherChangeRequest.objects.get().decision_reasons == "مرفوض"


@pytest.mark.rule("RT-2")
def test_rt2_assign_refuses_someone_not_a_researcher(intake, manager):
    file = make_active(intake)
    with pytest.raises(ValidationError) as caught:
        services.assign_researcher(file=file, researcher=intake, by=manager, now=NOW)
    assert caught.value.code == "not_a_researcher"
    file.refresh_from_db()
    assert file.researcher is None and not file.assignments.exists()


# --- Changes and the annual update (DU-4, DU-5) -----------------------------------------------


@pytest.mark.rule("DU-4")
def test_du4_record_change_without_values_leaves_the_file(intake):
    file = make_active(intake)
    version = file.version
    change = services.record_change(file=file, by=intake, kind="income", reported_on=TODAY, description=" زاد الدخل ",
                                    today=TODAY)
    file.refresh_from_db()
    assert file.version == version and change.description == "زاد الدخل"


@pytest.mark.rule("DU-4")
def test_du4_record_change_in_the_future_refused(intake):
    file = make_active(intake)
    with pytest.raises(ValidationError) as caught:
        services.record_change(file=file, by=intake, kind="address", reported_on=TODAY + dt.timedelta(days=1),
                               description="x", today=TODAY, changes={"city": "جدة"}, expected_version=file.version)
    assert caught.value.code == "reported_in_future"
    file.refresh_from_db()
    assert file.city != "جدة" and not ReportedChange.objects.exists()


@pytest.mark.rule("DU-5")
def test_du5_announce_needs_active_files(intake, manager):
    make_draft(intake)
    with pytest.raises(ValidationError) as caught:
        services.announce_annual_update(by=manager, title="x", deadline=TODAY + dt.timedelta(days=10), today=TODAY)
    assert caught.value.code == "no_active_files" and not UpdateRequest.objects.exists()
