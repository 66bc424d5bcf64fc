"""Putting a record of the access matrix's world in the state where a connected user's POST
acts (the matrix's proof that a refused POST was a refusal of a real change)."""

import datetime as dt

from aid import services as aid_services
from beneficiaries import services as file_services
from charity.models import PolicyProfile
from eligibility import services as eligibility_services
from eligibility.models import Freeze
from programmes import services as programme_services
from programmes.models import Programme
from testdata import NOW, TODAY, make_active

from .matrix_fixtures import IBAN, close_checklist


def item_document(world):
    """The study file's document of the type the world's checklist item asks for."""
    from eligibility.policy import ITEM_DOCUMENT

    item = world.records["item"]
    return file_services.current_documents(item.file).get(doc_type=ITEM_DOCUMENT[item.kind])


def attach_item_document(world) -> None:
    eligibility_services.attach_document(item=world.records["item"], document=item_document(world))


def study_to_the_end(world) -> None:
    close_checklist(world.users, world.records["study"], PolicyProfile.objects.active())


def cancel_the_card(world) -> None:
    aid_services.cancel_card(card=world.records["card"], by=world.users["manager"], today=TODAY)


def widen_the_campaign(world) -> None:
    """A second active file (with an IBAN) among the campaign's targets, not yet served."""
    from aid.models import Campaign

    other = make_active(world.users["intake_a"], iban=IBAN)
    campaign = world.records["campaign"]
    Campaign.objects.filter(pk=campaign.pk).update(criteria={"files": [*campaign.criteria["files"], other.pk]})


def await_review(world) -> None:
    """The frozen family handed in something that does not complete what was required (SC-6)."""
    Freeze.objects.filter(pk=world.records["freeze"].pk).update(responded_at=NOW)


def accept_the_nomination(world) -> None:
    programme_services.record_answer(nomination=world.records["nomination"], by=world.users["manager"],
                                     accepted=True, today=TODAY, written_answer="أوافق على المشاركة")


def end_the_programme(world) -> None:
    """The nominee accepted and the programme's last day has come."""
    accept_the_nomination(world)
    Programme.objects.filter(pk=world.records["programme"].pk).update(starts_on=TODAY - dt.timedelta(days=30),
                                                                      ends_on=TODAY)


def hold_the_session(world) -> None:
    """The nominee accepted and the session's day has come (the sheet is filled after it)."""
    from programmes.models import Session

    end_the_programme(world)
    Session.objects.filter(pk=world.records["session"].pk).update(held_on=TODAY)


def end_the_delegation(world) -> None:
    """The family's delegate steps down: a new one may be registered."""
    from portal import services as portal_services

    portal_services.end_delegate(delegate=world.records["delegate"], by=world.users["manager"], reason="عاد الأب",
                                 now=NOW)
