"""Builders shared by the aid tests: active files, a fund holding money, proposed and paid aid,
donated goods, and the equality report's files. The staff are the root conftest's `staff`, whose
roles hold the aid permissions (charity/roles.py)."""

import datetime as dt
from decimal import Decimal

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from aid import services
from aid.models import AidPurpose, Disbursement, Fund
from beneficiaries import services as file_services
from testdata import NOW, TODAY, add_member, make_active

IBAN = "SA0380000000608010167519"
Status, Kind = Disbursement.Status, Disbursement.Kind
D = Decimal


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def refusal(exc_info) -> str:
    with translation.override("ar"):
        return " ".join(exc_info.value.messages)


def message(constant, **params) -> str:
    return ar(constant) % params if params else ar(constant)


def active_file(staff, *, members=0, iban=IBAN, researcher=None, **kwargs):
    """An active file of 1 + `members` people, assigned to `researcher` (default: staff["researcher"])."""
    file = make_active(staff["intake"], iban=iban, **kwargs)
    for _ in range(members):
        add_member(file)
    return file_services.assign_researcher(file=file, researcher=researcher or staff["researcher"], by=staff["manager"],
                                           now=NOW)


def make_fund(staff) -> Fund:
    """A relief and food fund holding 1000 SAR."""
    fund = services.save_fund(by=staff["manager"], name="صندوق الإغاثة", purposes=[AidPurpose.RELIEF, AidPurpose.FOOD])
    services.record_cash_donation(fund=fund, by=staff["manager"], amount=D("1000.00"), received_on=TODAY, today=TODAY)
    return fund


def propose_cash(file, staff, fund, amount="100.00", purpose=AidPurpose.RELIEF, by=None):
    return services.propose_disbursement(file=file, by=by or staff["researcher"], kind=Kind.CASH, purpose=purpose,
                                         fund=fund, amount=D(amount), now=NOW)


def paid_cash(file, staff, fund, amount, *, on=TODAY, purpose=AidPurpose.RELIEF):
    disbursement = services.approve_disbursement(disbursement=propose_cash(file, staff, fund, amount, purpose),
                                                 by=staff["manager"], now=NOW)
    return services.pay_disbursement(disbursement=disbursement, by=staff["manager"], today=on, now=NOW,
                                     transfer_reference=f"TRX-{disbursement.pk}")


def goods(staff, quantity=10, *, passed=True, expires_on=None):
    donation = services.record_in_kind_donation(by=staff["manager"], item="سلة غذائية", quantity=quantity,
                                                received_on=TODAY, today=TODAY, expires_on=expires_on)
    if passed is not None:
        services.check_donation_safety(donation=donation, by=staff["manager"], passed=passed,
                                       notes="" if passed else "تغليف تالف", now=NOW, today=TODAY)
    return donation


def propose_goods(file, staff, donation, quantity):
    return services.propose_disbursement(file=file, by=staff["researcher"], kind=Kind.IN_KIND, purpose=AidPurpose.FOOD,
                                         items=[(donation, quantity)], now=NOW)



def seed_equality(staff, fund):
    """Four files with known sizes and payments; returns (files, expected per member, period)."""
    start, end = dt.date(2026, 10, 1), dt.date(2026, 11, 30)
    food = services.save_fund(by=staff["manager"], name="صندوق الغذاء", purposes=[AidPurpose.FOOD])
    services.record_cash_donation(fund=food, by=staff["manager"], amount=D("5000"), received_on=TODAY, today=TODAY)
    services.record_cash_donation(fund=fund, by=staff["manager"], amount=D("9000"), received_on=TODAY, today=TODAY)
    a, b = active_file(staff), active_file(staff, members=1)
    c, d = active_file(staff, members=3), active_file(staff, members=4, categories=("orphan",))
    paid_cash(a, staff, fund, "900.00", on=dt.date(2026, 10, 5))
    paid_cash(b, staff, fund, "300.00")
    add_member(b)  # household of 3 from now on
    paid_cash(b, staff, fund, "450.00")
    paid_cash(c, staff, food, "400.00", purpose=AidPurpose.FOOD)
    paid_cash(d, staff, fund, "500.00")
    paid_cash(d, staff, fund, "999.00", on=dt.date(2026, 9, 30))  # outside the period
    services.approve_disbursement(disbursement=propose_cash(a, staff, fund, "700.00"), by=staff["manager"], now=NOW)
    return (a, b, c, d), start, end


def url(name, *args):
    return reverse(f"aid:{name}", args=args)


def form_errors(response, field="__all__") -> list[str]:
    with translation.override("ar"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def shown(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]
