"""DU-12: views and suggestions as well as complaints, by the website, by phone and in person."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from charity.models import AccessLog, Notification
from charity.navigation import items_for
from charity.services import load_policy_profile
from complaints import errors, services
from complaints.models import Complaint, Suggestion
from complaints.policy import Source
from complaints.suggestions import Channel, Status
from testdata import NOW, TODAY, complaint_form_data, unique_national_id

pytestmark = pytest.mark.django_db

SUGGEST_URL = "/complaints/suggest/"
NEW_URL = "/staff/complaints/suggestions/new/"
LIST_URL = "/staff/complaints/suggestions/"


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(NOW, tick=False):
        yield


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def _suggestion(profile, **data) -> Suggestion:
    return services.submit_suggestion(data={"text": "أقترح فتح المكتب مساءً", **data}, profile=profile,
                                      channel=Channel.WEB, now=NOW, today=TODAY)


@pytest.mark.rule("DU-12", "GO-3")
def test_du12_anyone_sends_a_suggestion_through_the_website_with_a_receipt(profile, client):
    page = client.get(SUGGEST_URL).content.decode()
    assert 'data-testid="suggestion-form"' in page and 'name="incident_on"' not in page  # not CP-3's fields
    response = client.post(SUGGEST_URL, {"text": "أقترح فتح المكتب مساءً", "phone": "0501234567"})
    assert response.status_code == 302 and response["Location"] == reverse("complaints_public:suggestion_received")
    suggestion = Suggestion.objects.get()
    assert suggestion.channel == Channel.WEB and suggestion.entered_by is None and suggestion.phone == "+966501234567"
    assert suggestion.status == Status.RECEIVED and suggestion.received_on == TODAY
    receipt = client.get(reverse("complaints_public:suggestion_received")).content.decode()
    assert suggestion.reference in receipt and 'data-testid="suggestion-receipt"' in receipt
    assert suggestion.reference not in client.get(reverse("complaints_public:suggestion_received")).content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.rule("DU-12")
def test_du12_the_text_alone_is_enough_and_an_empty_one_is_refused(profile, client):
    assert client.post(SUGGEST_URL, {"text": "الخدمة ممتازة"}).status_code == 302
    response = client.post(SUGGEST_URL, {"text": "  ", "phone": "12"})
    assert response.status_code == 200 and Suggestion.objects.count() == 1
    assert response.context["form"].errors["text"] == [ar(errors.SUGGESTION_REQUIRED)]
    assert "phone" in response.context["form"].errors


@pytest.mark.rule("DU-12")
def test_du12_an_identity_number_links_the_suggestion_to_the_open_file(profile, staff):
    from testdata import make_draft

    file = make_draft(staff["intake"])
    assert _suggestion(profile, national_id=file.head_id_number).file == file


@pytest.mark.rule("DU-12", "CP-4")
def test_du12_the_public_forms_protections_apply_to_suggestions(profile, client, settings):
    """The complaint form's protections: the honeypot saves nothing, the sixth post from one
    address in an hour gets 429, and one mobile sends three a day."""
    assert client.post(SUGGEST_URL, {"text": "سبام", "homepage": "http://spam"}).status_code == 200
    assert not Suggestion.objects.exists()
    for _ in range(4):
        client.post(SUGGEST_URL, {"text": "اقتراح"})
    response = client.post(SUGGEST_URL, {"text": "اقتراح"})
    assert response.status_code == 429 and 'data-testid="rate-limited"' in response.content.decode()
    assert Suggestion.objects.count() == 4
    settings.SUGGESTION_RATE_LIMIT_PER_IP = 100
    for _ in range(3):
        assert client.post(SUGGEST_URL, {"text": "اقتراح", "phone": "0559876543"}, REMOTE_ADDR="10.0.0.7"
                           ).status_code == 302
    assert client.post(SUGGEST_URL, {"text": "اقتراح", "phone": "0559876543"}, REMOTE_ADDR="10.0.0.7"
                       ).status_code == 429


@pytest.mark.rule("DU-12")
@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.IN_PERSON])
def test_du12_staff_enter_one_received_by_phone_or_in_person(profile, staff, client, channel):
    client.force_login(staff["intake"])
    assert client.get(NEW_URL).status_code == 200
    response = client.post(NEW_URL, {"channel": channel, "text": "اقترح المتصل زيادة ساعات الاستقبال",
                                     "name": "أبو خالد", "phone": "0501234567"})
    assert response.status_code == 302 and response["Location"] == NEW_URL  # intake does not handle them
    suggestion = Suggestion.objects.get()
    assert suggestion.channel == channel and suggestion.entered_by == staff["intake"]
    client.force_login(staff["director"])
    assert client.post(NEW_URL, {"channel": channel, "text": "ملاحظة"}).status_code == 302
    assert Suggestion.objects.filter(entered_by=staff["director"], channel=channel).exists()


@pytest.mark.rule("DU-12")
def test_du12_the_website_channel_is_not_a_staff_entry(profile, staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.submit_suggestion(data={"text": "نص"}, profile=profile, channel=Channel.WEB, now=NOW, today=TODAY,
                                   entered_by=staff["intake"])
    with pytest.raises(ValidationError):
        services.submit_suggestion(data={"text": "نص"}, profile=profile, channel=Channel.PHONE, now=NOW, today=TODAY)
    assert not Suggestion.objects.exists()


@pytest.mark.rule("DU-12", "CP-4")
@pytest.mark.parametrize("source", [Source.PHONE, Source.IN_PERSON])
def test_du12_a_complaint_received_by_phone_or_in_person_is_entered_with_its_channel(profile, staff, client, source):
    client.force_login(staff["director"])
    data = complaint_form_data(received_on=TODAY, source=source, incident_on=TODAY - dt.timedelta(days=3))
    assert client.post("/staff/complaints/paper/", data).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.source == source and complaint.entered_by == staff["director"]


@pytest.mark.rule("DU-12", "CP-8")
def test_du12_the_list_is_for_the_director_and_the_manager_only(profile, staff, client):
    suggestion = _suggestion(profile, phone="0501234567")
    detail = reverse("complaints:suggestion_detail", args=[suggestion.pk])
    for role in ("intake", "researcher", "committee", "admin"):
        client.force_login(staff[role])
        assert client.get(LIST_URL).status_code == 404, role
        assert client.get(detail).status_code == 404, role
        assert "complaints:suggestion_list" not in [i.url_name for i in items_for(staff[role])]
    assert "complaints:suggestion_new" in [i.url_name for i in items_for(staff["intake"])]
    for role in ("director", "manager"):
        client.force_login(staff[role])
        assert suggestion.reference in client.get(LIST_URL).content.decode()
        assert client.get(detail).status_code == 200
        assert "complaints:suggestion_list" in [i.url_name for i in items_for(staff[role])]
    logged = AccessLog.objects.filter(object_id=str(suggestion.pk), action=AccessLog.Action.VIEW)
    assert logged.exclude(outcome=AccessLog.Outcome.DENIED).count() == 2  # the two who saw it
    assert logged.filter(outcome=AccessLog.Outcome.DENIED).count() == 4  # and the four refused


@pytest.mark.rule("DU-12")
def test_du12_acknowledged_then_answered_the_answer_goes_by_sms_through_the_outbox(profile, staff, client):
    suggestion = _suggestion(profile, phone="0501234567")
    client.force_login(staff["manager"])
    url = reverse("complaints:suggestion_acknowledge", args=[suggestion.pk])
    assert client.post(url).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACKNOWLEDGED and suggestion.acknowledged_by == staff["manager"]
    answer = "شكراً لك، سيُفتح المكتب مساء الثلاثاء"
    response = client.post(reverse("complaints:suggestion_answer", args=[suggestion.pk]), {"answer": answer})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ANSWERED and suggestion.answered_by == staff["manager"]
    sms = Notification.objects.get(purpose="suggestion-answer")
    assert sms.channel == Notification.Channel.SMS and sms.recipient == "+966501234567"
    assert answer in sms.body and suggestion.reference in sms.body
    assert [h.status for h in suggestion.history.order_by("history_id")] == ["received", "acknowledged", "answered"]
    again = client.post(reverse("complaints:suggestion_answer", args=[suggestion.pk]), {"answer": "ثانية"})
    assert again.status_code == 200 and Notification.objects.filter(purpose="suggestion-answer").count() == 1


@pytest.mark.rule("DU-12")
def test_du12_without_a_mobile_the_answer_is_recorded_and_nothing_is_sent(profile, staff):
    suggestion = _suggestion(profile)
    assert services.answer_suggestion(suggestion=suggestion, by=staff["director"], answer="شكراً", now=NOW) is None
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ANSWERED and suggestion.acknowledged_by == staff["director"]
    assert not Notification.objects.exists()


@pytest.mark.rule("DU-12", "IN-9")
def test_du12_awaser_takes_a_passport_number_for_the_file_link(profile):
    awaser = load_policy_profile("awaser")[0]
    assert _suggestion(awaser, national_id="a1234567").national_id == "A1234567"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _suggestion(profile, national_id="A1234567")  # general: a national ID only
    assert _suggestion(profile, national_id=unique_national_id()).file is None


@pytest.mark.rule("DU-12", "GO-3")
def test_du12_the_dashboard_counts_suggestions_by_channel(profile, staff, client):
    _suggestion(profile)
    for channel in (Channel.PHONE, Channel.PHONE, Channel.IN_PERSON):
        services.submit_suggestion(data={"text": "ملاحظة"}, profile=profile, channel=channel, now=NOW, today=TODAY,
                                   entered_by=staff["intake"])
    client.force_login(staff["director"])
    response = client.get(reverse("dashboard:index"))
    counts = {row["channel"]: row["count"] for row in response.context["figures"]["suggestions"]}
    assert counts == {Channel.WEB: 1, Channel.PHONE: 2, Channel.IN_PERSON: 1}
    assert 'data-testid="suggestions-phone">2<' in response.content.decode()
