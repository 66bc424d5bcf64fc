"""The outbox in Django admin: scoped like the records it is about, and never showing a secret.

A complaint's secret code read from a pending notification opened the complaint on the public
status page; the ruling texts, reasons and contact details of every family were listed to
anyone with the admin role."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from charity.models import Notification
from charity.notifications import deliver_pending, queue_notification
from charity.notifications.backends import MemoryBackend
from charity.notifications.sealing import SealBrokenError, opened, seal, secret_slot, unseal
from complaints import services as complaint_services
from complaints.services import format_code
from testdata import NOW, TODAY, complaint_form_data, make_active

pytestmark = pytest.mark.django_db


def _file_complaint(profile):
    return complaint_services.file_complaint(data=complaint_form_data(), attachments=(), profile=profile,
                                             now=NOW, today=TODAY)


def _admin_pages(client, notifications) -> str:
    pages = [client.get(reverse("admin:charity_notification_changelist"))]
    pages += [client.get(reverse("admin:charity_notification_change", args=[n.pk])) for n in notifications]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.content.decode() for page in pages)


@pytest.mark.rule("CP-8")
def test_the_receipt_code_is_never_readable_in_the_outbox_yet_reaches_the_complainant(client, profile, make_user):
    complaint, code = _file_complaint(profile)
    receipts = list(Notification.objects.filter(purpose="complaint-receipt"))
    assert {n.channel for n in receipts} == {"sms", "email"}
    for secret in (code, format_code(code)):
        for n in receipts:
            assert secret not in n.body + n.subject + n.sealed
            assert secret_slot("code") in n.body
    client.force_login(make_user(username="root", is_superuser=True, is_staff=True))
    page = _admin_pages(client, receipts)
    assert code not in page and format_code(code) not in page and complaint.tracking_number in page

    assert deliver_pending(now=timezone.now()) >= 1
    delivered = [n for n in MemoryBackend.sent if n.purpose == "complaint-receipt"]
    assert len(delivered) == 1 and format_code(code) in delivered[0].body
    assert complaint_services.find_for_complainant(complaint.tracking_number, format_code(code)) == complaint
    sms = Notification.objects.get(pk=delivered[0].pk)
    assert sms.status == Notification.Status.SENT and sms.sealed == "" and format_code(code) not in sms.body


def test_the_outbox_in_admin_is_scoped_like_its_records(client, profile, staff, make_user):
    admin_user = staff["admin"]
    mine = make_active(admin_user)  # registered by the admin, no researcher yet: in their scope (RT-6)
    theirs = make_active(staff["intake"])
    complaint, _code = _file_complaint(profile)  # CP-8: not the admin's
    about = {"mine": Notification.objects.filter(object_id=str(mine.pk), content_type__model="beneficiaryfile"),
             "theirs": Notification.objects.filter(object_id=str(theirs.pk), content_type__model="beneficiaryfile"),
             "complaint": Notification.objects.filter(object_id=str(complaint.pk), content_type__model="complaint")}
    assert all(rows.exists() for rows in about.values())
    unrelated = queue_notification(channel="sms", recipient="+966500000001", body="no record")

    visible = set(Notification.objects.visible_to(admin_user))
    assert set(about["mine"]) <= visible
    assert not visible & (set(about["theirs"]) | set(about["complaint"]) | {unrelated})

    client.force_login(admin_user)
    listed = client.get(reverse("admin:charity_notification_changelist")).context["cl"].result_list
    assert set(listed) == visible
    for hidden in (about["theirs"].first(), about["complaint"].first(), unrelated):
        page = client.get(reverse("admin:charity_notification_change", args=[hidden.pk]))
        assert page.status_code != 200 and hidden.recipient not in page.content.decode()

    root = make_user(username="root", is_superuser=True, is_staff=True)
    assert Notification.objects.visible_to(root).count() == Notification.objects.count()
    assert not Notification.objects.visible_to(staff["researcher"]).exists()  # no file assigned to them


def test_a_sealed_secret_is_authenticated_and_survives_a_key_rotation():
    token = seal({"code": "ABCDE-FGHIJ"})
    assert "ABCDE" not in token and unseal(token) == {"code": "ABCDE-FGHIJ"}
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(SealBrokenError):
        unseal(tampered)
    old_key = settings.SECRET_KEY
    with override_key("a-new-key-" + "y" * 50, fallbacks=[old_key]):
        assert unseal(token) == {"code": "ABCDE-FGHIJ"}
    with override_key("a-new-key-" + "y" * 50, fallbacks=[]), pytest.raises(SealBrokenError):
        unseal(token)


def test_a_seal_that_no_longer_opens_fails_the_message_without_sending_it():
    n = queue_notification(channel="sms", recipient="+966501234567", body=f"code {secret_slot('code')}",
                           secrets={"code": "12345"}, redact_after_send=True)
    assert "12345" in opened(n).body and "12345" not in n.body
    with override_key("another-key-" + "z" * 50, fallbacks=[]):
        assert deliver_pending(now=timezone.now()) == 0
    n.refresh_from_db()
    assert n.status == Notification.Status.FAILED and n.sealed == "" and MemoryBackend.sent == []


def override_key(key, *, fallbacks):
    from django.test import override_settings

    return override_settings(SECRET_KEY=key, SECRET_KEY_FALLBACKS=fallbacks)
