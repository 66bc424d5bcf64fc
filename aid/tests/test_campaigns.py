"""TK-5 disaster and crisis campaigns through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aid import services
from aid.models import AidPurpose, Disbursement
from testdata import NOW, make_submitted

from .builders import IBAN, D, Kind, Status, active_file

pytestmark = pytest.mark.django_db


# --- TK-5: campaigns --------------------------------------------------------------------------------


@pytest.mark.rule("TK-5")
def test_tk5_campaign_proposes_per_household_size_and_is_idempotent(staff, fund):
    """TK-5: one proposal per active file (amount per member × household size), files without an
    IBAN reported; running it again proposes nothing twice."""
    small, large = active_file(staff), active_file(staff, members=3)
    no_iban = active_file(staff, iban="")
    make_submitted(staff["intake"], iban=IBAN)  # under study: not targeted
    criteria = {"files": [], "categories": ["widow"], "cities": []}
    preview = services.preview_campaign(criteria=criteria, by=staff["manager"], amount_per_member=D("150"))
    assert (preview.files, preview.proposed, preview.total) == (3, 2, D("750.00"))

    result = services.create_campaign(by=staff["manager"], name="سيول", reason="سيول جدة", fund=fund,
                                      amount_per_member=D("150"), purpose=AidPurpose.RELIEF, criteria=criteria, now=NOW)
    amounts = dict(Disbursement.objects.filter(campaign=result.campaign).values_list("file_id", "amount"))
    assert amounts == {small.pk: D("150.00"), large.pk: D("600.00")}
    assert result.proposed == 2 and [r["number"] for r in result.no_iban] == [no_iban.number]
    assert set(Disbursement.objects.values_list("status", "household_size")) == {(Status.PROPOSED, 1),
                                                                                (Status.PROPOSED, 4)}
    assert Disbursement.history.filter(history_change_reason__startswith="TK-5").count() == 2

    again = services.propose_campaign_aid(campaign=result.campaign, by=staff["manager"], now=NOW)
    assert (again.proposed, again.already) == (0, 2)
    assert Disbursement.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(file=small, kind=Kind.CASH, purpose=AidPurpose.RELIEF, fund=fund, amount=1,
                                    campaign=result.campaign, proposed_by=staff["manager"], proposed_at=NOW)


@pytest.mark.rule("TK-3", "TK-5")
def test_tk5_campaign_needs_criteria_and_its_funds_purpose(staff, file, fund):
    """TK-5, TK-3: a campaign names its files and spends a fund only on the fund's purposes."""
    with pytest.raises(ValidationError) as exc:
        services.preview_campaign(criteria={}, by=staff["manager"], amount_per_member=D("1"))
    assert exc.value.code == "criteria_required"
    with pytest.raises(ValidationError) as exc:
        services.create_campaign(by=staff["manager"], name="x", reason="x", fund=fund, amount_per_member=D("10"),
                                 purpose=AidPurpose.RENT, criteria={"files": [file.pk]}, now=NOW)
    assert exc.value.code == "purpose_not_of_fund"
    assert not Disbursement.objects.exists()


@pytest.mark.rule("TK-5")
def test_tk5_campaign_targets_only_files_the_user_sees_by_city(staff, fund):
    """TK-5: criteria narrow each other; files outside the user's scope are never targeted."""
    mine = active_file(staff)
    theirs = active_file(staff, researcher=staff["researcher2"])
    targets = services.campaign_targets(criteria={"cities": [mine.city]}, by=staff["researcher"])
    assert list(targets) == [mine]
    assert set(services.campaign_targets(criteria={"cities": [mine.city]}, by=staff["manager"])) == {mine, theirs}
    assert not services.campaign_targets(criteria={"cities": ["أبها"]}, by=staff["manager"]).exists()
