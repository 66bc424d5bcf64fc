"""The test data every app's tests share, in one place: import it from here.

    from testdata import NOW, TODAY, complaint_form_data, make_active, member_data

- files.py: the pinned day (TODAY, NOW), identity numbers, uploads, the head and the members of
  a household, and files in each state (make_draft, make_submitted, make_active), all built
  through the services.
- complaints.py: the public complaint form's valid data, and a complaint filed through the service.
- updates.py: `tell_families`, the annual update's messages delivered (DU-5: told families only
  can be late).
- profiles.py: `set_up`, `load_set_up`: the service area and the committee quorum, which the
  shipped profiles leave for the admin, set as the tests assume them (charity.setup).
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
from .profiles import TEST_CITIES, TEST_QUORUM, load_set_up, set_up
from .staff import Staff, beyond_role
from .updates import tell_families

__all__ = [
    "NOW", "TEST_CITIES", "TEST_QUORUM", "TODAY", "Staff", "add_member", "beyond_role", "bomb_png",
    "complaint_form_data", "complete_documents", "file_complaint", "head_data", "load_set_up", "make_active",
    "make_draft", "make_submitted", "member_data", "member_form_data", "national_id", "pdf_bytes", "pdf_upload",
    "png_upload", "set_up", "signed_cancellation_form", "tell_families", "unique_national_id",
]
