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
    NavItem(_("Association policy"), "policy"),
    NavItem(_("Administration"), "admin:index", staff_site=True),
]


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if item.visible_to(user)]
