"""What the family reads when its application is received (IN-5) and when its request for
another researcher is decided (RT-2, RT-4): each outbox row, through the catalog."""

import pytest

from beneficiaries import services
from charity import calendar
from charity.models import MessageWording, Notification
from testdata import NOW, make_active, make_submitted

SITE = "https://jamiya.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _rows(about, purpose):
    return {row.channel: row for row in Notification.objects.filter(object_id=str(about.pk), purpose=purpose)}


@pytest.mark.rule("IN-5")
def test_application_received_names_the_deciding_body_and_a_minimum_period_never_a_date(staff):
    file = make_submitted(staff["intake"], email="family@example.com")
    rows = _rows(file, "application-received")
    assert set(rows) == {"sms", "email"}
    body = rows["sms"].body
    assert file.number in body and "مدير خدمات المستفيدين" in body
    assert "بالقبول أو الرفض بعد الدراسة" in body and "خلال مدة لا تقل عن أسبوعين" in body
    # the internal target (decision_due_on) is the manager's, never promised to the family
    assert file.decision_due_on.isoformat() not in body and calendar.format_dual(file.decision_due_on, "ar") not in body
    assert f"{SITE}/my-file/" in body


@pytest.mark.rule("IN-5")
def test_application_received_goes_by_sms_only_without_an_email(staff):
    file = make_submitted(staff["intake"], email="")
    assert set(_rows(file, "application-received")) == {"sms"}


@pytest.fixture
def file(staff):
    active = make_active(staff["intake"], email="family@example.com")
    return services.assign_researcher(file=active, researcher=staff["researcher"], by=staff["manager"], now=NOW)


@pytest.mark.rule("RT-2", "RT-4")
def test_a_refused_researcher_change_reaches_the_family_with_the_reasons(staff, file):
    change = services.request_researcher_change(file=file, by=None, reasons="لا أرتاح للباحثة", now=NOW)
    services.decide_researcher_change(request=change, by=staff["manager"], accept=False,
                                      reasons="لا يوجد باحث آخر متاح في الحي", now=NOW)
    rows = _rows(change, "researcher-change-refused")
    assert set(rows) == {"sms", "email"} and rows["sms"].recipient == file.mobile
    body = rows["sms"].body
    assert "لم يُقبل طلبك تغيير الباحث" in body and "لا يوجد باحث آخر متاح في الحي" in body
    assert f"{SITE}/my-file/" in body and f"{SITE}/complaints/" in body


@pytest.mark.rule("RT-2")
def test_an_accepted_researcher_change_names_the_new_researcher_and_the_reasons(staff, file):
    change = services.request_researcher_change(file=file, by=staff["manager"], reasons="سبب", now=NOW)
    services.decide_researcher_change(request=change, by=staff["manager"], accept=True, reasons="أسباب مقبولة",
                                      now=NOW, new_researcher=staff["researcher2"])
    body = _rows(change, "researcher-change-accepted")["sms"].body
    assert "قُبل طلبك" in body and "أسباب مقبولة" in body and staff["researcher2"].get_full_name() in body
    assert f"{SITE}/my-file/" in body


def test_the_admins_wording_for_the_profile_changes_the_application_message(staff, profile):
    MessageWording.objects.create(profile=profile, purpose="application-received",
                                  text="أهلًا بكم، ملفكم {file_number} لدى {deciding_body}، والرد خلال مدة {period}. "
                                       "{portal_link}")
    file = make_submitted(staff["intake"])
    body = _rows(file, "application-received")["sms"].body
    assert body.startswith(f"أهلًا بكم، ملفكم {file.number}") and "لا تقل عن أسبوعين" in body and SITE in body


def test_tell_family_with_the_same_dedupe_key_queues_once(staff):
    from beneficiaries.messages import tell_family

    file = make_submitted(staff["intake"], email="family@example.com")
    args = {"file": file, "purpose": "application-received", "about": file, "dedupe_key": "test:again",
            "context": {"deciding_body": "x", "period": "y"}}
    assert len(tell_family(**args)) == 2
    assert tell_family(**args) == []
    assert Notification.objects.filter(dedupe_key__startswith="test:again").count() == 2
