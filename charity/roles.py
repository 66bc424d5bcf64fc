"""The roles of the policy, as Django groups with permissions.

The groups are created by a migration (charity/migrations/0002_roles.py) and their
permissions are synchronised after every `migrate`, so that a permission added by a later
app's migration reaches its roles without a hand step. Code checks *permissions*, not group
names; a role is only a bundle of permissions and a home page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE = "intake_staff", _("Beneficiary-relations officer")
    RESEARCHER = "social_researcher", _("Social researcher")
    MANAGER = "services_manager", _("Beneficiary-services manager")
    # IN-4 (amass 002:77, kafl 003:47, banan 004:76): «مسئول البحث الاجتماعي», who explains an
    # unclear procedure to the applicant where the profile names him.
    RESEARCH_OFFICER = "research_officer", _("Social-research officer")
    COMMITTEE = "research_committee", _("Research committee")
    DIRECTOR = "executive_director", _("Executive director")
    INVESTIGATION = "investigation_committee", _("Investigation committee")
    BOARD_CHAIR = "board_chair", _("Chairman of the board")
    ADMIN = "admin", _("System administrator")


_STAFF = [
    "complaints.view_complaint",  # what they may see is decided per complaint (CP-8)
    "charity.view_stafftool",  # the documents the profile's text puts at hand for staff («Staff tools»)
    "complaints.enter_suggestion",  # DU-12: a view or suggestion received by phone or in person
    "charity.view_policyprofile",
    "charity.view_category",
    "charity.view_calendarexception",
]

# Role -> permissions ("app_label.codename"). "*" means every permission of the project and
# "-app_label.codename" takes one away again.
# Permissions that do not exist (yet) are skipped, so later apps extend this table.
_FILE_READ = ["beneficiaries.view_beneficiaryfile", "beneficiaries.view_document"]
_FILE_WORK = [*_FILE_READ, "beneficiaries.change_beneficiaryfile", "beneficiaries.add_document",
              "beneficiaries.record_change", "beneficiaries.refer_to_manager"]

_AID_FILE = ["aid.view_disbursement", "aid.add_disbursement",
             "aid.view_electroniccard", "aid.add_electroniccard",
             "aid.change_electroniccard", "aid.view_recommendation",
             "aid.add_recommendation", "aid.change_recommendation"]
_AID_READ = ["aid.view_disbursement", "aid.view_fund", "aid.view_cashdonation",
             "aid.view_inkinddonation", "aid.view_campaign",
             "aid.view_recommendation", "aid.view_electroniccard"]
_ELIGIBILITY_READ = ["eligibility.view_verificationitem", "eligibility.view_fieldvisit",
                     "eligibility.view_needsassessment", "eligibility.view_decision", "eligibility.view_exclusion",
                     "eligibility.view_certificate"]

# The family's delegate for «my file», registered at the desk (portal/staff_views.py).
_DELEGATES = ["portal.view_delegate", "portal.add_delegate", "portal.change_delegate"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INTAKE: [*_STAFF, *_FILE_WORK, "beneficiaries.register_file", "beneficiaries.add_declaration", *_DELEGATES],
    Role.RESEARCHER: [*_STAFF, *_FILE_WORK, *_ELIGIBILITY_READ, "eligibility.verify_eligibility", *_AID_FILE],
    Role.MANAGER: [*_STAFF, *_FILE_WORK, "beneficiaries.register_file", "beneficiaries.add_declaration", *_DELEGATES,
                   "beneficiaries.view_all_files", "beneficiaries.assign_researcher", "beneficiaries.answer_referral",
                   "beneficiaries.announce_annual_update", "beneficiaries.view_overdue_applications",
                   *_ELIGIBILITY_READ, "eligibility.verify_eligibility", "eligibility.decide_application",
                   "eligibility.apply_service_controls", "programmes.manage_programmes",
                   "satisfaction.view_results", "complaints.handle_suggestions", *_AID_FILE, *_AID_READ,
                   "aid.approve_aid",
                   "aid.manage_aid", "aid.change_disbursement"],
    # IN-4: answers the applicants' questions where the profile names him (the answer pages check
    # the profile too: beneficiaries.policy.explains_procedure), and sees the files whose question
    # was referred to his role, not every file (RT-6, RT-10).
    Role.RESEARCH_OFFICER: [*_STAFF, *_FILE_READ, "beneficiaries.answer_referral", "beneficiaries.view_referred_files"],
    Role.COMMITTEE: [*_STAFF, *_FILE_READ, "beneficiaries.view_files_under_study", *_ELIGIBILITY_READ,
                     "eligibility.vote_in_committee"],
    Role.DIRECTOR: [*_STAFF, *_FILE_READ, "charity.view_accesslog", "beneficiaries.view_all_files",
                    "beneficiaries.view_overdue_applications", *_ELIGIBILITY_READ,
                    "complaints.view_complaint", "complaints.view_all_complaints", "complaints.manage_complaints",
                    "complaints.enter_paper_complaint", "complaints.handle_suggestions", "satisfaction.view_results",
                    "privacy.handle_requests", "privacy.view_datasubjectrequest", "privacy.view_retentionlog",
                    *_AID_READ, "dashboard.view_dashboard"],
    Role.INVESTIGATION: [*_STAFF, "complaints.view_complaint", "complaints.view_referred_complaints",
                         "complaints.record_investigation"],
    # CP-6, CP-8: takes the complaints against the executive director (the profile's choice,
    # PolicyProfile.director_complaints_role); which complaints is decided per complaint.
    Role.BOARD_CHAIR: [*_STAFF],
    # Everything needed to run the system — but not the scopes that open every case record:
    # files and complaints stay with the people the policy names (RT-6, RT-10, CP-8).
    Role.ADMIN: ["*", "-beneficiaries.view_all_files", "-beneficiaries.view_files_under_study",
                 "-beneficiaries.view_referred_files",
                 "-complaints.view_all_complaints", "-complaints.view_referred_complaints",
                 "-complaints.handle_suggestions"],
}

# The roles a profile may name to take the complaints against the executive director (CP-8).
DIRECTOR_COMPLAINT_ROLES = [(Role.BOARD_CHAIR.value, Role.BOARD_CHAIR.label),
                            (Role.INVESTIGATION.value, Role.INVESTIGATION.label)]

# IN-4: the roles a profile may name to explain an unclear procedure to the applicant.
PROCEDURE_EXPLAINER_ROLES = [(Role.MANAGER.value, Role.MANAGER.label),
                             (Role.RESEARCH_OFFICER.value, Role.RESEARCH_OFFICER.label)]

# Roles whose members work in Django admin (is_staff).
ADMIN_SITE_ROLES = {Role.ADMIN}


def active_members(role: Role):
    """The active users who hold `role`, by name: every list to choose a researcher (or a
    director) from, and the check that someone holds the role."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(is_active=True, groups__name=role.value)
            .order_by("first_name", "last_name", "username"))


def user_roles(user) -> list[Role]:
    """Return the user's roles in the order of `Role`."""
    if not user.is_authenticated:
        return []
    names = {g.name for g in user.groups.all()}
    return [role for role in Role if role.value in names]


def sync_role_permissions(group_model=None, permission_model=None) -> None:
    """Create the role groups if missing and give each exactly the permissions of its table."""
    if group_model is None:
        from django.contrib.auth.models import Group as group_model  # noqa: N813
        from django.contrib.auth.models import Permission as permission_model  # noqa: N813

    all_perms = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role.value)
        ids = set(all_perms.values()) if "*" in wanted else {all_perms[n] for n in wanted if n in all_perms}
        ids -= {all_perms[n[1:]] for n in wanted if n.startswith("-") and n[1:] in all_perms}
        group.permissions.set(ids)


# What each role does, shown on its home page.
ROLE_DUTIES = {
    Role.INTAKE: _("Receive applicants, register their files and documents, record the declaration, "
                   "and give each applicant the receipt with who decides and by when."),
    Role.RESEARCHER: _("Study the files assigned to you, verify eligibility, visit homes and write "
                       "the needs assessment."),
    Role.MANAGER: _("Assign researchers, decide on applications and on requests to change researcher, "
                    "announce the annual update and follow overdue applications."),
    Role.RESEARCH_OFFICER: _("Explain the procedure to the applicants whose questions staff refer to you, "
                             "and answer them for the social researchers to pass on."),
    Role.COMMITTEE: _("Study applications brought to the committee and record the members' votes."),
    Role.DIRECTOR: _("Rule on complaints within the period, follow the association's figures and "
                     "refer malicious complaints to the investigation committee."),
    Role.INVESTIGATION: _("Examine the cases referred to the committee and record their outcome."),
    Role.BOARD_CHAIR: _("Examine and rule on the complaints against the executive director, within the period."),
    Role.ADMIN: _("Manage staff accounts, the policy profile, the calendar corrections and the system."),
}
