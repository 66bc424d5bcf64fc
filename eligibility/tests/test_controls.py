"""SC-1…SC-12 through the services (eligibility/controls.py), and the daily sweep (sweep.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, UpdateRequest
from beneficiaries.policy import FileStatus, Gender, MaritalStatus, Relationship
from charity import calendar
from charity.models import Notification, PolicyProfile
from eligibility import controls, errors, policy, sweep
from eligibility.models import Certificate, DeathRecord, Exclusion, Freeze
from testdata import NOW, TODAY, add_member, head_data, make_active, pdf_upload, tell_families

pytestmark = pytest.mark.django_db


def _exclude(file, rule, staff, **kw):
    kw.setdefault("proof_note", "محضر موقع من الباحثة")
    return controls.exclude_file(file=file, rule=rule, by=staff["manager"], today=TODAY, now=NOW,
                                 profile=PolicyProfile.objects.active(), **kw)


def test_sc_table_covers_every_rule_with_its_consequence():
    assert list(policy.SERVICE_CONTROLS) == [f"SC-{n}" for n in range(1, 13)]
    assert policy.control("SC-1").consequence == policy.Consequence.CONTINUE
    assert policy.control("SC-6").freeze_months_field == "freeze_documents_months"
    assert policy.control("SC-12").freeze_months_field == "freeze_contact_months"
    assert policy.control("SC-7").consequence == policy.Consequence.TRANSFER
    assert policy.control("SC-2").document == policy.DocumentKind.CERTIFICATE
    assert policy.control("SC-4").refer_to_authorities
    assert set(policy.EXCLUSION_RULES) == {"SC-2", "SC-3", "SC-4", "SC-5", "SC-8", "SC-9", "SC-10", "SC-11"}


def _renew_update_documents(file, staff, on):
    """DU-5: the family hands in the annual update's documents and the request is completed."""
    for doc_type in ("identity", "family_record", "income_statement"):
        file_services.upload_document(file=file, by=staff["manager"], uploaded=pdf_upload(), doc_type=doc_type,
                                      today=on)
    file_services.complete_update_request(request=UpdateRequest.objects.get(file=file), by=staff["manager"],
                                          now=NOW)


@pytest.mark.rule("SC-1")
def test_sc1_a_file_that_renewed_its_documents_continues_past_the_update_deadline(active_file, staff):
    """SC-1: the sweep the day after the update's deadline leaves a file that met the conditions
    as it was (no freeze, no history row); the same sweep freezes the one that did not (SC-6)."""
    late = make_active(staff["intake"])
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=dt.date(2026, 12, 31),
                                         today=TODAY)
    tell_families()
    _renew_update_documents(active_file, staff, on=dt.date(2026, 12, 20))
    history = active_file.history.count()
    result = sweep.enforce_deadlines(today=dt.date(2027, 1, 1), now=NOW)
    assert (result.frozen, result.excluded, result.failed) == (1, 0, 0)
    active_file.refresh_from_db()
    assert active_file.status == FileStatus.ACTIVE and active_file.history.count() == history
    assert not Freeze.objects.filter(file=active_file).exists()
    assert UpdateRequest.objects.get(file=active_file).status == UpdateRequest.Status.COMPLETED
    late.refresh_from_db()
    assert late.status == FileStatus.FROZEN and Freeze.objects.get(file=late).rule == "SC-6"


@pytest.mark.rule("SC-1")
def test_sc1_a_freeze_answered_in_time_is_not_excluded_when_its_period_ends(active_file, staff):
    """SC-1: a file whose freeze was lifted continues when the period it would have had ends;
    the same sweep excludes the file that never answered (SC-12)."""
    silent = make_active(staff["intake"])
    profile = PolicyProfile.objects.active()
    for file in (active_file, silent):
        controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=profile)
    answered = Freeze.objects.get(file=active_file)
    controls.lift_freeze(freeze=answered, by=staff["manager"], now=NOW, note="حدّث رقم الجوال")
    result = sweep.enforce_deadlines(today=calendar.add_days(answered.ends_on, 1), now=NOW)
    assert (result.excluded, result.failed) == (1, 0)
    active_file.refresh_from_db()
    answered.refresh_from_db()
    assert active_file.status == FileStatus.ACTIVE and answered.outcome == Freeze.Outcome.LIFTED
    assert not Exclusion.objects.filter(file=active_file).exists()
    assert Exclusion.objects.get(file=silent).rule == "SC-12"


@pytest.mark.rule("SC-2")
def test_sc2_exclusion_issues_a_certificate_and_closes_the_file(active_file, staff):
    exclusion = _exclude(active_file, "SC-2", staff)
    active_file.refresh_from_db()
    assert active_file.status == FileStatus.EXCLUDED
    certificate = Certificate.objects.get(exclusion=exclusion)
    assert certificate.kind == policy.DocumentKind.CERTIFICATE
    assert certificate.serial.startswith("EX-1448-") and len(certificate.verification_code) == 20
    assert exclusion.decided_by == staff["manager"] and exclusion.decided_on == TODAY


@pytest.mark.parametrize("rule", [pytest.param(rule, marks=pytest.mark.rule(rule))
                                  for rule in ("SC-5", "SC-9", "SC-11")])
def test_sc5_sc9_sc11_exclude_by_decision_on_proof(active_file, staff, rule):
    """The file is excluded, and the exclusion records the rule, the proof, who decided and when;
    the file's history says why, and the decision is issued."""
    exclusion = _exclude(active_file, rule, staff, proof_note="محضر موقع من الباحثة")
    active_file.refresh_from_db()
    assert active_file.status == FileStatus.EXCLUDED and active_file.status_changed_at == NOW
    assert Exclusion.objects.get(file=active_file) == exclusion
    assert (exclusion.rule, exclusion.proof_note, exclusion.decided_by, exclusion.decided_at, exclusion.decided_on) == (
        rule, "محضر موقع من الباحثة", staff["manager"], NOW, TODAY)
    latest = active_file.history.first()
    assert (latest.status, latest.history_change_reason) == (FileStatus.EXCLUDED, f"{rule} exclusion")
    certificate = Certificate.objects.get(exclusion=exclusion)
    assert certificate.kind == policy.DocumentKind.DECISION and certificate.issued_at == NOW


@pytest.mark.parametrize("rule", ["SC-3", "SC-5", "SC-8", "SC-9", "SC-10", "SC-11"])
def test_exclusion_without_proof_is_refused_and_changes_nothing(active_file, staff, rule):
    with pytest.raises(ValidationError) as excinfo:
        _exclude(active_file, rule, staff, proof_note="  ")
    assert excinfo.value.messages == [str(errors.PROOF_REQUIRED)]
    active_file.refresh_from_db()
    assert active_file.status == FileStatus.ACTIVE and not Exclusion.objects.exists()


@pytest.mark.rule("SC-2")
def test_sc2_proof_may_be_a_document_of_the_file(active_file, staff):
    doc = file_services.upload_document(file=active_file, by=staff["manager"], uploaded=pdf_upload(),
                                        doc_type="proof", today=TODAY)
    exclusion = _exclude(active_file, "SC-2", staff, proof_note="", proof_document=doc)
    assert exclusion.proof_document == doc


@pytest.mark.rule("SC-4")
def test_sc4_records_the_referral_to_the_authorities(active_file, staff):
    with pytest.raises(ValidationError) as excinfo:
        _exclude(active_file, "SC-4", staff)
    assert excinfo.value.messages == [str(errors.AUTHORITY_REQUIRED)]
    exclusion = _exclude(active_file, "SC-4", staff, referred_to="شرطة منطقة الرياض")
    assert exclusion.referred_to_authorities == "شرطة منطقة الرياض"


@pytest.mark.rule("SC-8")
def test_sc8_marriage_of_a_widow_excludes_but_not_a_married_head(staff):
    widow = make_active(staff["intake"], categories=("widow",))
    assert _exclude(widow, "SC-8", staff).rule == "SC-8"
    married = make_active(staff["intake"], categories=("limited_income",),
                          head=head_data(marital_status=MaritalStatus.MARRIED, gender=Gender.MALE))
    with pytest.raises(ValidationError) as excinfo:
        _exclude(married, "SC-8", staff)
    assert excinfo.value.messages == [str(errors.NOT_WIDOW_OR_DIVORCED)]


@pytest.mark.rule("SC-10")
def test_sc10_excludes_but_orphans_are_exempt_as_the_profile_says(staff):
    family = make_active(staff["intake"], categories=("limited_income",))
    assert _exclude(family, "SC-10", staff).rule == "SC-10"
    orphans = make_active(staff["intake"], categories=("orphan",))
    with pytest.raises(ValidationError) as excinfo:
        _exclude(orphans, "SC-10", staff)
    assert excinfo.value.messages == [str(errors.ORPHANS_EXEMPT)]
    profile = PolicyProfile.objects.active()
    profile.sc10_orphans_exempt = False  # the interpretation is configurable
    profile.save()
    assert _exclude(orphans, "SC-10", staff).rule == "SC-10"


def test_exclusion_happens_once_per_file(active_file, staff):
    _exclude(active_file, "SC-5", staff)
    with pytest.raises(ValidationError):
        _exclude(BeneficiaryFile.objects.get(pk=active_file.pk), "SC-9", staff)
    assert Exclusion.objects.filter(file=active_file).count() == 1


@pytest.mark.rule("RT-4")
def test_rt4_exclusion_reason_reaches_the_beneficiary(active_file, staff):
    exclusion = _exclude(active_file, "SC-9", staff)
    sms = Notification.objects.get(object_id=str(exclusion.pk), channel="sms", purpose="exclusion-SC-9")
    assert sms.recipient == active_file.mobile
    from django.utils import translation

    with translation.override("ar"):
        reason = str(policy.control("SC-9").situation)
    assert active_file.number in sms.body and reason in sms.body
    assert Notification.objects.filter(object_id=str(exclusion.pk), channel="email").exists() is False  # no email


@pytest.mark.rule("SC-6")
def test_sc6_freeze_lasts_the_profile_period_and_lifts_on_response(active_file, staff):
    profile = PolicyProfile.objects.active()
    freeze = controls.freeze_file(file=active_file, rule="SC-6", by=staff["manager"], today=dt.date(2026, 1, 31),
                                  now=NOW, profile=profile)
    assert freeze.ends_on == dt.date(2026, 2, 28)  # one calendar month, clamped
    active_file.refresh_from_db()
    assert active_file.status == FileStatus.FROZEN
    controls.lift_freeze(freeze=freeze, by=staff["manager"], now=NOW, note="سلمت المستندات")
    active_file.refresh_from_db()
    freeze.refresh_from_db()
    assert active_file.status == FileStatus.ACTIVE and freeze.outcome == Freeze.Outcome.LIFTED


@pytest.mark.rule("SC-12")
def test_sc12_freeze_is_three_months_and_the_period_comes_from_the_profile(active_file, staff):
    profile = PolicyProfile.objects.active()
    freeze = controls.freeze_file(file=active_file, rule="SC-12", by=staff["manager"], today=dt.date(2026, 11, 30),
                                  now=NOW, profile=profile)
    assert freeze.ends_on == dt.date(2027, 2, 28)
    controls.lift_freeze(freeze=freeze, by=staff["manager"], now=NOW, note="حدّث رقم الجوال")
    profile.freeze_contact_months = 2
    profile.save()
    again = controls.freeze_file(file=active_file, rule="SC-12", by=staff["manager"], today=dt.date(2026, 11, 30),
                                 now=NOW, profile=profile)
    assert again.ends_on == dt.date(2027, 1, 30)


def test_one_open_freeze_per_file(active_file, staff):
    profile = PolicyProfile.objects.active()
    controls.freeze_file(file=active_file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=profile)
    with pytest.raises(ValidationError):
        controls.freeze_file(file=BeneficiaryFile.objects.get(pk=active_file.pk), rule="SC-6", by=staff["manager"],
                             today=TODAY, now=NOW, profile=profile)


@pytest.mark.rule("SC-6")
def test_sc6_sweep_freezes_late_updates_then_excludes_if_no_response(active_file, staff):
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=dt.date(2026, 12, 31),
                                         today=TODAY)
    tell_families()
    assert sweep.enforce_deadlines(today=dt.date(2026, 12, 31), now=NOW).frozen == 0  # due today: not late
    result = sweep.enforce_deadlines(today=dt.date(2027, 1, 1), now=NOW)
    assert (result.frozen, result.excluded) == (1, 0)
    freeze = Freeze.objects.get(file=active_file)
    assert freeze.rule == "SC-6" and freeze.ends_on == dt.date(2027, 2, 1)
    assert UpdateRequest.objects.get(file=active_file).status == UpdateRequest.Status.LATE
    assert sweep.enforce_deadlines(today=dt.date(2027, 2, 1), now=NOW).excluded == 0  # last day of the freeze
    result = sweep.enforce_deadlines(today=dt.date(2027, 2, 2), now=NOW)
    assert result.excluded == 1
    exclusion = Exclusion.objects.get(file=active_file)
    assert exclusion.rule == "SC-6" and exclusion.freeze == freeze and exclusion.decided_by is None
    active_file.refresh_from_db()
    assert active_file.status == FileStatus.EXCLUDED


def test_sweep_twice_excludes_each_file_once(staff):
    files = [make_active(staff["intake"]) for _ in range(3)]
    profile = PolicyProfile.objects.active()
    for file in files:
        controls.freeze_file(file=file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=profile)
    later = dt.date(2027, 3, 1)
    assert sweep.enforce_deadlines(today=later, now=NOW).excluded == 3
    assert sweep.enforce_deadlines(today=later, now=NOW).excluded == 0
    assert Exclusion.objects.count() == 3


@pytest.mark.rule("SC-6")
def test_sc6_lifting_needs_the_renewed_documents(active_file, staff):
    """SC-6: staff cannot lift before the documents are in; the documents handed in during the
    freeze are a response: waiting for review while incomplete, lifted by themselves once complete."""
    file_services.announce_annual_update(by=staff["manager"], title="تحديث", deadline=dt.date(2026, 12, 31),
                                         today=TODAY)
    tell_families()
    sweep.enforce_deadlines(today=dt.date(2027, 1, 1), now=NOW)
    freeze = Freeze.objects.get(file=active_file)
    with pytest.raises(ValidationError):
        controls.lift_freeze(freeze=freeze, by=staff["manager"], now=NOW, note="")
    file_services.upload_document(file=active_file, by=staff["manager"], uploaded=pdf_upload(), doc_type="identity",
                                  today=dt.date(2027, 1, 5))
    freeze.refresh_from_db()
    assert freeze.outcome == Freeze.Outcome.OPEN and freeze.awaiting_review
    for doc_type in ("family_record", "income_statement"):
        file_services.upload_document(file=active_file, by=staff["manager"], uploaded=pdf_upload(),
                                      doc_type=doc_type, today=dt.date(2027, 1, 5))
    freeze.refresh_from_db()
    active_file.refresh_from_db()
    assert freeze.outcome == Freeze.Outcome.LIFTED and freeze.ended_by is None
    assert active_file.status == FileStatus.ACTIVE
    assert UpdateRequest.objects.get(file=active_file).status == UpdateRequest.Status.COMPLETED


def test_enforce_deadlines_command_takes_today(active_file, staff, capsys):
    profile = PolicyProfile.objects.active()
    controls.freeze_file(file=active_file, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=profile)
    call_command("enforce_deadlines", "--today", "2027-03-01")
    assert "1 excluded" in capsys.readouterr().out


def _family(staff, *, head_gender, wife=False, children=0):
    file = make_active(staff["intake"], head=head_data(gender=head_gender, marital_status=MaritalStatus.MARRIED
                                                       if wife else MaritalStatus.WIDOWED))
    members = {}
    if wife:
        members["wife"] = add_member(file, relationship=Relationship.WIFE, first_name="نورة",
                                     birth_date=dt.date(1985, 1, 1), gender=Gender.FEMALE,
                                     marital_status=MaritalStatus.MARRIED)
    for n in range(children):  # grown up: a son may head the file after his mother (SC-7)
        members[f"child{n}"] = add_member(file, birth_date=dt.date(2000 + n, 1, 1))
    return BeneficiaryFile.objects.get(pk=file.pk), members


@pytest.mark.rule("SC-7")
def test_sc7_a_man_dies_and_the_file_moves_to_his_wife(staff):
    file, members = _family(staff, head_gender=Gender.MALE, wife=True, children=1)
    number = file.number
    head = file.members.get(relationship=Relationship.HEAD)
    record = controls.record_death(file=file, deceased=head, died_on=TODAY, by=staff["manager"], now=NOW)
    file.refresh_from_db()
    assert record.outcome == policy.DeathOutcome.TO_WIFE and record.new_head == members["wife"]
    assert file.number == number and file.status == FileStatus.ACTIVE
    assert file.head_id_number == members["wife"].id_number and file.head_name == members["wife"].full_name
    assert file.history.count() > 1  # history kept


@pytest.mark.rule("SC-7")
def test_sc7_a_mother_dies_and_the_file_moves_to_a_chosen_child(staff):
    file, members = _family(staff, head_gender=Gender.FEMALE, children=2)
    head = file.members.get(relationship=Relationship.HEAD)
    with pytest.raises(ValidationError) as excinfo:
        controls.record_death(file=file, deceased=head, died_on=TODAY, by=staff["manager"], now=NOW)
    assert excinfo.value.messages == [str(errors.CHILD_REQUIRED)]
    record = controls.record_death(file=file, deceased=head, died_on=TODAY, by=staff["manager"], now=NOW,
                                   new_head=members["child1"])
    file.refresh_from_db()
    assert record.outcome == policy.DeathOutcome.TO_CHILD and file.head_id_number == members["child1"].id_number


@pytest.mark.rule("SC-7")
def test_sc7_a_new_head_who_already_heads_another_open_file_is_refused_and_nothing_changes(staff):
    """SC-7 with the one-open-file-per-head rule: the wife already heads her own open file, so
    the file cannot move to her; the death is not recorded and the household stays as it was."""
    file, members = _family(staff, head_gender=Gender.MALE, wife=True)
    wife = members["wife"]
    own = make_active(staff["intake"], head=head_data(id_number=wife.id_number, gender=Gender.FEMALE))
    head = file.members.get(relationship=Relationship.HEAD)
    with pytest.raises(ValidationError) as excinfo:
        controls.record_death(file=file, deceased=head, died_on=TODAY, by=staff["manager"], now=NOW)
    assert excinfo.value.code == "new_head_has_file"
    assert excinfo.value.messages == [str(errors.NEW_HEAD_HAS_FILE % {"number": own.number})]
    file.refresh_from_db()
    head.refresh_from_db()
    assert file.head_id_number == head.id_number and head.deceased_on is None
    assert not DeathRecord.objects.filter(file=file).exists()


@pytest.mark.rule("SC-7")
def test_sc7_no_dependants_closes_the_file(staff):
    file, _ = _family(staff, head_gender=Gender.FEMALE)
    head = file.members.get(relationship=Relationship.HEAD)
    controls.record_death(file=file, deceased=head, died_on=TODAY, by=staff["manager"], now=NOW)
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED
    assert DeathRecord.objects.get(file=file).outcome == policy.DeathOutcome.CLOSED


def _young_family(staff):
    """A father, his wife and their son of eleven, registered under «limited income»."""
    file = make_active(staff["intake"], categories=("limited_income",),
                       head=head_data(gender=Gender.MALE, marital_status=MaritalStatus.MARRIED))
    add_member(file, relationship=Relationship.WIFE, first_name="نورة", birth_date=dt.date(1985, 1, 1),
               gender=Gender.FEMALE, marital_status=MaritalStatus.MARRIED)
    add_member(file, birth_date=dt.date(2015, 6, 1))
    return BeneficiaryFile.objects.get(pk=file.pk)


@pytest.mark.rule("SC-10")
def test_sc10_the_orphans_of_a_household_are_exempt_whatever_the_files_category(staff):
    """SC-10 (interpretation): after the father's death the file moves to the mother and keeps
    «limited income»; its children under 18 are orphans all the same and the exclusion is
    refused. Once the children are grown, or where no father died, it goes through."""
    file = _young_family(staff)
    head = file.members.get(relationship=Relationship.HEAD)
    controls.record_death(file=file, deceased=head, died_on=TODAY, by=staff["manager"], now=NOW)
    assert "orphan" not in set(file.categories.values_list("code", flat=True))
    with pytest.raises(ValidationError) as refused:
        _exclude(file, "SC-10", staff)
    assert refused.value.code == "orphans_exempt" and not Exclusion.objects.filter(file=file).exists()
    assert controls.household_has_orphans(file, TODAY)
    assert not controls.household_has_orphans(file, dt.date(2034, 1, 1))  # the son is grown up

    living = _young_family(staff)
    assert not controls.household_has_orphans(living, TODAY)
    _exclude(living, "SC-10", staff)
    assert Exclusion.objects.get(file=living).rule == "SC-10"
