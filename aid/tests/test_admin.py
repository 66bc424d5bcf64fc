"""Aid in Django admin: scoped like the pages (RT-6), never deleted, and corrections that cannot
undo what committed aid rests on (TK-3, TK-4)."""

import pytest
from django.urls import reverse
from django.utils import translation

from aid import policy, services
from aid.models import AidPurpose, Disbursement
from charity.roles import Role
from testdata import TODAY, make_submitted

from .builders import D, message, paid_cash, propose_cash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("view_clock")]


@pytest.mark.rule("RT-6")
def test_aid_admin_scoped_and_without_delete(rf, staff, make_user, file, fund):
    """Django admin: aid records are never deleted, and a disbursement is listed only to those who
    may see its file (RT-6) — the admin role does not see case files."""
    from django.contrib import admin

    from aid.admin import DisbursementAdmin, FundAdmin

    disbursement = propose_cash(file, staff, fund)
    model_admin = DisbursementAdmin(Disbursement, admin.site)
    request = rf.get("/admin/")
    request.user = make_user(Role.ADMIN, username="sysadmin")
    assert list(model_admin.get_queryset(request)) == []
    request.user = staff["manager"]
    assert list(model_admin.get_queryset(request)) == [disbursement]
    assert not model_admin.has_delete_permission(request, disbursement)
    assert not model_admin.has_add_permission(request)
    assert "status" in model_admin.readonly_fields and "file__number" in model_admin.search_fields
    assert not FundAdmin(type(fund), admin.site).has_delete_permission(request, fund)


@pytest.mark.rule("TK-3", "TK-4")
def test_tk3_tk4_admin_cannot_change_what_committed_aid_rests_on(client, django_user_model, staff, file, fund):
    """Django admin: a paid disbursement's fund, amount, purpose and file are read-only (only its
    note may be corrected); a donation's correction goes through the TK-3 check, shown on the form."""
    paid = paid_cash(file, staff, fund, "800.00")
    other = services.save_fund(by=staff["manager"], name="صندوق آخر", purposes=[AidPurpose.RELIEF])
    admin_user = django_user_model.objects.create_superuser("root-admin", password="x" * 20)
    client.force_login(admin_user)
    change = reverse("admin:aid_disbursement_change", args=[paid.pk])
    response = client.post(change, {"fund": other.pk, "amount": "1", "purpose": AidPurpose.FOOD,
                                    "file": make_submitted(staff["intake"]).pk, "note": "تصحيح الملاحظة",
                                    "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    paid.refresh_from_db()
    assert (paid.fund, paid.amount, paid.purpose, paid.file, paid.note) == (
        fund, D("800.00"), AidPurpose.RELIEF, file, "تصحيح الملاحظة")

    donation = fund.donations.get()
    change = reverse("admin:aid_cashdonation_change", args=[donation.pk])
    data = {"fund": fund.pk, "amount": "500.00", "donor": "", "received_on": TODAY.isoformat(), "reference": ""}
    with translation.override("ar"):
        response = client.post(change, data, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert message(policy.CORRECTION_UNCOVERED, fund=fund.name, balance=D("-300.00")) in [
        str(e) for e in response.context["adminform"].form.non_field_errors()]
    donation.refresh_from_db()
    assert donation.amount == D("1000.00")
    response = client.post(change, {**data, "amount": "900.00"})
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.amount == D("900.00")
    assert donation.history.latest().history_change_reason == "TK-3 donation corrected"
