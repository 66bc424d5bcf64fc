"""TK-1 through the services: aid only for active files, cash to the IBAN, the proposer never
approves, payment with its reference, cancellation; and SAT-1, the survey after a payment."""

import logging

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from aid import policy, services
from aid.models import Disbursement
from aid.services import disbursements
from aid.tasks import SURVEY_RETRIES, send_payment_survey
from beneficiaries import services as file_services
from beneficiaries.policy import FileStatus
from charity.celery import app as celery_app
from charity.models import Notification
from satisfaction.models import Service, Survey
from testdata import NOW, TODAY, make_submitted

from .builders import IBAN, D, Status, active_file, ar, message, paid_cash, propose_cash, refusal

pytestmark = pytest.mark.django_db


# --- TK-1: only active files, cash to the IBAN, the workflow --------------------------------------


@pytest.mark.rule("TK-1")
def test_tk1_cash_aid_to_under_study_or_frozen_file_refused(staff, fund):
    """TK-1: aid goes to active files only; nothing is created for another status."""
    under_study = make_submitted(staff["intake"], iban=IBAN)
    frozen = file_services.change_status(file=active_file(staff), to=FileStatus.FROZEN, now=NOW)
    for target in (under_study, frozen):
        with pytest.raises(ValidationError) as exc:
            propose_cash(target, staff, fund)
        assert refusal(exc) == message(policy.FILE_NOT_ACTIVE, status=ar(FileStatus(target.status).label))
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-1")
def test_tk1_cash_aid_without_iban_refused(staff, fund):
    """TK-1: cash aid is paid to the file's IBAN; without one it is refused."""
    no_iban = active_file(staff, iban="")
    with pytest.raises(ValidationError) as exc:
        propose_cash(no_iban, staff, fund)
    assert exc.value.code == "no_iban" and refusal(exc) == ar(policy.NO_IBAN)
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-1")
def test_tk1_cash_aid_needs_a_positive_amount(staff, file, fund):
    """TK-1: cash aid has an amount in riyals above zero."""
    for amount in ("0", "-5"):
        with pytest.raises(ValidationError) as exc:
            propose_cash(file, staff, fund, amount)
        assert exc.value.code == "amount_required"
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-1", "TK-8")
def test_tk1_proposal_records_household_size(staff, fund):
    """TK-1, TK-8: the household size when proposed is stored on the disbursement."""
    file = active_file(staff, members=2)
    assert propose_cash(file, staff, fund).household_size == 3


@pytest.mark.rule("TK-1")
def test_tk1_proposer_cannot_approve_own(staff, file, fund):
    """TK-1: whoever proposed the aid may not approve it."""
    disbursement = propose_cash(file, staff, fund, by=staff["manager"])
    with pytest.raises(ValidationError) as exc:
        services.approve_disbursement(disbursement=disbursement, by=staff["manager"], now=NOW)
    assert refusal(exc) == ar(policy.OWN_PROPOSAL)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PROPOSED and disbursement.approved_by is None
    services.approve_disbursement(disbursement=disbursement, by=staff["manager2"], now=NOW)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.APPROVED and disbursement.approved_by == staff["manager2"]


@pytest.mark.rule("TK-1")
def test_tk1_pay_needs_reference_copies_iban_and_tells_the_family(staff, file, fund,
                                                                  django_capture_on_commit_callbacks):
    """TK-1: payment needs the transfer reference; the IBAN is copied; the family gets an SMS in Arabic."""
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund, "250.00"),
                                                 by=staff["manager"], now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.pay_disbursement(disbursement=disbursement, by=staff["manager"], today=TODAY, now=NOW,
                                  transfer_reference="  ")
    assert refusal(exc) == ar(policy.TRANSFER_REFERENCE_REQUIRED)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.APPROVED and not Notification.objects.filter(purpose="aid-paid").exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.pay_disbursement(disbursement=disbursement, by=staff["manager"], today=TODAY, now=NOW,
                                  transfer_reference="TRX-778")
    disbursement.refresh_from_db()
    assert (disbursement.status, disbursement.iban, disbursement.transfer_reference) == (Status.PAID, IBAN, "TRX-778")
    assert disbursement.paid_on == TODAY and disbursement.paid_by == staff["manager"]
    sms = Notification.objects.get(purpose="aid-paid")
    assert sms.channel == "sms" and sms.recipient == file.mobile
    assert str(D("250.00")) in sms.body and "7519" in sms.body and file.number in sms.body and "/my-file/" in sms.body
    assert disbursement.history.filter(history_change_reason="TK-1 paid", history_user=staff["manager"]).exists()


@pytest.mark.rule("TK-1")
def test_tk1_paid_file_frozen_after_approval_is_not_paid(staff, file, fund):
    """TK-1: a file frozen after approval is not paid."""
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff["manager"],
                                                 now=NOW)
    file_services.change_status(file=file, to=FileStatus.FROZEN, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.pay_disbursement(disbursement=disbursement, by=staff["manager"], today=TODAY, now=NOW,
                                  transfer_reference="TRX-1")
    assert exc.value.code == "file_not_active"
    disbursement.refresh_from_db()
    assert disbursement.status == Status.APPROVED



# --- SAT-1: the survey after a payment, through the real satisfaction service ----------------


def pay(disbursement, staff, reference="TRX-9"):
    return services.pay_disbursement(disbursement=disbursement, by=staff["manager"], today=TODAY, now=NOW,
                                     transfer_reference=reference)


@pytest.mark.rule("SAT-1")
def test_sat1_a_paid_disbursement_sends_the_family_its_survey_after_the_commit(
        staff, file, fund, django_capture_on_commit_callbacks):
    """SAT-1: once the payment commits, the family's survey of it is stored and its SMS, with the
    link, is in the outbox for the file's mobile; nothing is sent before the commit."""
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff["manager"],
                                                 now=NOW)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pay(disbursement, staff)
        assert not Survey.objects.exists()  # not before the commit
    assert callbacks
    survey = Survey.objects.get()
    assert (survey.service, survey.file, survey.staff, survey.sent_at) == (Service.AID, file, staff["researcher"], NOW)
    assert survey.content_type == ContentType.objects.get_for_model(Disbursement)
    assert survey.object_id == str(disbursement.pk)
    sms = Notification.objects.get(purpose="satisfaction-survey")
    assert sms.recipient == file.mobile and sms.object_id == str(survey.pk)
    assert sms.status == Notification.Status.SENT  # delivered by the (eager) worker, its link then redacted


@pytest.mark.rule("SAT-1")
def test_sat1_paying_again_never_sends_a_second_survey(staff, file, fund, django_capture_on_commit_callbacks):
    """SAT-1: the survey task may run twice (a redelivered message): one survey per payment."""
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff["manager"],
                                                 now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        pay(disbursement, staff)
    assert services.send_payment_survey(disbursement_id=disbursement.pk, now=NOW) is None
    assert Survey.objects.count() == 1
    assert Notification.objects.filter(purpose="satisfaction-survey").count() == 1


@pytest.fixture
def like_a_worker():
    """Run tasks eagerly but, as a worker does, keep a task's error in its result and run its
    retries (eagerly, at once) instead of raising the first error in the caller."""
    previous, celery_app.conf.task_eager_propagates = celery_app.conf.task_eager_propagates, False
    yield
    celery_app.conf.task_eager_propagates = previous


def errors_logged(caplog, logger: str) -> list:
    return [r for r in caplog.records if r.name == logger and r.levelno == logging.ERROR]


@pytest.mark.rule("SAT-1")
def test_sat1_a_failed_survey_is_logged_and_retried_not_lost(staff, file, fund, monkeypatch, caplog, like_a_worker,
                                                             django_capture_on_commit_callbacks):
    """SAT-1: a failure after the payment is logged with its traceback and the task tries again;
    the payment stays paid and the survey is sent on the next attempt."""
    real, failures = disbursements.send_survey, []

    def fails_once(**kwargs):
        if not failures:
            failures.append(1)
            raise ConnectionError("SMS gateway down")
        return real(**kwargs)

    monkeypatch.setattr(disbursements, "send_survey", fails_once)
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff["manager"],
                                                 now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        pay(disbursement, staff)
    [logged] = errors_logged(caplog, "aid.tasks")
    assert logged.exc_info[0] is ConnectionError  # with its traceback
    assert Survey.objects.filter(object_id=str(disbursement.pk)).count() == 1
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PAID


@pytest.mark.rule("SAT-1")
def test_sat1_a_survey_that_keeps_failing_surfaces_after_its_retries(staff, file, fund, monkeypatch, caplog,
                                                                     like_a_worker):
    """SAT-1: when every attempt fails, each is logged and the task ends failed with the error
    (what the worker records and reports): the failure is never swallowed."""
    def always_fails(**kwargs):
        raise ConnectionError("SMS gateway down")

    monkeypatch.setattr(disbursements, "send_survey", always_fails)
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund), by=staff["manager"],
                                                 now=NOW)
    pay(disbursement, staff)
    result = send_payment_survey.apply(args=[disbursement.pk, NOW.isoformat()])
    assert result.state == "FAILURE" and isinstance(result.result, ConnectionError)
    assert len(errors_logged(caplog, "aid.tasks")) == SURVEY_RETRIES + 1  # the first try and every retry
    assert not Survey.objects.exists()
    disbursement.refresh_from_db()
    assert disbursement.status == Status.PAID  # the payment committed before the survey was tried


@pytest.mark.rule("TK-1")
def test_tk1_cancel_needs_reason_and_paid_aid_cannot_be_cancelled(staff, file, fund):
    """TK-1: cancelling needs a reason; paid aid is final."""
    disbursement = propose_cash(file, staff, fund)
    with pytest.raises(ValidationError) as exc:
        services.cancel_disbursement(disbursement=disbursement, by=staff["manager"], reason=" ", now=NOW)
    assert refusal(exc) == ar(policy.CANCEL_REASON_REQUIRED)
    services.cancel_disbursement(disbursement=disbursement, by=staff["manager"], reason="تكرار", now=NOW)
    disbursement.refresh_from_db()
    assert disbursement.status == Status.CANCELLED and "تكرار" in disbursement.note

    paid = paid_cash(file, staff, fund, "100.00")
    with pytest.raises(ValidationError) as exc:
        services.cancel_disbursement(disbursement=paid, by=staff["manager"], reason="خطأ", now=NOW)
    assert exc.value.code == "not_allowed"
    paid.refresh_from_db()
    assert paid.status == Status.PAID
