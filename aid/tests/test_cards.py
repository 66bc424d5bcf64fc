"""DU-7: the family's electronic card, one active card per file."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aid import policy, services
from aid.models import ElectronicCard
from beneficiaries import services as file_services
from beneficiaries.policy import FileStatus
from testdata import NOW, TODAY

from .builders import active_file, message, refusal

pytestmark = pytest.mark.django_db


# --- DU-7: cards ------------------------------------------------------------------------------------------


@pytest.mark.rule("DU-7")
def test_du7_card_lifecycle_keeps_one_active_card(staff, file):
    """DU-7: issue, report lost, replace (old replaced, new active), cancel; one active card per file."""
    card = services.issue_card(file=file, by=staff["manager"], number="C-1001", today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.issue_card(file=file, by=staff["manager"], number="C-1002", today=TODAY)
    assert refusal(exc) == message(policy.CARD_ALREADY_ACTIVE, number="C-1001")
    services.report_card_lost(card=card, by=staff["manager"], today=TODAY, note="فقدتها الأسرة")
    card.refresh_from_db()
    assert card.status == "lost" and card.status_changed_on == TODAY
    with pytest.raises(ValidationError) as exc:
        services.replace_card(card=card, by=staff["manager"], new_number="C-1001", today=TODAY)
    assert exc.value.code == "card_number_taken"
    card.refresh_from_db()
    assert card.status == "lost"  # nothing changed
    new = services.replace_card(card=card, by=staff["manager"], new_number="C-1002", today=TODAY)
    card.refresh_from_db()
    assert card.status == "replaced" and new.status == "active"
    assert list(file.cards.filter(status="active")) == [new]
    services.cancel_card(card=new, by=staff["manager"], today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.report_card_lost(card=new, by=staff["manager"], today=TODAY)
    assert exc.value.code == "card_not_allowed"
    with pytest.raises(IntegrityError), transaction.atomic():
        services.issue_card(file=file, by=staff["manager"], number="C-2001", today=TODAY)
        ElectronicCard.objects.create(file=file, number="C-2002", issued_on=TODAY, issued_by=staff["manager"])


@pytest.mark.rule("DU-7", "TK-1")
def test_du7_card_only_for_active_files(staff):
    """DU-7, TK-1: cards are issued to active files."""
    frozen = file_services.change_status(file=active_file(staff), to=FileStatus.FROZEN, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.issue_card(file=frozen, by=staff["manager"], number="C-1", today=TODAY)
    assert exc.value.code == "file_not_active"
    assert not ElectronicCard.objects.exists()
