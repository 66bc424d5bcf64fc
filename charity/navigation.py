"""The navigation: each role sees only what its permissions allow.

Each app adds its entries to NAV_ITEMS; an entry is shown when the user holds *any* of its
permissions (an empty tuple means every signed-in member of staff).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

FILES, STUDY, SERVICES, COMPLAINTS, SYSTEM = (_("Files"), _("Eligibility"), _("Aid and programmes"),
                                              _("Complaints"), _("Administration"))


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permissions: tuple[str, ...] = ()
    staff_site: bool = False  # shown only to users who may enter Django admin
    section: str | None = None  # items of one section share a drop-down menu
    # The dotted path of a predicate `(user) -> bool` the page itself applies (its 404), when a
    # permission alone does not say whether the user may open it.
    check: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def visible_to(self, user) -> bool:
        if self.staff_site and not user.is_staff:
            return False
        if self.permissions and not any(user.has_perm(p) for p in self.permissions):
            return False
        return not self.check or import_string(self.check)(user)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home"),
    NavItem(_("Dashboard"), "dashboard:index", ("dashboard.view_dashboard",)),
    NavItem(_("Beneficiary files"), "beneficiaries:file_list", ("beneficiaries.view_beneficiaryfile",), section=FILES),
    NavItem(_("New application"), "beneficiaries:intake_start", ("beneficiaries.register_file",), section=FILES),
    NavItem(_("Drafts"), "beneficiaries:intake_drafts", ("beneficiaries.register_file",), section=FILES),
    NavItem(_("Overdue applications"), "beneficiaries:overdue", ("beneficiaries.view_overdue_applications",),
            section=FILES),
    NavItem(_("Researcher requests"), "beneficiaries:researcher_requests", ("beneficiaries.assign_researcher",),
            section=FILES),
    # IN-4: only for the role the profile names to explain (the manager or the social-research officer).
    NavItem(_("Applicants' questions"), "beneficiaries:referrals", ("beneficiaries.answer_referral",),
            section=FILES, check="beneficiaries.policy.may_answer_questions"),
    NavItem(_("Annual update"), "beneficiaries:annual_updates", ("beneficiaries.announce_annual_update",),
            section=FILES),
    NavItem(_("My field visits"), "eligibility:my_visits", ("eligibility.verify_eligibility",), section=STUDY),
    NavItem(_("Field visits"), "eligibility:visits", ("eligibility.view_fieldvisit",), section=STUDY),
    NavItem(_("Awaiting a decision"), "eligibility:awaiting_decision",
            ("eligibility.decide_application", "eligibility.vote_in_committee"), section=STUDY),
    NavItem(_("Frozen files"), "eligibility:freezes", ("eligibility.view_exclusion",), section=STUDY),
    NavItem(_("Exclusions"), "eligibility:exclusions", ("eligibility.view_exclusion",), section=STUDY),
    NavItem(_("Aid disbursements"), "aid:aid_disbursements",
            ("aid.approve_aid", "aid.change_disbursement"), section=SERVICES),
    NavItem(_("Funds"), "aid:aid_funds", ("aid.view_fund",), section=SERVICES),
    NavItem(_("Donated goods"), "aid:aid_in_kind", ("aid.view_inkinddonation",),
            section=SERVICES),
    NavItem(_("Campaigns"), "aid:aid_campaigns", ("aid.view_campaign",), section=SERVICES),
    NavItem(_("Families too proud to ask"), "aid:aid_recommendations",
            ("aid.view_recommendation",), section=SERVICES),
    NavItem(_("Equality report"), "aid:aid_equality", ("beneficiaries.view_all_files",),
            section=SERVICES),
    NavItem(_("Programmes"), "programmes:programme_list", ("programmes.manage_programmes",),
            section=SERVICES),
    NavItem(_("Satisfaction"), "satisfaction:results", ("satisfaction.view_results",), section=SERVICES),
    NavItem(_("Complaints"), "complaints:list", ("complaints.view_complaint",), section=COMPLAINTS,
            check="complaints.access.may_list"),
    NavItem(_("Paper complaint"), "complaints:paper", ("complaints.enter_paper_complaint",), section=COMPLAINTS),
    NavItem(_("Views and suggestions"), "complaints:suggestion_list", ("complaints.handle_suggestions",),
            section=COMPLAINTS),
    NavItem(_("Enter a view or suggestion"), "complaints:suggestion_new", ("complaints.enter_suggestion",),
            section=COMPLAINTS),
    NavItem(_("Data-subject requests"), "privacy:request_list", ("privacy.handle_requests",), section=SYSTEM),
    NavItem(_("Association policy"), "policy", section=SYSTEM),
    NavItem(_("Django admin"), "admin:index", staff_site=True, section=SYSTEM),
]


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if item.visible_to(user)]


def groups_for(user) -> list[tuple[str | None, list[NavItem]]]:
    """The visible items in menu order: a section with one item becomes a plain link."""
    groups: list[tuple[str | None, list[NavItem]]] = []
    for item in items_for(user):
        if item.section is not None and groups and groups[-1][0] == item.section:
            groups[-1][1].append(item)
        else:
            groups.append((item.section, [item]))
    return groups
