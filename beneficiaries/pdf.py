"""Render a Django template to PDF with WeasyPrint, offline and without reaching outside.

The PDF may only load the project's own static files (the stylesheet and the vendored Amiri
font): the URL fetcher resolves `/static/...` through the staticfiles finders and refuses
everything else — other hosts, other paths, `data:` and `file:` URLs outside the static folders.
Nothing is ever fetched over the network, so personal data in a template cannot leak through
a crafted URL, and a PDF renders the same on a machine without internet access.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from charity.models import PolicyProfile

logger = logging.getLogger(__name__)

# A base that never resolves on the network (.invalid is reserved, RFC 2606): root-relative
# URLs such as "/static/css/pdf.css" become absolute here and are then served from disk.
PDF_BASE_URL = "https://pdf.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the project's static files and nothing else."""

    def __init__(self, base_url: str = PDF_BASE_URL):
        super().__init__(allowed_protocols=set(), fail_on_errors=False)
        self.base = urlsplit(base_url)

    def fetch(self, url, headers=None):
        path = self.resolve(url)
        if path is None:
            logger.warning("PDF rendering refused a resource outside the static files: %.200s", url)
            raise ValueError("Only the project's static files may be loaded in a PDF.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    def resolve(self, url: str) -> Path | None:
        """Return the static file `url` names, or None when it is not one of ours."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            return _inside_static_roots(Path(url2pathname(parts.path)))
        if (parts.scheme, parts.netloc) != (self.base.scheme, self.base.netloc):
            return None
        return find_static(unquote(parts.path))


def static_prefix() -> str:
    """Return STATIC_URL as a root-relative path, e.g. "/static/"."""
    return "/" + settings.STATIC_URL.strip("/") + "/"


def find_static(path: str) -> Path | None:
    """Return the file that the static URL path `path` names, through the finders."""
    prefix = static_prefix()
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix):]
    normal = posixpath.normpath(relative)
    if not relative or normal != relative.rstrip("/") or normal.startswith(("..", "/")) or "\\" in relative:
        return None
    found = finders.find(normal)
    return Path(found) if found and Path(found).is_file() else None


def _static_roots() -> list[Path]:
    roots = []
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", []):
            roots.append(Path(root))
        for storage in getattr(finder, "storages", {}).values():
            if getattr(storage, "location", None):
                roots.append(Path(storage.location))
    return [root.resolve() for root in roots if root.is_dir()]


def _inside_static_roots(path: Path) -> Path | None:
    real = path.resolve()
    if not real.is_file():
        return None
    return real if any(real.is_relative_to(root) for root in _static_roots()) else None


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render `template_name` with `context` to PDF bytes (static files only, no network).

    The letterhead of "beneficiaries/pdf/base.html" reads `association` (the active policy
    profile); it is added here so that callers without a request get it too."""
    context = {"association": PolicyProfile.objects.filter(is_active=True).first(), **context}
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
