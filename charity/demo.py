"""Demo data for `make run`: one login per role, a research committee that can decide, and the
values no approved text gives (the service area, the committee's quorum) set as demo values.
Idempotent: existing rows, and values an admin already set, are left alone."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import PolicyProfile
from .roles import ADMIN_SITE_ROLES, Role
from .services import set_setup_values

DEMO_PASSWORD = "demo-pass-2026"  # printed by `make run`; demo installations only

DEMO_USERS = [
    # username, role, first name, last name, job title
    ("intake", Role.INTAKE, "نورة", "القحطاني", "موظفة علاقات المستفيدين"),
    ("researcher", Role.RESEARCHER, "سارة", "العتيبي", "باحثة اجتماعية"),
    ("researcher2", Role.RESEARCHER, "خالد", "الشهري", "باحث اجتماعي"),
    ("manager", Role.MANAGER, "عبدالله", "الدوسري", "مدير خدمات المستفيدين"),
    ("officer", Role.RESEARCH_OFFICER, "هند", "السبيعي", "مسئولة البحث الاجتماعي"),
    # Three members: the demo quorum (DEMO_QUORUM) is met, so the committee can decide.
    ("committee", Role.COMMITTEE, "منى", "الحربي", "عضو لجنة البحث"),
    ("committee2", Role.COMMITTEE, "ماجد", "القرني", "عضو لجنة البحث"),
    ("committee3", Role.COMMITTEE, "لطيفة", "الغامدي", "عضو لجنة البحث"),
    ("director", Role.DIRECTOR, "فهد", "المطيري", "المدير التنفيذي"),
    ("investigator", Role.INVESTIGATION, "ريم", "الزهراني", "عضو لجنة التحقيق"),
    ("chair", Role.BOARD_CHAIR, "سلطان", "العنزي", "رئيس مجلس الإدارة"),
    ("admin", Role.ADMIN, "مشرف", "النظام", "مسؤول النظام"),
]

# Demo values for what no approved text gives (charity.setup): a real installation's admin sets
# its own on the profile's setup checklist.
DEMO_SERVICE_AREA = ["الرياض"]
DEMO_QUORUM = 2


@transaction.atomic
def seed_demo_users() -> list[tuple[str, str, bool]]:
    """Create the demo staff if missing; return (username, role label, created) rows."""
    user_model = get_user_model()
    rows = []
    for username, role, first, last, title in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "job_title": title,
                      "phone": "+966110000000", "email": f"{username}@example.org",
                      "is_staff": role in ADMIN_SITE_ROLES},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role.value))
        rows.append((username, str(role.label), created))
    return rows


@transaction.atomic
def seed_demo_setup() -> PolicyProfile | None:
    """Set the active profile's service area (where it is enforced) and the research committee's
    quorum to the demo values, each only while it is unset; return the profile (None if none)."""
    profile = PolicyProfile.objects.filter(is_active=True).first()
    if profile is None:
        return None
    cities = profile.service_area_cities or (DEMO_SERVICE_AREA if profile.service_area_enforced else [])
    quorum = profile.committee_quorum or DEMO_QUORUM
    if (cities, quorum) != (profile.service_area_cities, profile.committee_quorum):
        profile = set_setup_values(profile=profile, service_area_cities=cities, committee_quorum=quorum, by=None)
    return profile
