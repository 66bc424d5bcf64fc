"""EL-1…EL-9, IN-5, IN-7, RT-1, RT-4, RT-5 and the deciding body (PR) through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beneficiaries import services as file_services
from beneficiaries.policy import FileStatus, HousingType, IncomeKind, SchoolStage
from charity.models import Notification, PolicyProfile
from charity.needs_study import DEFAULT_NEEDS_STUDY as DEFAULTS
from charity.roles import Role
from eligibility import errors, policy, services
from eligibility.models import Decision, FieldVisit, VerificationItem
from eligibility.policy import ItemKind, Outcome, Vote
from testdata import NOW, TODAY, add_member, load_set_up, make_submitted, pdf_upload, unique_national_id

pytestmark = pytest.mark.django_db


def _child(file, stage=SchoolStage.PRIMARY, disability=False):
    return add_member(file, school_stage=stage, has_disability=disability,
                      disability="إعاقة حركية" if disability else "")


@pytest.fixture
def studied(staff):
    """A submitted application with a child at school, a salary and rented housing."""
    file = make_submitted(staff["intake"], categories=("abandoned",), housing_type=HousingType.RENTED)
    return file


@pytest.mark.rule("EL-1", "EL-2", "EL-3", "EL-4", "EL-5", "EL-6", "EL-7", "EL-8")
def test_el1_to_el8_checklist_follows_categories_and_household(staff):
    file = make_submitted(staff["intake"], categories=("abandoned", "disabled"), housing_type=HousingType.RENTED)
    child = _child(file, disability=True)
    file_services.save_income(file=file, data={"kind": IncomeKind.SALARY, "monthly_amount": Decimal("2000")})
    items = services.ensure_checklist(file)
    kinds = [i.kind for i in items]
    assert kinds.count(ItemKind.AGENCY_PRINTOUT) == 1  # EL-1
    assert ItemKind.FIELD_VISIT in kinds  # EL-2
    assert ItemKind.WITNESSES in kinds  # EL-3: abandoned woman
    assert ItemKind.INCOME_STATEMENT in kinds  # EL-4
    school = [i for i in items if i.kind == ItemKind.SCHOOL_CERTIFICATE]
    assert [i.member for i in school] == [child]  # EL-5: one per school-age dependant
    assert ItemKind.SOCIAL_SECURITY in kinds  # EL-6
    assert [i.member for i in items if i.kind == ItemKind.MEDICAL_REPORT] == [child]  # EL-7 disability
    assert ItemKind.RENTAL_CONTRACT in kinds  # EL-7 rental contract
    assert ItemKind.NEEDS_ASSESSMENT in kinds  # EL-8
    assert {i.rule for i in items} >= {"EL-1", "EL-2", "EL-3", "EL-4", "EL-5", "EL-6", "EL-7", "EL-8"}


@pytest.mark.rule("EL-7")
def test_el7_cancer_patients_need_a_medical_report_in_amass(staff):
    load_set_up("amass")  # its service area set, as an admin would
    file = make_submitted(staff["intake"], categories=("cancer_patient",))
    assert ItemKind.MEDICAL_REPORT in [i.kind for i in services.ensure_checklist(file)]


def test_checklist_is_idempotent_and_never_deletes(studied):
    first = services.ensure_checklist(studied)
    again = services.ensure_checklist(studied)
    assert [i.pk for i in first] == [i.pk for i in again]
    studied.categories.clear()  # no longer abandoned: the witnesses item becomes not applicable
    items = {i.kind: i for i in services.ensure_checklist(studied)}
    assert items[ItemKind.WITNESSES].status == VerificationItem.Status.NOT_APPLICABLE


def test_el_items_are_verified_with_their_document_by_whom_and_when(studied, staff):
    item = next(i for i in services.ensure_checklist(studied) if i.kind == ItemKind.AGENCY_PRINTOUT)
    with pytest.raises(ValidationError) as excinfo:
        services.verify_item(item=item, by=staff["researcher"], now=NOW)
    assert excinfo.value.messages == [str(errors.NO_DOCUMENT)]
    doc = file_services.upload_document(file=studied, by=staff["researcher"], uploaded=pdf_upload(),
                                        doc_type="agency_printout", today=TODAY)
    services.attach_document(item=item, document=doc)
    assert item.status == VerificationItem.Status.RECEIVED
    services.verify_item(item=item, by=staff["researcher"], now=NOW)
    item.refresh_from_db()
    assert (item.status, item.verified_by, item.verified_at) == (VerificationItem.Status.VERIFIED,
                                                                  staff["researcher"], NOW)


@pytest.mark.rule("EL-3")
def test_el3_two_witnesses_with_name_id_phone_and_statement(studied, staff):
    item = next(i for i in services.ensure_checklist(studied) if i.kind == ItemKind.WITNESSES)
    services.add_witness(file=studied, by=staff["researcher"], now=NOW, name="سعد العنزي",
                         national_id=unique_national_id(), phone="+966501111111", statement="أعرف حالها منذ سنوات")
    with pytest.raises(ValidationError) as excinfo:
        services.verify_item(item=item, by=staff["researcher"], now=NOW)
    assert excinfo.value.messages == [str(errors.TWO_WITNESSES_NEEDED)]
    services.add_witness(file=studied, by=staff["researcher"], now=NOW, name="منيرة الشمري",
                         national_id=unique_national_id(), phone="+966502222222", statement="جارتها")
    services.verify_item(item=item, by=staff["researcher"], now=NOW)


@pytest.mark.rule("EL-2")
def test_el2_field_visit_report_and_nobody_home(studied, staff):
    services.ensure_checklist(studied)
    visit = services.schedule_visit(file=studied, by=staff["researcher"], researcher=staff["researcher"],
                                    on=TODAY + dt.timedelta(days=2), today=TODAY)
    new_visit = services.record_nobody_home(visit=visit, by=staff["researcher"], new_date=TODAY + dt.timedelta(days=5),
                                            today=TODAY, note="لم يفتح أحد")
    visit.refresh_from_db()
    assert visit.status == FieldVisit.Status.NOBODY_HOME and visit.rescheduled_to == new_visit
    with pytest.raises(ValidationError):
        services.record_visit(visit=new_visit, by=staff["researcher"], now=NOW, report={"observations": "x"})
    photo = file_services.upload_document(file=studied, by=staff["researcher"], uploaded=pdf_upload(),
                                          doc_type="field_visit_photo", today=TODAY)
    services.record_visit(visit=new_visit, by=staff["researcher"], now=NOW, photos=[photo], report={
        "housing_type": "شقة", "housing_state": "poor", "furniture": "قديم", "observations": "رطوبة في الجدران",
        "present": "الأم وابنها", "recommendation": "eligible"})
    new_visit.refresh_from_db()
    assert new_visit.status == FieldVisit.Status.COMPLETED and list(new_visit.photos.all()) == [photo]
    assert studied.verification_items.get(kind=ItemKind.FIELD_VISIT).status == VerificationItem.Status.VERIFIED


@pytest.mark.rule("EL-9", "IN-7")
def test_el9_needs_score_breakdown_and_in7_recommended_services():
    score = policy.needs_score(monthly_income=Decimal("3000"), household_size=4, dependants=3,
                               threshold=Decimal("1500"), housing_type=HousingType.RENTED, housing_poor=True,
                               health_cases=1, school_children=2, working_age_adults=1, study=DEFAULTS)
    assert score.income_per_member == Decimal("750.00")
    assert score.points == {"income": 20, "dependants": 12, "housing": 20, "health": 10}
    assert score.total == 62
    assert score.services == ["monthly_cash", "food_basket", "rent_support", "home_repair", "school_supplies",
                              "medical_support", "training"]
    rich = policy.needs_score(monthly_income=Decimal("20000"), household_size=2, dependants=1,
                              threshold=Decimal("1500"), housing_type=HousingType.OWNED, housing_poor=False,
                              health_cases=0, school_children=0, working_age_adults=2, study=DEFAULTS)
    assert rich.points["income"] == 0 and "monthly_cash" not in rich.services


@pytest.mark.rule("EL-9")
def test_el9_each_part_of_the_needs_score_is_capped_at_its_weight_and_the_total_at_100():
    """EL-9: a very large household, no income, poor rented housing and many health cases reach
    each part's weight and no more; the total is 100 at most."""
    worst = policy.needs_score(monthly_income=Decimal("0"), household_size=15, dependants=14,
                               threshold=Decimal("1500"), housing_type=HousingType.RENTED, housing_poor=True,
                               health_cases=6, school_children=8, working_age_adults=0,
                               study=DEFAULTS)
    assert worst.points == DEFAULTS["maxima"] and worst.total == sum(DEFAULTS["maxima"].values()) == 100
    one_less = policy.needs_score(monthly_income=Decimal("0"), household_size=15, dependants=4,
                                  threshold=Decimal("1500"), housing_type=HousingType.RENTED, housing_poor=False,
                                  health_cases=1, school_children=0, working_age_adults=0,
                                  study=DEFAULTS)
    assert one_less.points == {"income": 40, "dependants": 16, "housing": 14, "health": 10}  # below every cap


@pytest.mark.rule("EL-8")
def test_el8_assessment_reads_the_file_and_uses_the_profile_threshold(studied, staff):
    services.ensure_checklist(studied)
    _child(studied)
    file_services.save_income(file=studied, data={"kind": IncomeKind.SOCIAL_SECURITY,
                                                  "monthly_amount": Decimal("1800")})
    profile = PolicyProfile.objects.active()
    profile.income_threshold_per_member = Decimal("1000")
    profile.save()
    assessment = services.assess_needs(file=studied, by=staff["researcher"], now=NOW, today=TODAY, profile=profile)
    assert (assessment.household_size, assessment.dependants) == (2, 1)
    assert assessment.income_per_member == Decimal("900.00") and assessment.threshold == Decimal("1000")
    assert assessment.score == sum(assessment.breakdown.values())
    assert "monthly_cash" in assessment.recommended_services


@pytest.mark.rule("EL-8")
def test_el8_working_age_counts_full_years_from_the_birthday(studied):
    """A member two days short of 18 is not yet a working-age adult (full years, as the file
    page shows ages: charity.calendar.age_on)."""
    add_member(studied, birth_date=TODAY.replace(year=TODAY.year - 18) + dt.timedelta(days=2))
    before = services.household_figures(studied, today=TODAY)["working_age_adults"]
    after = services.household_figures(studied, today=TODAY + dt.timedelta(days=2))["working_age_adults"]
    assert after == before + 1


def _ready_for_decision(file, staff):
    """Verify or close every item so the file can go to decision."""
    for item in services.ensure_checklist(file):
        if item.kind == ItemKind.FIELD_VISIT:
            visit = services.schedule_visit(file=file, by=staff["researcher"], researcher=staff["researcher"],
                                            on=TODAY, today=TODAY)
            services.record_visit(visit=visit, by=staff["researcher"], now=NOW, report={
                "housing_state": "fair", "observations": "-", "present": "الأم", "recommendation": "eligible"})
        elif item.kind == ItemKind.NEEDS_ASSESSMENT:
            services.assess_needs(file=file, by=staff["researcher"], now=NOW, today=TODAY,
                                  profile=PolicyProfile.objects.active())
        else:
            item.refresh_from_db()
            if item.is_open:
                services.mark_not_applicable(item=item, by=staff["researcher"], now=NOW, note="لا ينطبق")


@pytest.mark.rule("RT-1")
def test_rt1_no_decision_while_a_required_item_is_open(staff):
    file = make_submitted(staff["intake"])
    services.ensure_checklist(file)
    with pytest.raises(ValidationError) as excinfo:
        services.decide_application(file=file, by=staff["manager"], profile=PolicyProfile.objects.active(),
                                    outcome=Outcome.ACCEPT, reasons="", now=NOW)
    labels = "، ".join(str(i.get_kind_display()) for i in services.open_items(file))
    assert excinfo.value.messages == [str(errors.OPEN_ITEMS % {"items": labels})]
    file.refresh_from_db()
    assert file.status == FileStatus.UNDER_STUDY and not Decision.objects.exists()


def test_pr_manager_accepts_and_the_file_becomes_active(staff, django_capture_on_commit_callbacks):
    file = make_submitted(staff["intake"])
    _ready_for_decision(file, staff)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decide_application(file=file, by=staff["manager"], profile=PolicyProfile.objects.active(),
                                               outcome=Outcome.ACCEPT, reasons="", now=NOW)
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE and decision.body == "manager"
    sent = Notification.objects.get(object_id=str(decision.pk), purpose="decision-accept")
    assert sent.status == Notification.Status.SENT


@pytest.mark.rule("RT-4")
def test_rt4_rejection_needs_reasons_that_reach_the_applicant(staff):
    file = make_submitted(staff["intake"])
    _ready_for_decision(file, staff)
    profile = PolicyProfile.objects.active()
    with pytest.raises(ValidationError) as excinfo:
        services.decide_application(file=file, by=staff["manager"], profile=profile, outcome=Outcome.REJECT,
                                    reasons="   ", now=NOW)
    assert excinfo.value.messages == [str(errors.REASONS_REQUIRED)]
    decision = services.decide_application(file=file, by=staff["manager"], profile=profile, outcome=Outcome.REJECT,
                                           reasons="الدخل يتجاوز الحد", now=NOW)
    file.refresh_from_db()
    assert file.status == FileStatus.REJECTED
    sms = Notification.objects.get(object_id=str(decision.pk), channel="sms", purpose="decision-reject")
    assert "الدخل يتجاوز الحد" in sms.body and file.number in sms.body


@pytest.mark.rule("RT-5")
def test_rt5_family_member_taking_part_is_recorded(staff):
    file = make_submitted(staff["intake"])
    _ready_for_decision(file, staff)
    decision = services.decide_application(file=file, by=staff["manager"], profile=PolicyProfile.objects.active(),
                                           outcome=Outcome.ACCEPT, reasons="", now=NOW,
                                           family_participant="خالد محمد القحطاني",
                                           family_participant_relationship="ابن")
    assert (decision.family_participant, decision.family_participant_relationship) == ("خالد محمد القحطاني", "ابن")


def test_pr_committee_decides_by_votes_of_members_present(staff, make_user):
    profile = load_set_up("kafl")  # the research committee decides; its quorum set to 3 (testdata)
    members = [make_user(Role.COMMITTEE, username=f"c{i}") for i in range(3)]
    file = make_submitted(staff["intake"], categories=("prisoner_family",))
    _ready_for_decision(file, staff)
    with pytest.raises(ValidationError) as excinfo:  # the manager is not the deciding body here
        services.decide_application(file=file, by=staff["manager"], profile=profile, outcome=Outcome.ACCEPT,
                                    reasons="", now=NOW)
    assert excinfo.value.messages == [str(errors.NOT_THE_DECIDING_BODY)]
    with pytest.raises(ValidationError) as excinfo:  # quorum
        services.decide_application(file=file, by=members[0], profile=profile, outcome=Outcome.ACCEPT, reasons="",
                                    now=NOW, votes=[(members[0], Vote.ACCEPT)])
    assert excinfo.value.messages == [str(errors.NO_QUORUM % {"quorum": 3})]
    votes = [(members[0], Vote.ACCEPT), (members[1], Vote.ACCEPT), (members[2], Vote.REJECT)]
    with pytest.raises(ValidationError):  # the outcome follows the majority
        services.decide_application(file=file, by=members[0], profile=profile, outcome=Outcome.REJECT,
                                    reasons="x", now=NOW, votes=votes)
    decision = services.decide_application(file=file, by=members[0], profile=profile, outcome=Outcome.ACCEPT,
                                           reasons="", now=NOW, votes=votes)
    assert decision.body == "committee"
    assert sorted(decision.votes.values_list("vote", flat=True)) == ["accept", "accept", "reject"]


def test_pr_tied_committee_votes_decide_nothing():
    assert policy.committee_outcome([Vote.ACCEPT, Vote.REJECT, Vote.ABSTAIN]) is None
    assert policy.committee_outcome([Vote.ACCEPT, Vote.ACCEPT, Vote.REJECT]) == Outcome.ACCEPT
