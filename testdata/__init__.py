"""The test data every app's tests share, in one place: import it from here.

    from testdata import NOW, TODAY, complaint_form_data, make_active, member_data

- files.py: the pinned day (TODAY, NOW), identity numbers, uploads, the head and the members of
  a household, and files in each state (make_draft, make_submitted, make_active), all built
  through the services.
- complaints.py: the public complaint form's valid data, and a complaint filed through the service.
- updates.py: `tell_families`, the annual update's messages delivered (DU-5: told families only
  can be late).
- staff.py: `Staff`, users by real role behind the `staff` fixture of the root conftest.py, and
  `beyond_role` for the few scope tests that need a permission no role of the user holds.

Each builder takes keyword overrides: a test passes the values its assertions read, so the test
says what it relies on. Plain functions rather than factory_boy: every object here must be made
by the services (intake, submission, status changes), which factory_boy's model factories would
bypass, and a dict with overrides needs no factory class."""

from .complaints import complaint_form_data, file_complaint
from .files import (
    NOW,
    TODAY,
    add_member,
    bomb_png,
    complete_documents,
    head_data,
    make_active,
    make_draft,
    make_submitted,
    member_data,
    member_form_data,
    national_id,
    pdf_bytes,
    pdf_upload,
    png_upload,
    signed_cancellation_form,
    unique_national_id,
)
from .staff import Staff, beyond_role
from .updates import tell_families

__all__ = [
    "NOW", "TODAY", "Staff", "add_member", "beyond_role", "bomb_png", "complaint_form_data", "complete_documents",
    "file_complaint", "head_data", "make_active", "make_draft", "make_submitted", "member_data", "member_form_data",
    "national_id", "pdf_bytes", "pdf_upload", "png_upload", "signed_cancellation_form",
    "tell_families", "unique_national_id",
]
