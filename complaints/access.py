"""Who may open the staff pages of complaints beyond one complaint's own scope (CP-8)."""

from .models import Complaint
from .policy import director_complaints_role

# CP-8: the complaints list opens (and shows in the menu) for those whose work is complaints —
# the executive director, the investigation committee — and for a member of staff while a
# complaint is in their hands; anyone else (intake staff, say) gets 404, as for a complaint.
LIST_PERMISSIONS = ("complaints.view_all_complaints", "complaints.view_referred_complaints")


def may_list(user) -> bool:
    if any(user.has_perm(p) for p in LIST_PERMISSIONS):
        return True
    if user.groups.filter(name=director_complaints_role()).exists():  # complaints against the director
        return True
    return Complaint.objects.visible_to(user).exists()
