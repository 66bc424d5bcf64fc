"""Every link written into an SMS, an e-mail or a PDF is built on SITE_URL (charity.links)."""

from pathlib import Path

from charity.links import absolute_reverse, absolute_url, site_url

ROOT = Path(__file__).resolve().parents[2]


def test_absolute_url_joins_site_url_and_path_once(settings):
    settings.SITE_URL = "https://example.org.sa/"
    assert site_url() == "https://example.org.sa"
    assert absolute_url("/verify/") == absolute_url("verify/") == "https://example.org.sa/verify/"
    assert absolute_reverse("verify:verify_certificate") == "https://example.org.sa/verify/"
    assert absolute_reverse("survey:answer", "tok") == "https://example.org.sa/survey/tok/"


def test_without_site_url_a_link_is_the_bare_path(settings):
    """DEBUG off and SITE_URL unset: the path alone, and check --deploy warns (charity.W002)."""
    settings.SITE_URL = ""
    assert absolute_url("/verify/") == "/verify/"


def test_no_message_or_document_builds_a_link_from_the_request_or_a_fixed_host():
    """One helper for every outgoing link: no build_absolute_uri, no SITE_URL read by hand, no
    127.0.0.1 outside settings (the DEBUG default) and the development server."""
    allowed = {"charity/links.py", "charity/settings.py", "charity/checks.py", "charity/backup.py",
               "charity/management/commands/rundev.py"}
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        skipped = relative.split("/")[0] in {".venv", "bench", "var", "testdata"} or "/tests/" in relative
        if skipped or relative in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{relative}: {needle}" for needle in ("build_absolute_uri", "SITE_URL", "127.0.0.1")
                      if needle in text]
    assert offenders == []


def test_pdf_templates_print_no_relative_link():
    """A PDF is read away from the site: its links come from the context (absolute_url), never
    from {% url %}, which gives a bare path."""
    offenders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").glob("*/pdf/*.html")
                 if "{% url" in p.read_text(encoding="utf-8")]
    assert offenders == []
