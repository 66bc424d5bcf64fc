"""What the file-page tests share: the IBAN they enter and opening the page."""

from django.urls import reverse

IBAN = "SA0380000000608010167519"


def page_of(client, file) -> str:
    response = client.get(reverse("beneficiaries:file_detail", args=[file.pk]))
    assert response.status_code == 200
    return response.content.decode()
