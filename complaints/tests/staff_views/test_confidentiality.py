"""CP-8, CP-10: who sees a complaint, on the staff pages and in the admin."""


import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import escape

from charity.models import AccessLog
from charity.roles import Role
from complaints import errors, services
from complaints.admin import ComplaintAdmin
from complaints.models import Complaint, InvestigationReferral
from testdata import NOW, pdf_upload

from .helpers import LIST_URL, action, detail_url, every_permission, file_one, page_of, ruled

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-8")
def test_director_sees_every_complaint_and_each_view_is_logged_cp8(profile, director, client):
    """CP-8: the executive director sees all; every view of the page writes an access-log row."""
    first, second = file_one(), file_one()
    client.force_login(director)
    html = client.get(LIST_URL).content.decode()
    assert first.tracking_number in html and second.tracking_number in html
    for expected in (1, 2):
        page_of(client, first)
        assert AccessLog.objects.filter(user=director, object_id=str(first.pk), action="view").count() == expected


@pytest.mark.rule("CP-8")
def test_assigned_staff_sees_only_theirs_and_other_manager_gets_404_cp8(profile, director, manager, researcher,
                                                                         client):
    """CP-8: the member of staff the director assigns sees that complaint only; another manager
    sees nothing (404, not 403)."""
    mine, other = file_one(), file_one()
    client.force_login(director)
    assert action(client, mine, "assign", to=researcher.pk).status_code == 302
    client.force_login(researcher)
    html = client.get(LIST_URL).content.decode()
    assert mine.tracking_number in html and other.tracking_number not in html
    assert client.get(detail_url(mine)).status_code == 200
    assert client.get(detail_url(other)).status_code == 404
    client.force_login(manager)
    assert client.get(detail_url(mine)).status_code == 404
    assert mine.tracking_number not in client.get(LIST_URL).content.decode()


@pytest.mark.rule("CP-8")
def test_named_staff_get_404_even_as_director_or_with_every_permission_cp8(profile, director, make_user, client):
    """CP-8: a member of staff the complaint names never sees it, whatever their role."""
    other_director = make_user(Role.DIRECTOR, username="director2")
    superpowers = every_permission(make_user, "superpowers")
    complaint = file_one(attachments=[pdf_upload()])
    client.force_login(director)
    assert action(client, complaint, "named-staff", staff=[other_director.pk, superpowers.pk]).status_code == 302
    attachment = complaint.attachments.get()
    for user in (other_director, superpowers):
        assert user.has_perm("complaints.view_all_complaints")
        client.force_login(user)
        assert client.get(detail_url(complaint)).status_code == 404
        assert client.get(f"/staff/complaints/attachments/{attachment.pk}/").status_code == 404
        assert action(client, complaint, "rule", ruling="upheld", text="x").status_code == 404
        assert complaint.tracking_number not in client.get(LIST_URL).content.decode()
    # A complaint against an executive director: the board chairman takes it, not the director.
    client.force_login(make_user(Role.BOARD_CHAIR, username="chair"))
    assert escape(str(other_director)) in page_of(client, complaint)


@pytest.mark.rule("CP-8")
def test_naming_the_assignee_removes_the_assignment_cp8(profile, director, researcher, client):
    complaint = file_one()
    client.force_login(director)
    action(client, complaint, "assign", to=researcher.pk)
    action(client, complaint, "named-staff", staff=[researcher.pk])
    complaint.refresh_from_db()
    assert complaint.assigned_to is None
    response = action(client, complaint, "assign", to=researcher.pk)
    assert response.status_code == 200  # the named member is not offered, the form refuses
    complaint.refresh_from_db()
    assert complaint.assigned_to is None
    client.force_login(researcher)
    assert client.get(detail_url(complaint)).status_code == 404


@pytest.mark.rule("CP-8")
def test_director_cannot_name_themselves_cp8(profile, director, client):
    """CP-8: the director is not offered himself among the staff complained of; a forged POST
    naming him is refused (by the form, and by the service behind it)."""
    complaint = file_one()
    client.force_login(director)
    form = page_of(client, complaint).split('data-testid="form-name_staff"', 1)[1].split("</form>", 1)[0]
    assert f'value="{director.pk}"' not in form
    response = action(client, complaint, "named-staff", staff=[director.pk])
    assert response.status_code == 200
    assert not complaint.named_staff.exists()
    with pytest.raises(ValidationError, match=str(errors.CANNOT_NAME_SELF)):
        services.name_staff(complaint=complaint, by=director, staff=[director])


@pytest.mark.rule("CP-8", "CP-10")
def test_investigation_committee_sees_only_referred_complaints_cp8_cp10(profile, director, committee, client):
    """CP-8, CP-10: the committee sees a complaint once it is referred, and records the outcome."""
    referred, other = file_one(), file_one()
    ruled(referred, director)
    client.force_login(committee)
    assert client.get(detail_url(referred)).status_code == 404
    client.force_login(director)
    assert action(client, referred, "refer", reasons="ادعاءات ثبت كذبها.").status_code == 302
    referred.refresh_from_db()
    assert referred.malicious and InvestigationReferral.objects.get(complaint=referred).referred_by == director
    client.force_login(committee)
    html = client.get(LIST_URL).content.decode()
    assert referred.tracking_number in html and other.tracking_number not in html
    assert client.get(detail_url(other)).status_code == 404
    assert 'data-testid="form-record_investigation"' in page_of(client, referred)
    assert action(client, referred, "investigation", outcome="إنذار كتابي.").status_code == 302
    referral = InvestigationReferral.objects.get(complaint=referred)
    assert referral.outcome == "إنذار كتابي." and referral.outcome_by == committee
    assert "إنذار كتابي." in page_of(client, referred)


@pytest.mark.rule("CP-10")
def test_only_the_committee_records_the_investigation_outcome_cp10(profile, director, client):
    complaint = file_one()
    ruled(complaint, director)
    services.refer_malicious(complaint=complaint, by=director, reasons="كيدية", now=NOW)
    client.force_login(director)
    assert action(client, complaint, "investigation", outcome="x").status_code == 403
    assert action(client, complaint, "refer", reasons="مرة ثانية").status_code == 200  # already referred
    assert InvestigationReferral.objects.count() == 1


# --- Admin ----------------------------------------------------------------------------------


@pytest.mark.rule("CP-8")
def test_admin_respects_cp8_never_deletes_and_hides_the_code_hash(profile, director, make_user, rf):
    """CP-8 in the admin: a non-superuser sees exactly the staff pages' scope; no deletion."""
    sysadmin, superpowers = make_user(Role.ADMIN, username="sysadmin"), every_permission(make_user, "superpowers")
    shown, hidden, assigned = file_one(), file_one(), file_one()
    services.name_staff(complaint=hidden, by=director, staff=[superpowers])
    services.assign(complaint=assigned, by=director, to=sysadmin)
    model_admin = ComplaintAdmin(Complaint, admin.site)
    request = rf.get("/admin/complaints/complaint/")
    request.user = superpowers
    assert set(model_admin.get_queryset(request)) == {shown, assigned}
    request.user = sysadmin
    assert set(model_admin.get_queryset(request)) == {assigned}
    assert not model_admin.has_delete_permission(request, shown) and not model_admin.has_add_permission(request)
    form = model_admin.get_form(request, shown)
    assert "code_hash" not in form.base_fields
    assert "code_hash" not in model_admin.get_readonly_fields(request, shown)


def test_admin_change_page_renders_without_the_code_hash(profile, director, make_user, client):
    sysadmin = make_user(Role.ADMIN, username="sysadmin")
    complaint, hidden = file_one(), file_one()
    services.assign(complaint=complaint, by=director, to=sysadmin)
    client.force_login(sysadmin)
    response = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert response.status_code == 200
    assert complaint.code_hash not in response.content.decode() and "code_hash" not in response.content.decode()
    assert client.get(f"/admin/complaints/complaint/{complaint.pk}/delete/").status_code == 403
    assert client.get(f"/admin/complaints/complaint/{hidden.pk}/change/").status_code == 302  # not found
