"""Changes the beneficiary reports (DU-4) and the annual update (DU-5), through the views."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from beneficiaries import errors, services
from beneficiaries.forms import updates as update_forms
from beneficiaries.models import AnnualUpdate, ReportedChange, UpdateRequest
from beneficiaries.policy import ANNUAL_UPDATE_DOCUMENTS, DocumentType
from charity.models import AccessLog
from charity.roles import Role
from testdata import NOW, TODAY, make_active, make_draft, make_submitted, pdf_upload

pytestmark = pytest.mark.django_db

EARLIER = dt.timedelta(days=60)  # files are opened two months before the announcement


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def form_errors(response, field="__all__") -> list[str]:
    with translation.override("ar"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def shown_messages(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def clock():
    """Views and uploads read the clock: start two months before TODAY; `clock.move_to(NOW)` moves on."""
    with time_machine.travel(NOW - EARLIER, tick=False) as traveller:
        yield traveller


def _active(by):
    return make_active(by, today=TODAY - EARLIER, now=NOW - EARLIER)


def _url(name, pk=None):
    return reverse(f"beneficiaries:{name}", args=[pk] if pk is not None else [])


def _change_data(file, **overrides):
    data = {name: getattr(file, name) for name in update_forms._ALL_CHANGE_FIELDS}
    data.update(kind="address", reported_on=(TODAY - dt.timedelta(days=2)).isoformat(), description="",
                version=file.version)
    data.update(overrides)
    return data


# --- Reported changes (DU-4) ------------------------------------------------------------------


@pytest.mark.rule("DU-4")
def test_du4_address_change_recorded_with_reported_date_and_history(client, staff, clock):
    """DU-4: the new address is applied with the date the beneficiary reported it; history is written."""
    file = _active(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["intake"])
    page = client.get(_url("record_change", file.pk))
    assert page.status_code == 200 and page.context["form"]["version"].value() == file.version
    assert AccessLog.objects.filter(user=staff["intake"], object_id=str(file.pk), action="view").exists()
    history, version = file.history.count(), file.version

    data = _change_data(file, city="الرياض", district="الملز", street="شارع الستين", building_number="7788")
    response = client.post(_url("record_change", file.pk), data)
    assert response.status_code == 302 and response["Location"] == file.get_absolute_url()
    file.refresh_from_db()
    assert (file.district, file.street, file.building_number) == ("الملز", "شارع الستين", "7788")
    assert file.version == version + 1 and file.history.count() == history + 1
    change = ReportedChange.objects.get(file=file)
    assert change.kind == "address" and change.reported_on == TODAY - dt.timedelta(days=2)
    assert change.recorded_by == staff["intake"] and "الملز" in change.description


@pytest.mark.rule("DU-4")
def test_du4_reported_date_in_the_future_refused(client, staff, clock):
    """DU-4: the date reported cannot be in the future; nothing changes."""
    file = _active(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["intake"])
    data = _change_data(file, district="الملز", reported_on=(TODAY + dt.timedelta(days=1)).isoformat())
    response = client.post(_url("record_change", file.pk), data)
    assert response.status_code == 200
    assert form_errors(response, "reported_on") == [ar(errors.REPORTED_IN_FUTURE)]
    file.refresh_from_db()
    assert file.district == "النسيم" and not ReportedChange.objects.exists()


@pytest.mark.rule("DU-4")
def test_du4_stale_version_refused_and_nothing_changed(client, staff, clock):
    """DU-4: a save based on an older version of the file is refused; the other save stays."""
    file = _active(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["intake"])
    data = _change_data(file, district="الملز")
    services.update_file(file=file, by=staff["manager"], expected_version=file.version, changes={"district": "العليا"})
    response = client.post(_url("record_change", file.pk), data)
    assert response.status_code == 200
    assert form_errors(response) == [ar(errors.STALE_VERSION)]
    file.refresh_from_db()
    assert file.district == "العليا" and not ReportedChange.objects.exists()


@pytest.mark.rule("DU-4")
def test_du4_two_staff_saving_the_same_file_the_second_gets_a_conflict(client, staff, clock):
    """Two members of staff open the same file's change form and both save (issue «Proof under
    attack», reliability): the first save stands, the second is told the file changed meanwhile
    and overwrites nothing."""
    from django.test import Client

    file = _active(staff["intake"])
    clock.move_to(NOW)
    first, second = client, Client()
    first.force_login(staff["intake"])
    second.force_login(staff["manager"])
    url = _url("record_change", file.pk)
    forms = [c.get(url).context["form"] for c in (first, second)]
    assert {f["version"].value() for f in forms} == {file.version}  # both read the same version
    assert first.post(url, _change_data(file, district="الملز")).status_code == 302
    response = second.post(url, _change_data(file, district="العليا", street="شارع التخصصي"))
    assert response.status_code == 200
    assert form_errors(response) == [ar(errors.STALE_VERSION)]
    file.refresh_from_db()
    assert (file.district, file.street) == ("الملز", "شارع الأمير")
    assert ReportedChange.objects.filter(file=file).count() == 1


@pytest.mark.rule("DU-4")
def test_du4_phone_change_is_normalised(client, staff, clock):
    """DU-4: new mobiles are stored in international form; a bad number is refused on its field."""
    file = _active(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["intake"])
    bad = client.post(_url("record_change", file.pk), _change_data(file, kind="phone", mobile="12345"))
    assert bad.status_code == 200 and form_errors(bad, "mobile")
    response = client.post(_url("record_change", file.pk),
                           _change_data(file, kind="phone", mobile="٠٥٥١٢٣٤٥٦٧", mobile_alt="0561234567"))
    assert response.status_code == 302
    file.refresh_from_db()
    assert (file.mobile, file.mobile_alt) == ("+966551234567", "+966561234567")
    assert ReportedChange.objects.get(file=file).kind == "phone"


@pytest.mark.rule("DU-4")
def test_du4_household_change_needs_a_description_and_keeps_the_file(client, staff, clock):
    """DU-4: a household change records the description only (members are edited on the file)."""
    file = _active(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["intake"])
    response = client.post(_url("record_change", file.pk), _change_data(file, kind="household"))
    assert form_errors(response, "description") == [ar(update_forms.DESCRIPTION_REQUIRED)]
    assert not ReportedChange.objects.exists()
    version = file.version
    response = client.post(_url("record_change", file.pk),
                           _change_data(file, kind="household", description="وُلد للأسرة طفل"))
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.version == version
    assert ReportedChange.objects.get(file=file).description == "وُلد للأسرة طفل"


@pytest.mark.rule("DU-4")
def test_du4_values_of_another_kind_are_never_silently_dropped(client, staff, clock):
    """DU-4: a phone changed under «change of address» is refused rather than ignored."""
    file = _active(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["intake"])
    response = client.post(_url("record_change", file.pk), _change_data(file, kind="address", mobile="0551234567"))
    assert response.status_code == 200 and form_errors(response)
    file.refresh_from_db()
    assert file.mobile == "+966501234567" and not ReportedChange.objects.exists()


@pytest.mark.rule("DU-4", "RT-6")
def test_du4_intake_gets_404_on_a_file_registered_by_someone_else(client, staff, make_user):
    """RT-6: recording a change goes through the file's visibility: 404 for others."""
    draft = make_draft(staff["intake"])
    client.force_login(make_user(Role.INTAKE, username="intake2"))
    assert client.get(_url("record_change", draft.pk)).status_code == 404
    assert client.post(_url("record_change", draft.pk), _change_data(draft)).status_code == 404


# --- The annual update (DU-5) -----------------------------------------------------------------


def _announce(client, **overrides):
    data = {"title": "تحديث 1448", "deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
            "documents": [str(d) for d in ANNUAL_UPDATE_DOCUMENTS], "note": ""}
    data.update(overrides)
    return client.post(_url("annual_update_new"), data)


@pytest.mark.rule("DU-5")
def test_du5_announce_opens_one_request_per_active_file_only(client, staff, clock):
    """DU-5: the update opens a request on every active file, not on drafts or files under study;
    the outstanding list shows them with what each must renew and its due date."""
    actives = [_active(staff["intake"]), _active(staff["intake"])]
    draft, studied = make_draft(staff["intake"]), make_submitted(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["manager"])
    assert client.get(_url("annual_update_new")).status_code == 200
    response = _announce(client)
    update = AnnualUpdate.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("annual_update_detail", update.pk)
    assert update.announced_on == TODAY and update.required_documents == [str(d) for d in ANNUAL_UPDATE_DOCUMENTS]
    assert sorted(r.file_id for r in update.requests.all()) == sorted(f.pk for f in actives)
    # No family's clock starts at the announcement: only a delivered message or a recorded letter or visit starts it.
    assert all(r.due_on is None and r.told_on is None and r.status == "open" for r in update.requests.all())
    assert not UpdateRequest.objects.filter(file__in=[draft, studied]).exists()

    detail = client.get(_url("annual_update_detail", update.pk))
    page = detail.content.decode()
    assert all(f.number in page for f in actives) and draft.number not in page and studied.number not in page
    labels = [DocumentType(d).label for d in ANNUAL_UPDATE_DOCUMENTS]
    assert all(row["missing"] == labels for row in detail.context["rows"])
    assert detail.context["counts"] == {"open": 2, "completed": 0, "late": 0}
    listing = client.get(_url("annual_updates"))
    assert [(u.open_count, u.completed_count, u.late_count) for u in listing.context["updates"]] == [(2, 0, 0)]


@pytest.mark.rule("DU-5")
def test_du5_deadline_in_the_past_refused(client, staff, clock):
    """DU-5: the deadline must be after the announcement date; nothing is announced."""
    _active(staff["intake"])
    clock.move_to(NOW)
    client.force_login(staff["manager"])
    response = _announce(client, deadline=TODAY.isoformat())
    assert response.status_code == 200
    assert form_errors(response, "deadline") == [ar(errors.DEADLINE_IN_PAST)]
    assert not AnnualUpdate.objects.exists() and not UpdateRequest.objects.exists()


@pytest.mark.rule("DU-5")
def test_du5_complete_refused_until_documents_are_renewed(client, staff, clock):
    """DU-5: completing without renewed documents is refused with the list; after uploading them it works."""
    file = _active(staff["intake"])
    clock.move_to(NOW)
    update = services.announce_annual_update(by=staff["manager"], title="تحديث", deadline=TODAY + dt.timedelta(days=30),
                                             today=TODAY)
    update_request = update.requests.get()
    client.force_login(staff["intake"])
    response = client.post(_url("update_request_complete", update_request.pk))
    assert response.status_code == 302 and response["Location"] == _url("annual_update_detail", update.pk)
    [message] = shown_messages(response)
    assert all(ar(DocumentType(d).label) in message for d in ANNUAL_UPDATE_DOCUMENTS)
    update_request.refresh_from_db()
    assert update_request.status == "open" and update_request.completed_at is None

    for doc_type in ANNUAL_UPDATE_DOCUMENTS:
        services.upload_document(file=file, by=staff["intake"], uploaded=pdf_upload(), doc_type=doc_type, today=TODAY,
                                 expires_on=TODAY + dt.timedelta(days=365))
    response = client.post(_url("update_request_complete", update_request.pk))
    update_request.refresh_from_db()
    assert update_request.status == "completed" and update_request.completed_by == staff["intake"]
    assert file.number in shown_messages(response)[-1]


@pytest.mark.rule("DU-5", "RT-6")
def test_du5_outstanding_list_shows_only_visible_files(client, staff, clock):
    """DU-5, RT-6: a researcher sees only the outstanding updates of the files assigned to them."""
    mine, other = _active(staff["intake"]), _active(staff["intake"])
    services.assign_researcher(file=mine, researcher=staff["researcher"], by=staff["manager"], now=NOW - EARLIER)
    clock.move_to(NOW)
    update = services.announce_annual_update(by=staff["manager"], title="تحديث", deadline=TODAY + dt.timedelta(days=30),
                                             today=TODAY)
    client.force_login(staff["researcher"])
    detail = client.get(_url("annual_update_detail", update.pk))
    assert [row["request"].file for row in detail.context["rows"]] == [mine]
    assert other.number not in detail.content.decode()
    hidden = update.requests.get(file=other)
    assert client.post(_url("update_request_complete", hidden.pk)).status_code == 404
    assert client.get(_url("annual_updates")).status_code == 403


@pytest.mark.rule("DU-5")
def test_du5_complete_accepts_only_post(client, staff, clock):
    """DU-5: completing changes state, so a GET is refused."""
    _active(staff["intake"])
    clock.move_to(NOW)
    update = services.announce_annual_update(by=staff["manager"], title="تحديث", deadline=TODAY + dt.timedelta(days=30),
                                             today=TODAY)
    client.force_login(staff["manager"])
    assert client.get(_url("update_request_complete", update.requests.get().pk)).status_code == 405
