"""«Staff tools» (RULES.md): the documents a profile's text puts at hand for staff — four in awaser,
amass and banan, three in kafl (003:40-43), none in the general text — created by loading the
profile, uploaded (and replaced, every upload kept) by the admin on the setup checklist, and linked
from every staff role's home page; downloaded by staff only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from charity import setup
from charity.models import StaffTool, StaffToolVersion
from charity.roles import Role
from charity.services import load_policy_profile, upload_staff_tool
from charity.uploads import UPLOAD_WRONG_TYPE
from testdata import pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db
SOURCES = Path(__file__).resolve().parents[2].parent / "shared" / "policy" / "source"
REGULATION, GUIDE = "اللائحة الأساسية للجمعية", "دليل خدمات البحث الاجتماعي"
FOUR = [REGULATION, GUIDE, "دليل سياسة الدعم للمستفيدين", "طلب دعم مستفيد"]
NAMED = {
    "general": [],
    "awaser": [(name, f"001:{line}") for name, line in zip(FOUR, (58, 59, 60, 62), strict=True)],
    "amass": [(name, f"002:{line}") for name, line in zip(FOUR, (66, 67, 68, 69), strict=True)],
    # kafl names three, and writes «للمستخدمين» where the others write «للمستفيدين».
    "kafl": [(REGULATION, "003:41"), (GUIDE, "003:42"), ("دليل سياسة الدعم للمستخدمين", "003:43")],
    "banan": [(name, f"004:{line}") for name, line in zip(FOUR, (67, 68, 69, 70), strict=True)],
}


def _tools(profile) -> list[tuple[str, str]]:
    return [(t.name_ar, t.source_line) for t in profile.staff_tools.order_by("position")]


def _setup_url(profile):
    return reverse("admin:charity_policyprofile_setup", args=[profile.pk])


def _upload(client, tool, upload):
    return client.post(_setup_url(tool.profile), {"action": "upload", "tool_id": tool.pk,
                                                  f"tool-{tool.pk}-uploaded": upload})


@pytest.mark.parametrize("code", list(NAMED))
def test_loading_a_profile_creates_the_documents_its_text_names_not_yet_uploaded(code):
    profile, _ = load_policy_profile(code)
    assert _tools(profile) == NAMED[code]
    assert not StaffToolVersion.objects.exists()
    assert [m.label for m in setup.missing_setup(profile) if m.key.startswith("staff_tool:")] == \
        [name for name, _line in NAMED[code]]


@pytest.mark.parametrize("code", [c for c in NAMED if NAMED[c]])
def test_each_name_stands_on_the_line_of_the_text_it_cites(code):
    """The name is the text's own, on the line the tool cites (read from the Arabic source)."""
    if not SOURCES.exists():
        pytest.skip("the Arabic sources are not beside the checkout")
    for name, where in NAMED[code]:
        number, line = where.split(":")
        source = next(SOURCES.glob(f"{number}_*.txt")).read_text(encoding="utf-8").splitlines()
        assert name in source[int(line) - 1], (code, name, where)


def test_a_reload_keeps_the_uploads_and_removes_nothing(make_user):
    banan, _ = load_policy_profile("banan")
    tool = banan.staff_tools.get(code="basic_regulation")
    upload_staff_tool(tool=tool, uploaded=pdf_upload("regulation.pdf"), by=make_user(Role.ADMIN), now=timezone.now())
    banan, changed = load_policy_profile("banan")
    assert not changed and banan.staff_tools.count() == 4 and tool.versions.count() == 1


def test_the_setup_checklist_lists_the_missing_documents_and_the_admin_uploads_and_replaces_one(client, make_user):
    kafl, _ = load_policy_profile("kafl")
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    page = client.get(_setup_url(kafl)).content.decode()
    for tool in kafl.staff_tools.all():
        assert f'data-testid="tool-{tool.code}" data-uploaded="false"' in page
        assert f'data-testid="missing-staff_tool:{tool.code}"' in page
    tool = kafl.staff_tools.get(code="research_services_guide")
    assert _upload(client, tool, pdf_upload("guide-v1.pdf")).status_code == 302
    first = tool.current()
    assert (first.uploaded_by, first.original_name) == (admin, "guide-v1.pdf")
    assert first.history.get().history_user == admin
    page = client.get(_setup_url(kafl)).content.decode()
    assert 'data-testid="tool-research_services_guide" data-uploaded="true"' in page
    assert 'data-testid="missing-staff_tool:research_services_guide"' not in page

    # A replacement: the newest is the one staff open; the first stays, its file too.
    replacement = SimpleUploadedFile("guide-v2.pdf", pdf_bytes("v2"), content_type="application/pdf")
    assert _upload(client, tool, replacement).status_code == 302
    assert tool.versions.count() == 2 and tool.current().original_name == "guide-v2.pdf"
    assert Path(first.stored.path).exists()


def test_an_upload_that_is_not_a_document_is_refused_and_nothing_is_kept(client, make_user):
    kafl, _ = load_policy_profile("kafl")
    client.force_login(make_user(Role.ADMIN))
    tool = kafl.staff_tools.first()
    not_a_pdf = SimpleUploadedFile("guide.pdf", b"not a pdf at all", content_type="application/pdf")
    response = _upload(client, tool, not_a_pdf)
    assert response.status_code == 400
    with translation.override("ar"):
        assert str(UPLOAD_WRONG_TYPE) in response.content.decode()
    assert not tool.versions.exists()


def test_only_the_system_administrator_uploads(client, make_user):
    kafl, _ = load_policy_profile("kafl")
    client.force_login(make_user(Role.MANAGER))
    tool = kafl.staff_tools.first()
    assert _upload(client, tool, pdf_upload()).status_code == 302  # the admin site's own login page
    assert not tool.versions.exists()


@pytest.fixture
def uploaded(make_user):
    """banan loaded, its basic regulation uploaded by the admin, the other three not."""
    banan, _ = load_policy_profile("banan")
    tool = banan.staff_tools.get(code="basic_regulation")
    upload_staff_tool(tool=tool, uploaded=SimpleUploadedFile("r.pdf", pdf_bytes("regulation"),
                                                             content_type="application/pdf"),
                      by=make_user(Role.ADMIN), now=timezone.now())
    return tool


@pytest.mark.parametrize("role", list(Role))
def test_every_staff_home_links_the_uploaded_documents(client, make_user, uploaded, role):
    client.force_login(make_user(role))
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("staff_tool", args=[uploaded.pk])}"' in page
    assert REGULATION in page
    for missing in uploaded.profile.staff_tools.exclude(pk=uploaded.pk):
        assert reverse("staff_tool", args=[missing.pk]) not in page
    response = client.get(reverse("staff_tool", args=[uploaded.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == uploaded.current().stored.open("rb").read()


def test_the_documents_are_for_staff_only(client, make_user, uploaded):
    url = reverse("staff_tool", args=[uploaded.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(make_user())  # signed in, but no role: not staff
    assert client.get(url).status_code == 403
    assert reverse("staff_tool", args=[uploaded.pk]) not in client.get(reverse("home")).content.decode()


def test_a_document_not_uploaded_or_of_another_profile_is_404(client, make_user, uploaded):
    client.force_login(make_user(Role.RESEARCHER))
    missing = uploaded.profile.staff_tools.exclude(pk=uploaded.pk).first()
    assert client.get(reverse("staff_tool", args=[missing.pk])).status_code == 404
    load_policy_profile("kafl")  # banan is no longer the active profile
    assert client.get(reverse("staff_tool", args=[uploaded.pk])).status_code == 404
    assert StaffTool.objects.filter(pk=uploaded.pk).exists()
