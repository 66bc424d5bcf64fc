"""What the public-page tests share: the URLs, posting a complaint's form data and reading it."""

from pathlib import Path

from charity.models import PolicyProfile
from complaints import services
from testdata import NOW, TODAY, complaint_form_data

FORM_URL = "/complaints/"
RECEIVED_URL = "/complaints/received/"
STATUS_URL = "/complaints/status/"


def files_on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post_form(client, data, files=(), **extra):
    payload = dict(data)
    if files:
        payload["attachments"] = list(files)
    return client.post(FORM_URL, payload, **extra)


def field_errors(response, field) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def file_directly(**overrides):
    """File `complaint_form_data(**overrides)` through the service; return (complaint, secret code)."""
    return services.file_complaint(data=complaint_form_data(**overrides), profile=PolicyProfile.objects.active(),
                                   now=NOW, today=TODAY)
