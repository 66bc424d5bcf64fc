"""7. RT-6, RT-10: a PDF fetches only our static files, never the network."""

import socket

import pytest
from django.urls import reverse

from beneficiaries import pdf

pytestmark = pytest.mark.django_db


HOSTILE = "http://127.0.0.1:9/"


@pytest.fixture
def pdf_fetches(monkeypatch):
    """Inject hostile URLs into every PDF template, record each fetch and refuse every socket."""
    real_render, real_fetch = pdf.render_to_string, pdf.StaticOnlyFetcher.fetch
    fetched, connections = [], []

    def inject(template_name, context=None, request=None):
        html = real_render(template_name, context, request=request)
        verify = (context or {}).get("verify_url") or HOSTILE
        html = html.replace("</head>", f'<link rel="stylesheet" href="{HOSTILE}leak.css"></head>', 1)
        return html.replace("</body>", f'<img src="{verify}qr.png"><img src="{HOSTILE}pixel.png"></body>', 1)

    def fetch(self, url, headers=None):
        try:
            response = real_fetch(self, url, headers)
        except ValueError:
            fetched.append((url, False))
            raise
        fetched.append((url, True))
        return response

    def refuse(*args, **kwargs):
        connections.append(args)
        raise OSError("no network while rendering a PDF")

    monkeypatch.setattr(pdf, "render_to_string", inject)
    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", fetch)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return fetched, connections


def _only_static_fetched(fetched, connections):
    served = [url for url, ok in fetched if ok]
    refused = [url for url, ok in fetched if not ok]
    assert connections == []
    assert served and all(pdf.StaticOnlyFetcher().resolve(url) is not None for url in served), served
    assert all(not url.startswith(HOSTILE) for url in served)
    assert {f"{HOSTILE}leak.css", f"{HOSTILE}pixel.png"} <= set(refused)


def test_certificate_pdf_with_a_network_url_in_its_context_fetches_only_static_files(world, pdf_fetches, settings):
    """The certificate's context holds the verification URL (SITE_URL): it is printed, never fetched."""
    from eligibility.certificates import render_certificate

    settings.SITE_URL = HOSTILE.rstrip("/")
    data = render_certificate(world.certificate)
    assert data.startswith(b"%PDF-")
    _only_static_fetched(*pdf_fetches)
    assert f"{HOSTILE}verify/qr.png" in [url for url, _ok in pdf_fetches[0]]


def test_declaration_pdf_through_its_page_fetches_only_static_files(client, world, pdf_fetches):
    client.force_login(world.users["intake_a"])
    response = client.get(reverse("beneficiaries:declaration_pdf", args=[world.draft.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    _only_static_fetched(*pdf_fetches)
