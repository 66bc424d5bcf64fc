"""SC-2: the exclusion certificate is handed to the beneficiary officially, and the handover is
recorded — who handed it, to whom, when and how — once, with its history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from charity.models import PolicyProfile
from eligibility import controls, errors
from eligibility.certificates import record_handover
from eligibility.models import CertificateHandover
from testdata import NOW, TODAY, make_active

pytestmark = pytest.mark.django_db


def _certificate(staff):
    file = make_active(staff["intake"])
    exclusion = controls.exclude_file(file=file, rule="SC-2", by=staff["manager"], today=TODAY, now=NOW,
                                      profile=PolicyProfile.objects.active(), proof_note="محضر موقع من الباحثة")
    return file, exclusion.certificate


@pytest.mark.rule("SC-2")
def test_sc2_the_handover_is_recorded_once_with_who_whom_when_and_how(staff):
    _file, certificate = _certificate(staff)
    with pytest.raises(ValidationError) as future:
        record_handover(certificate=certificate, by=staff["manager"], now=NOW, today=TODAY, method="in_person",
                        received_by="أم محمد", handed_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as nobody:
        record_handover(certificate=certificate, by=staff["manager"], now=NOW, today=TODAY, method="in_person",
                        received_by=" ", handed_on=TODAY)
    assert "handed_on" in future.value.error_dict and "received_by" in nobody.value.error_dict
    assert not CertificateHandover.objects.exists()
    done = record_handover(certificate=certificate, by=staff["manager"], now=NOW, today=TODAY,
                           method="representative", received_by="محمد (الابن)", handed_on=TODAY, note="بالهوية")
    assert (done.recorded_by, done.method, done.received_by, done.handed_on) == (
        staff["manager"], "representative", "محمد (الابن)", TODAY)
    assert done.history.count() == 1
    with pytest.raises(ValidationError) as again:
        record_handover(certificate=certificate, by=staff["manager"], now=NOW, today=TODAY, method="in_person",
                        received_by="أم محمد", handed_on=TODAY)
    assert again.value.code == "handover_recorded" and CertificateHandover.objects.count() == 1


@pytest.mark.rule("SC-2")
def test_sc2_the_manager_records_the_handover_from_the_controls_page(client, staff):
    file, certificate = _certificate(staff)
    client.force_login(staff["manager"])
    url = reverse("eligibility:certificate_handover", args=[certificate.pk])
    assert url in client.get(reverse("eligibility:controls", args=[file.pk])).content.decode()
    with translation.override("ar"):
        refused = client.post(url, {"method": "in_person", "received_by": "", "handed_on": TODAY.isoformat()})
    assert refused.status_code == 200 and not CertificateHandover.objects.exists()
    done = client.post(url, {"method": "in_person", "received_by": "أم محمد", "handed_on": TODAY.isoformat()})
    assert done.status_code == 302
    page = client.get(reverse("eligibility:controls", args=[file.pk])).content.decode()
    assert "أم محمد" in page and url not in page
    with translation.override("ar"):
        again = client.post(url, {"method": "email", "received_by": "x", "handed_on": TODAY.isoformat()},
                            follow=True)
        assert str(errors.HANDOVER_RECORDED) in again.content.decode()
    assert CertificateHandover.objects.get().received_by == "أم محمد"
