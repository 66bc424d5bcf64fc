"""The navigation: each role sees only what its permissions allow.

Each app adds its entries to NAV_ITEMS; an entry is shown when the user holds *any* of its
permissions (an empty tuple means every signed-in member of staff).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permissions: tuple[str, ...] = ()
    staff_site: bool = False  # shown only to users who may enter Django admin

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def visible_to(self, user) -> bool:
        if self.staff_site and not user.is_staff:
            return False
        return not self.permissions or any(user.has_perm(p) for p in self.permissions)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home"),
    NavItem(_("Beneficiary files"), "beneficiaries:file_list", ("beneficiaries.view_beneficiaryfile",)),
    NavItem(_("New application"), "beneficiaries:intake_start", ("beneficiaries.register_file",)),
    NavItem(_("Drafts"), "beneficiaries:intake_drafts", ("beneficiaries.register_file",)),
    NavItem(_("Overdue applications"), "beneficiaries:overdue", ("beneficiaries.view_overdue_applications",)),
    NavItem(_("Researcher requests"), "beneficiaries:researcher_requests", ("beneficiaries.assign_researcher",)),
    NavItem(_("Questions to the manager"), "beneficiaries:referrals", ("beneficiaries.answer_referral",)),
    NavItem(_("Annual update"), "beneficiaries:annual_updates", ("beneficiaries.announce_annual_update",)),
    NavItem(_("My field visits"), "eligibility:my_visits", ("eligibility.verify_eligibility",)),
    NavItem(_("Awaiting a decision"), "eligibility:awaiting_decision",
            ("eligibility.decide_application", "eligibility.vote_in_committee")),
    NavItem(_("Complaints"), "complaints:list", ("complaints.view_complaint",)),
    NavItem(_("Paper complaint"), "complaints:paper", ("complaints.enter_paper_complaint",)),
    NavItem(_("Programmes"), "beneficiaries:programme_list", ("beneficiaries.manage_programmes",)),
    NavItem(_("Satisfaction"), "satisfaction:results", ("satisfaction.view_results",)),
    NavItem(_("Data-subject requests"), "privacy:request_list", ("privacy.handle_requests",)),
    NavItem(_("Frozen files"), "eligibility:freezes", ("eligibility.view_exclusion",)),
    NavItem(_("Exclusions"), "eligibility:exclusions", ("eligibility.view_exclusion",)),
    NavItem(_("Association policy"), "policy"),
    NavItem(_("Administration"), "admin:index", staff_site=True),
]


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if item.visible_to(user)]
