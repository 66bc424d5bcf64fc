"""The export for an access request (PDPL): what a head and a mere member are entitled to."""

import io
import json
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from charity.models import AccessLog, Notification
from privacy.exports import export_person
from testdata import NOW, add_member

from .factories import HEAD_NAME, IBAN, MEMBER_NAME, file_complaint, household

pytestmark = pytest.mark.django_db


def unzip(data: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return json.loads(archive.read("data.json").decode("utf-8")), archive


def rows(data: dict, key: str) -> list[dict]:
    return data["sections"][key]["rows"]


def test_pdpl_export_for_a_head_holds_the_household_complaint_messages_and_access_log(manager, handler):
    file, head, sons = household(manager, members=2)
    complaint = file_complaint(head.id_number)
    Notification.objects.create(channel="sms", recipient=file.mobile, body="رسالة إلى المستفيدة")
    Notification.objects.create(channel="sms", recipient="+966500000001", body="رسالة لغيرها")
    AccessLog.objects.create(user=handler, action=AccessLog.Action.VIEW, object_id=str(file.pk),
                             content_type=ContentType.objects.get_for_model(file))

    data, archive = unzip(export_person(head.id_number, now=NOW))

    assert [f["number"] for f in rows(data, "files")] == [file.number]
    assert rows(data, "files")[0]["iban"] == IBAN
    assert {m["id_number"] for m in rows(data, "members")} == {head.id_number, *(s.id_number for s in sons)}
    assert {i["monthly_amount"] for i in rows(data, "incomes")} == {"2100.00", "900.00"}
    assert rows(data, "declarations")[0]["signed_by_id_number"] == head.id_number
    assert [c["tracking_number"] for c in rows(data, "complaints")] == [complaint.tracking_number]
    assert rows(data, "complaints")[0]["facts"] == complaint.facts
    bodies = [m["body"] for m in rows(data, "messages")]
    assert "رسالة إلى المستفيدة" in bodies and "رسالة لغيرها" not in bodies
    assert any(complaint.tracking_number in body for body in bodies)  # the receipt sent to the complaint's phone
    assert [(a["user"], a["object_id"]) for a in rows(data, "access_log")] == [(str(handler), str(file.pk))]
    documents = rows(data, "documents")
    assert documents and all(d["in_zip"] in archive.namelist() for d in documents)
    assert archive.read(documents[0]["in_zip"]).startswith(b"%PDF")


def test_pdpl_export_json_is_utf8_arabic_and_the_workbook_reads_right_to_left(manager):
    file, head, _sons = household(manager, members=1)
    data_bytes = export_person(head.id_number, now=NOW)
    archive = zipfile.ZipFile(io.BytesIO(data_bytes))
    raw = archive.read("data.json").decode("utf-8")
    assert HEAD_NAME[0] in raw and "\\u" not in raw
    workbook = load_workbook(io.BytesIO(archive.read("data.xlsx")))
    sheet = workbook.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert file.number in values


def test_pdpl_export_for_a_mere_member_holds_only_their_own_data(manager):
    file, head, sons = household(manager, members=2)
    son = sons[0]

    data, archive = unzip(export_person(son.id_number, now=NOW))
    raw = json.dumps(data, ensure_ascii=False)

    assert rows(data, "files") == []
    assert [(m["id_number"], m["file.number"]) for m in rows(data, "members")] == [(son.id_number, file.number)]
    assert [i["monthly_amount"] for i in rows(data, "incomes")] == ["900.00"]  # their own, not the head's pension
    [document] = rows(data, "documents")  # the son's school certificate, not the household's documents
    assert "school_certificate" in document["in_zip"]
    for secret in (head.id_number, sons[1].id_number, HEAD_NAME[0], IBAN, file.mobile, "2100"):
        assert secret not in raw
    assert rows(data, "declarations") == [] and rows(data, "access_log") == []
    assert [n for n in archive.namelist() if n.startswith("documents/")] == [rows(data, "documents")[0]["in_zip"]]


def test_pdpl_export_of_an_unknown_person_is_empty_but_complete(db):
    data, archive = unzip(export_person("1000000008", now=NOW))
    assert set(archive.namelist()) == {"data.json", "data.xlsx"}
    assert all(not section["rows"] for section in data["sections"].values())


def test_pdpl_export_does_not_query_once_per_row(manager, django_assert_max_num_queries):
    _file, small_head, _ = household(manager, members=1)
    big_file, big_head, _ = household(manager, members=1)
    for _ in range(5):
        add_member(big_file, first_name=MEMBER_NAME)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        export_person(small_head.id_number, now=NOW)
    with django_assert_max_num_queries(len(small.captured_queries)):
        export_person(big_head.id_number, now=NOW)


def test_pdpl_export_workbook_keeps_a_text_starting_with_equals_as_text(manager):
    """A complainant's free text such as «=HYPERLINK(…)» must not become a live formula in the
    person's workbook."""
    file, head, _sons = household(manager, members=1)
    file_complaint(head.id_number, other_info='=HYPERLINK("http://example.org","اضغط")')
    archive = zipfile.ZipFile(io.BytesIO(export_person(head.id_number, now=NOW)))
    workbook = load_workbook(io.BytesIO(archive.read("data.xlsx")))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
    assert cells and all(cell.data_type == "s" for cell in cells)
