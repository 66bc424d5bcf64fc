"""The published texts come from the profile's values (RT-9, CP-1, CP-2, CP-4, CP-6, CP-7, CP-10,
IN-5): the charter, «how complaints are settled», the complaint form and its receipt, the
application receipt, every message and every PDF state the profile's complaint window, ruling
period, complaint receiver, investigation committee and deciding body, and never the old ones.
Where the association has not adopted its complaint procedure, the pages and messages that tell a
beneficiary how long they have give no window and the ruling period as its practice
(RULES.md «Sections per profile»)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from charity import calendar
from charity.charter import charter, grievance_period, with_li
from charity.message_catalog import validate_wording
from charity.models import PolicyProfile
from charity.policy import DecidingBody, Section
from charity.services import load_policy_profile, withdraw_section
from testdata import NOW, TODAY

from . import published

pytestmark = pytest.mark.django_db

WINDOW, RULING = 45, 12  # CP-2, CP-7: the new values
OLD_WINDOW, OLD_RULING = 30, 15  # the general policy's (000)
RECEIVER = {"ar": "رئيس مجلس الإدارة", "en": "the chair of the board"}
COMMITTEE = {"ar": "لجنة المراجعة", "en": "the review committee"}
NEW_VALUES = {
    "complaint_window_days": WINDOW, "ruling_working_days": RULING,
    "complaint_receiver_ar": RECEIVER["ar"], "complaint_receiver_en": RECEIVER["en"],
    "investigation_committee_ar": COMMITTEE["ar"], "investigation_committee_en": COMMITTEE["en"],
    "deciding_body": DecidingBody.ASSOCIATION,  # IN-5: was the beneficiary-services manager
}
PRACTICE = "ممارستها"  # «its practice»: the ruling period of an association that adopted no procedure


@dataclass(frozen=True)
class Number:
    """A period written in Western digits, standing alone (not a piece of a date, a serial or a code)."""

    value: int

    def found_in(self, text: str) -> bool:
        return re.search(rf"(?<![A-Za-z0-9/\-]){self.value}(?![A-Za-z0-9/\-])", text) is not None

    def __repr__(self):
        return f"the number {self.value}"


@dataclass(frozen=True)
class Claims:
    says: tuple = ()
    never: tuple = ()

    def __add__(self, other: Claims) -> Claims:
        return Claims(self.says + other.says, self.never + other.never)


@dataclass(frozen=True)
class DueDate:
    """The ruling date of a complaint filed today, the given working days ahead (read from the
    calendar when the test runs)."""

    working_days: int

    def found_in(self, text: str) -> bool:
        return calendar.format_dual(calendar.add_working_days(TODAY, self.working_days), "ar") in text

    def __repr__(self):
        return f"the date {self.working_days} working days ahead"


def _found(item, text: str) -> bool:
    return item.found_in(text) if hasattr(item, "found_in") else item in text


def _deciding_bodies() -> Claims:
    with translation.override("ar"):
        return Claims(says=(str(DecidingBody.ASSOCIATION.label),), never=(str(DecidingBody.MANAGER.label),))


# The charter's complaint section (CP-2, CP-4, CP-6, CP-7, CP-10) in Arabic: the approved text's
# own wording and Arabic-Indic digits, under either adoption (unadopted, it is shown as the model).
CHARTER_AR = Claims(
    says=("لا تتجاوز (٤٥) يوماً", "لا تتجاوز ١٢ يوم عمل", f"لمكتب {RECEIVER['ar']}", f"على {RECEIVER['ar']} للجمعية",
          f"{with_li(RECEIVER['ar'])} الحق في إحالة المستفيد إلى {COMMITTEE['ar']}"),
    never=("(٣٠) يوماً", "١٥ يوم عمل", "المدير التنفيذي", "لجنة التحقيق"),
)
CHARTER_EN = Claims(
    says=(f"within {WINDOW} days", f"within {RULING} working days", f"office of {RECEIVER['en']}",
          f"by {RECEIVER['en']} to {COMMITTEE['en']}"),
    never=(f"{OLD_WINDOW} days", f"{OLD_RULING} working days", "executive director", "investigation committee"),
)
# The periods a beneficiary is told in the reader's words (Western digits).
WINDOW_AND_RULING = Claims(says=(Number(WINDOW), Number(RULING)), never=(Number(OLD_WINDOW), Number(OLD_RULING)))
WINDOW_ONLY = Claims(says=(Number(WINDOW),), never=(Number(OLD_WINDOW), Number(OLD_RULING)))
RULING_AS_PRACTICE = Claims(says=(Number(RULING), PRACTICE),
                            never=(Number(WINDOW), Number(OLD_WINDOW), Number(OLD_RULING)))
RULING_ONLY = Claims(says=(Number(RULING),), never=(Number(OLD_RULING),))
RECEIVER_NAMED = Claims(says=(f"مكتب {RECEIVER['ar']}",), never=("المدير التنفيذي",))
BODIES_NAMED = Claims(says=(RECEIVER["ar"], COMMITTEE["ar"]), never=("المدير التنفيذي", "لجنة التحقيق"))


@dataclass(frozen=True)
class Place:
    read: object
    adopted: Claims
    practice: Claims = field(default=None)

    def claims(self, adopted: bool) -> Claims:
        return self.adopted if adopted or self.practice is None else self.practice


PLACES = {
    # Pages
    "charter": Place(published.charter_page, CHARTER_AR),
    "charter in English": Place(published.charter_page_en, CHARTER_EN),
    "how complaints are settled": Place(published.how_settled_page, CHARTER_AR + WINDOW_AND_RULING,
                                        CHARTER_AR + RULING_AS_PRACTICE),
    "complaint form": Place(published.complaint_form_page, WINDOW_AND_RULING, RULING_AS_PRACTICE),
    "complaint received": Place(published.complaint_received_page,
                                Claims(says=(DueDate(RULING),), never=(DueDate(OLD_RULING),))),
    "application receipt": Place(published.application_receipt_page, WINDOW_AND_RULING + _deciding_bodies(),
                                 RULING_AS_PRACTICE + _deciding_bodies()),
    "paper complaint (staff)": Place(published.paper_complaint_page, RECEIVER_NAMED + WINDOW_ONLY, RECEIVER_NAMED),
    "association policy (staff)": Place(published.policy_page, BODIES_NAMED + WINDOW_AND_RULING,
                                        BODIES_NAMED + RULING_ONLY + Claims(never=(Number(WINDOW),))),
    # PDFs
    "application receipt PDF": Place(published.application_receipt_pdf, WINDOW_AND_RULING + _deciding_bodies(),
                                     RULING_AS_PRACTICE + _deciding_bodies()),
    "declaration PDF with the charter": Place(published.declaration_pdf, CHARTER_AR),
    "exclusion certificate PDF": Place(published.exclusion_certificate_pdf, WINDOW_ONLY, RULING_AS_PRACTICE),
    # Messages: every outbox row, SMS and e-mail
    "application received": Place(published.application_received_message, _deciding_bodies()),
    "refusal": Place(published.refusal_message, WINDOW_ONLY, RULING_AS_PRACTICE),
    "exclusion": Place(published.exclusion_message, WINDOW_ONLY, RULING_AS_PRACTICE),
    "complaint filed on a day off": Place(published.complaint_off_day_message,
                                          Claims(says=(f"{RULING} يوم عمل",), never=(f"{OLD_RULING} يوم عمل",))),
}


@pytest.fixture(autouse=True)
def _site_and_time(settings):
    settings.SITE_URL = "https://jamiya.example"
    with time_machine.travel(NOW, tick=False):  # the public form files «today»
        yield


@pytest.mark.rule("RT-9", "CP-1", "CP-2", "CP-4", "CP-6", "CP-7", "CP-10", "IN-5")
@pytest.mark.parametrize("adopted", [True, False], ids=["procedure adopted", "procedure not adopted"])
@pytest.mark.parametrize("place", list(PLACES))
def test_every_published_text_states_the_profiles_values(staff, profile, place, adopted):
    """Change each value on the profile; every page, PDF and message that states it says the new
    value and never the old one (and, unadopted, the ruling period as the association's practice)."""
    for name, value in NEW_VALUES.items():
        setattr(profile, name, value)
    profile.save()
    if not adopted:
        withdraw_section(profile=profile, section=Section.COMPLAINTS, reason="test: not adopted", by=None)
    text = PLACES[place].read(staff)
    claims = PLACES[place].claims(adopted)
    assert [item for item in claims.says if not _found(item, text)] == [], text
    assert [item for item in claims.never if _found(item, text)] == [], text


# --- The charter's text --------------------------------------------------------------------

# What 000 says, as charter.json restated it before its periods and bodies became placeholders.
APPROVED_TEXT = {
    "CP-2": "على المستفيد تقديم التظلم أو الشكوى خلال مدة لا تتجاوز (٣٠) يوماً من تاريخ حدوث الحق المطالب به، ولا "
            "يقبل أي تظلم أو شكوى بعد مضي هذه المدة إلا بعذر مشروع تقبله إدارة الجمعية.",
    "CP-4": "يقدم المستفيد التظلم أو الشكوى إلى الجمعية عبر الرابط المخصص لاستقبال طلبات التظلم، أو تسليمها يدوياً "
            "لمكتب المدير التنفيذي خلال ساعات العمل الرسمي في ظرف مغلق.",
    "CP-6": "على المدير التنفيذي للجمعية اتخاذ الإجراءات التي تكفل النظر في موضوع التظلم وفق ما تنص عليه لائحة حقوق "
            "المستفيدين.",
    "CP-7": "يتم البت في موضوع التظلم أو الشكوى في مدة لا تتجاوز ١٥ يوم عمل من تاريخ تقديم الطلب أو الشكوى.",
    "CP-10": "للمدير التنفيذي الحق في إحالة المستفيد إلى لجنة التحقيق لاتخاذ الإجراءات التأديبية في حقه إن ظهر أن تظلم "
             "المستفيد كيدي.",
}


@pytest.mark.rule("CP-2", "CP-4", "CP-6", "CP-7", "CP-10")
def test_the_general_profile_reads_the_approved_text_word_for_word(profile):
    """With 000's values the filled charter is the approved text: the placeholders change nothing."""
    items = {item["id"]: item["text"] for item in charter("ar", profile=profile)["complaints"]}
    assert {rule: items[rule] for rule in APPROVED_TEXT} == APPROVED_TEXT


@pytest.mark.parametrize(("days", "window", "ruling"), [
    (1, "لا تتجاوز يوماً واحداً", "لا تتجاوز يوم عمل واحد"),
    (2, "لا تتجاوز يومين", "لا تتجاوز يومي عمل"),
    (7, "لا تتجاوز (٧) أيام", "لا تتجاوز ٧ أيام عمل"),
    (45, "لا تتجاوز (٤٥) يوماً", "لا تتجاوز ٤٥ يوم عمل"),
    (100, "لا تتجاوز (١٠٠) يوم", "لا تتجاوز ١٠٠ يوم عمل"),
], ids=["one", "two", "seven", "forty-five", "a hundred"])
def test_the_charter_counts_the_days_in_arabic(profile, days, window, ruling):
    """The number agrees with its noun as Arabic counts (one, two, 3–10, 11–99, a hundred)."""
    profile.complaint_window_days = profile.ruling_working_days = days
    items = {item["id"]: item["text"] for item in charter("ar", profile=profile)["complaints"]}
    assert window in items["CP-2"] and ruling in items["CP-7"]


@pytest.mark.parametrize(("noun", "joined"), [
    ("المدير التنفيذي", "للمدير التنفيذي"), ("اللجنة التنفيذية", "للجنة التنفيذية"),
    ("مدير خدمات المستفيدين", "لمدير خدمات المستفيدين"),
], ids=["article", "article before lam", "no article"])
def test_with_li_joins_the_preposition_as_arabic_writes_it(noun, joined):
    assert with_li(noun) == joined


TEMPLATES = Path(settings.BASE_DIR) / "templates"
CHARTER_FILE = Path(settings.BASE_DIR) / "charity" / "profiles" / "charter.json"
WRITTEN_IN = re.compile(
    r"[0-9٠-٩]+\)? ?(?:يوم|أيام)|\b\d+ (?:working )?days?\b|المدير التنفيذي|لجنة التحقيق|لجنة البحث"
    r"|executive director|investigation committee|research committee", re.IGNORECASE)
# The staff role's own page, not a body the policy names for complaints.
ROLE_TITLES = ("Executive director's dashboard",)


@pytest.mark.rule("RT-9")
def test_no_template_or_charter_text_writes_a_period_or_a_body_in():
    """Periods, the complaint receiver and the committees come from the profile: none is written
    into a template or into the charter's texts."""
    texts = {str(path.relative_to(settings.BASE_DIR)): path.read_text(encoding="utf-8")
             for path in TEMPLATES.rglob("*.html")}
    for title in ROLE_TITLES:
        texts = {where: text.replace(title, "") for where, text in texts.items()}
    for items in json.loads(CHARTER_FILE.read_text(encoding="utf-8")).values():
        for item in items:
            texts[f"charter.json {item['id']}"] = item["ar"] + " " + item["en"]
    found = {where: WRITTEN_IN.findall(text) for where, text in texts.items() if WRITTEN_IN.search(text)}
    assert found == {}


# --- The grievance period in messages and the certificate (CP-1, CP-2) ----------------------


@pytest.mark.rule("CP-1", "CP-2")
def test_the_grievance_period_is_the_window_only_where_the_procedure_is_adopted(profile):
    profile.complaint_window_days, profile.ruling_working_days = WINDOW, RULING
    assert grievance_period(profile, "ar") == "خلال 45 يومًا"
    assert grievance_period(profile, "en") == "within 45 days"
    kafl, _ = load_policy_profile("kafl")
    kafl.ruling_working_days = RULING
    practice = grievance_period(kafl, "ar")
    assert practice.startswith("في أي وقت") and "12 يوم عمل" in practice and PRACTICE in practice
    assert "30" not in practice


@pytest.mark.rule("CP-1")
@pytest.mark.parametrize("purpose", ["decision-reject", "exclusion"])
def test_an_admins_wording_must_keep_the_grievance_period(profile, purpose):
    """The period is what the rule says must reach the family: a wording without it is refused."""
    with pytest.raises(ValidationError) as refused:
        validate_wording(purpose, "{file_number} {reasons} {complaint_link} {portal_link} {certificate_link}")
    assert "{grievance_period}" in " ".join(refused.value.messages)


# --- The profile's bodies ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["general", "awaser", "amass", "kafl", "banan"])
def test_each_profile_file_names_who_receives_complaints(code):
    """CP-4, CP-6, CP-10 are 000's: every file holds its executive director and investigation
    committee (in reserve where the procedure is not adopted, like the periods)."""
    profile, _ = load_policy_profile(code)
    assert (profile.complaint_receiver_ar, profile.investigation_committee_ar) == ("المدير التنفيذي", "لجنة التحقيق")
    with translation.override("en"):
        assert profile.complaint_receiver == "the executive director"
    with translation.override("ar"):
        assert profile.investigation_committee == "لجنة التحقيق"


def test_a_profile_file_without_the_bodies_loads_the_defaults(monkeypatch):
    from charity import services

    read = services.read_profile

    def without_bodies(code):
        data = read(code)
        for name in ("complaint_receiver_ar", "complaint_receiver_en", "investigation_committee_ar",
                     "investigation_committee_en"):
            data.pop(name)
        return data

    monkeypatch.setattr(services, "read_profile", without_bodies)
    profile, _ = load_policy_profile("kafl")
    assert profile.complaint_receiver_ar == PolicyProfile._meta.get_field("complaint_receiver_ar").default
