"""Demo data for `make run`: one login per role. Idempotent: existing rows are left alone."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .roles import ADMIN_SITE_ROLES, Role

DEMO_PASSWORD = "demo-pass-2026"  # printed by `make run`; demo installations only

DEMO_USERS = [
    # username, role, first name, last name, job title
    ("intake", Role.INTAKE, "نورة", "القحطاني", "موظفة علاقات المستفيدين"),
    ("researcher", Role.RESEARCHER, "سارة", "العتيبي", "باحثة اجتماعية"),
    ("researcher2", Role.RESEARCHER, "خالد", "الشهري", "باحث اجتماعي"),
    ("manager", Role.MANAGER, "عبدالله", "الدوسري", "مدير خدمات المستفيدين"),
    ("committee", Role.COMMITTEE, "منى", "الحربي", "عضو لجنة البحث"),
    ("director", Role.DIRECTOR, "فهد", "المطيري", "المدير التنفيذي"),
    ("investigator", Role.INVESTIGATION, "ريم", "الزهراني", "عضو لجنة التحقيق"),
    ("chair", Role.BOARD_CHAIR, "سلطان", "العنزي", "رئيس مجلس الإدارة"),
    ("admin", Role.ADMIN, "مشرف", "النظام", "مسؤول النظام"),
]


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
