"""The PDF helper: Arabic right to left with Amiri, the letterhead, and only our own static files
(RT-6, RT-10: a printed document never reaches outside the server)."""

import io
import socket
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from beneficiaries import pdf
from beneficiaries.pdf import PDF_BASE_URL, StaticOnlyFetcher, find_static, render_pdf
from charity.charter import charter
from charity.models import AccessLog
from charity.roles import Role
from testdata import make_draft, make_submitted

pytestmark = pytest.mark.django_db

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


@pytest.fixture
def intake(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_user(Role.INTAKE, username="intake")


@pytest.fixture
def desk(client, intake, profile):
    client.force_login(intake)
    return client


@pytest.fixture
def html_source(monkeypatch):
    """Render a given HTML string instead of a template file."""
    def use(html: str):
        monkeypatch.setattr(pdf, "render_to_string", lambda *args, **kwargs: html)
    return use


@pytest.fixture
def no_network(monkeypatch):
    """Record (and block) every attempt to open a network connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_pdf_letterhead_arabic_with_amiri(profile):
    """PR: the letterhead names the association and its approval record; Arabic in Amiri."""
    with translation.override("ar"):
        content = render_pdf("beneficiaries/pdf/base.html", {})
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert profile.name_ar in text
    assert "الإدارة رقم" in text  # from the approval record «محضر اجتماع مجلس الإدارة رقم …»
    assert any("Amiri" in font for font in pdf_fonts(content))


def test_fetcher_serves_static_files_through_the_finders():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(PDF_BASE_URL + "static/css/pdf.css")
    assert b"@page" in response.read() and response.content_type == "text/css"
    font = fetcher.fetch(PDF_BASE_URL + "static/vendor/fonts/amiri/Amiri-Regular.ttf")
    assert len(font.read()) > 100_000
    assert fetcher.resolve((STATIC_DIR / "css" / "pdf.css").as_uri()) == (STATIC_DIR / "css" / "pdf.css").resolve()


@pytest.mark.parametrize("url", [
    "https://example.com/static/css/pdf.css",
    "http://127.0.0.1:8000/static/css/pdf.css",
    PDF_BASE_URL + "media/documents/secret.pdf",
    PDF_BASE_URL + "static/../charity/settings.py",
    PDF_BASE_URL + "static/%2e%2e/charity/settings.py",
    PDF_BASE_URL + "static/css/missing.css",
    "file:///etc/passwd",
    (Path(settings.BASE_DIR) / "charity" / "settings.py").as_uri(),
    (STATIC_DIR / ".." / "charity" / "settings.py").as_uri(),
    "data:text/css,body{}",
    "ftp://example.com/x.css",
])
def test_fetcher_refuses_everything_else(url):
    fetcher = StaticOnlyFetcher()
    assert fetcher.resolve(url) is None
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_find_static_refuses_traversal_and_other_prefixes():
    assert find_static("/static/css/pdf.css") is not None
    assert find_static("/static/../manage.py") is None
    assert find_static("/static/") is None
    assert find_static("/private-media/x.pdf") is None


def test_render_never_touches_the_network(html_source, no_network, caplog):
    """A crafted URL in the printed data is refused, not fetched."""
    html_source("""<html><head><link rel="stylesheet" href="/static/css/pdf.css">
      <link rel="stylesheet" href="https://cdn.example.com/evil.css"></head>
      <body><p>نص عربي</p><img src="http://169.254.169.254/latest/meta-data/">
      <img src="file:///etc/passwd"></body></html>""")
    content = render_pdf("ignored.html", {})
    assert content.startswith(b"%PDF-")
    assert no_network == []
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 3
    assert "نص عربي" in pdf_text(content)


# --- The intake's printed documents (IN-3, IN-5) ---------------------------------------------


@pytest.mark.rule("IN-3")
def test_declaration_pdf_has_applicant_and_charter(desk, intake):
    """IN-3: the printable declaration names the applicant and carries the charter; printing is logged."""
    file = make_draft(intake)
    response = desk.get(reverse("beneficiaries:declaration_pdf", args=[file.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="declaration-{file.number}.pdf"'
    text = pdf_text(response.content)
    assert file.head_name in text and file.head_id_number in text
    with translation.override("ar"):
        right = charter()["rights"][2]["text"]  # RT-3
    assert " ".join(right.split()[:6]) in text
    assert AccessLog.objects.filter(object_id=str(file.pk), action=AccessLog.Action.PRINT).exists()


@pytest.mark.rule("IN-3")
def test_declaration_pdf_in_english_states_the_declaration(desk, intake, settings):
    """IN-3: the declaration text is translatable; English is its source."""
    file = make_draft(intake)
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = pdf_text(desk.get(reverse("beneficiaries:declaration_pdf", args=[file.pk])).content)
    assert "declare that I am directly responsible for the correctness of the information and documents" in text
    assert "Services without discrimination, with respect." in text  # RT-3 in the charter


@pytest.mark.rule("IN-5")
def test_receipt_pdf_states_deciding_body_and_the_period_never_a_latest_date(desk, intake, profile):
    """IN-5: the receipt tells who decides and the period in the text's own terms, «not less than
    two weeks» — a minimum: no date is promised (the target is the manager's overdue list)."""
    file = make_submitted(intake)
    response = desk.get(reverse("beneficiaries:receipt_pdf", args=[file.pk]))
    assert response["Content-Disposition"] == f'inline; filename="receipt-{file.number}.pdf"'
    text = pdf_text(response.content)
    year, serial = file.number.split("-")
    assert year in text and serial in text
    assert "مدير خدمات المستفيدين" in text
    assert "لا تقل عن أسبوعين" in text
    assert file.decision_due_on.strftime("%d/%m/%Y") not in text
