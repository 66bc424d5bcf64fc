"""SC-7, the death of the head of household: who takes the file (the wife; a child; another
dependant «تابع», with a guardian when a minor), or its closing; the household's relationships,
the new head's marital status and the file's categories then follow the new head. The table is
eligibility/policy.py (death_outcome)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, Document, Member
from beneficiaries.policy import FileStatus, Gender, MaritalStatus
from beneficiaries.policy import Relationship as Rel
from charity.links import absolute_reverse
from charity.messages import render_message
from charity.models import Category

from . import errors, policy
from .messages import DEATH_TRANSFER
from .models import DeathRecord
from .policy import DeathOutcome
from .services import notify_applicant

TRANSFER_REASON = "SC-7 death transfer"

# Categories that describe the head herself (BEN-1 codes by her marital status): they leave
# with the deceased and follow the new head's own status.
HEAD_CATEGORIES = {MaritalStatus.WIDOWED: "widow", MaritalStatus.DIVORCED: "divorced",
                   MaritalStatus.ABANDONED: "abandoned"}

# The member's relationship to the deceased head -> to the new head, by the new head's
# relationship to the deceased. A pair that cannot be told (a grandchild's parent, an in-law)
# reads «other relative»; (male, female) where it depends on the member's gender.
_SIBLINGS = (Rel.BROTHER, Rel.SISTER)
_CHILDREN = (Rel.SON, Rel.DAUGHTER)
RELABEL = {
    Rel.WIFE: {Rel.HEAD: (Rel.HUSBAND,) * 2, Rel.SON: (Rel.SON,) * 2, Rel.DAUGHTER: (Rel.DAUGHTER,) * 2,
             Rel.GRANDCHILD: (Rel.GRANDCHILD,) * 2},
    Rel.HUSBAND: {Rel.HEAD: (Rel.WIFE,) * 2, Rel.SON: (Rel.SON,) * 2, Rel.DAUGHTER: (Rel.DAUGHTER,) * 2,
                Rel.GRANDCHILD: (Rel.GRANDCHILD,) * 2},
    Rel.SON: {Rel.HEAD: (Rel.FATHER, Rel.MOTHER), Rel.HUSBAND: (Rel.FATHER,) * 2, Rel.WIFE: (Rel.MOTHER,) * 2,
            Rel.SON: _SIBLINGS, Rel.DAUGHTER: _SIBLINGS},
    Rel.BROTHER: {Rel.HEAD: _SIBLINGS, Rel.BROTHER: _SIBLINGS, Rel.SISTER: _SIBLINGS, Rel.FATHER: (Rel.FATHER,) * 2,
                Rel.MOTHER: (Rel.MOTHER,) * 2},
    Rel.FATHER: {Rel.HEAD: _CHILDREN, Rel.BROTHER: _CHILDREN, Rel.SISTER: _CHILDREN, Rel.MOTHER: (Rel.WIFE,) * 2,
               Rel.SON: (Rel.GRANDCHILD,) * 2, Rel.DAUGHTER: (Rel.GRANDCHILD,) * 2},
    Rel.MOTHER: {Rel.HEAD: _CHILDREN, Rel.BROTHER: _CHILDREN, Rel.SISTER: _CHILDREN, Rel.FATHER: (Rel.HUSBAND,) * 2,
               Rel.SON: (Rel.GRANDCHILD,) * 2, Rel.DAUGHTER: (Rel.GRANDCHILD,) * 2},
}
RELABEL[Rel.DAUGHTER], RELABEL[Rel.SISTER] = RELABEL[Rel.SON], RELABEL[Rel.BROTHER]


def relationship_to_new_head(*, relationship: str, gender: str, new_head_relationship: str) -> str:
    """The member's relationship once the file is in the new head's name (the deceased's too)."""
    pair = RELABEL.get(new_head_relationship, {}).get(relationship)
    if pair is None:
        return Rel.OTHER
    return pair[0] if gender == Gender.MALE else pair[1]


@dataclass(frozen=True)
class Household:
    """SC-7: the current head, wives, children and the other dependants (eldest first), the day
    ages are counted on, and what the head's death does."""

    head: Member | None
    wives: list[Member]
    children: list[Member]
    others: list[Member]
    today: dt.date

    def is_minor(self, member: Member) -> bool:
        return policy.is_minor(member.birth_date, self.today)

    @property
    def outcome(self) -> str | None:
        if self.head is None:
            return None
        return policy.death_outcome(
            deceased_gender=self.head.gender, has_wife=bool(self.wives),
            adult_children=sum(not self.is_minor(m) for m in self.children),
            minor_children=sum(self.is_minor(m) for m in self.children),
            adult_others=sum(not self.is_minor(m) for m in self.others),
            minor_others=sum(self.is_minor(m) for m in self.others))

    @property
    def candidates(self) -> list[Member]:
        """Who may be chosen as the new head: the children, else the other dependants; after a
        man without a wife, the adults among them only."""
        outcome = self.outcome
        pool = self.children if outcome == DeathOutcome.TO_CHILD else self.others
        if outcome not in (DeathOutcome.TO_CHILD, DeathOutcome.TO_DEPENDANT):
            return []
        if self.head.gender == Gender.MALE:
            return [m for m in pool if not self.is_minor(m)]
        return list(pool)

    @property
    def dependants(self) -> list[Member]:
        return [*self.wives, *self.children, *self.others]


def death_household(file: BeneficiaryFile, today: dt.date) -> Household:
    current = list(file.members.current().order_by("birth_date", "pk"))
    head = next((m for m in current if m.relationship == Rel.HEAD), None)
    return Household(head=head, wives=[m for m in current if m.relationship == Rel.WIFE],
                     children=[m for m in current if m.relationship in policy.DEATH_HEIRS_CHILDREN],
                     others=[m for m in current if m.relationship not in (Rel.HEAD, Rel.WIFE, *_CHILDREN)],
                     today=today)


def record_death(*, file: BeneficiaryFile, deceased: Member, died_on: dt.date, by, now: dt.datetime,
                 new_head: Member | None = None, proof_document: Document | None = None,
                 guardian_name: str = "", guardian_relationship: str = "",
                 guardian_id_number: str = "") -> DeathRecord:
    """SC-7: move the file to the wife, a chosen child or another chosen dependant (a minor with
    a guardian), keeping its number and history; with no dependant at all, close it. Where the
    rules name no one (a man without a wife, minors only), refuse: the manager decides."""
    today = timezone.localdate(now)
    if died_on > today:
        raise ValidationError(errors.DIED_IN_FUTURE, code="died_in_future")
    with transaction.atomic():
        locked = file_services.lock_file(file)
        if locked.status not in (FileStatus.ACTIVE, FileStatus.FROZEN):
            raise ValidationError(errors.NOT_OPEN_FILE, code="not_open_file")
        household = death_household(locked, today)
        if household.head is None or household.head.pk != deceased.pk:
            raise ValidationError(errors.NOT_THE_HEAD, code="not_the_head")
        deceased = household.head  # the one instance saved from here on (marked deceased, then relabelled)
        outcome = household.outcome
        guardian = {}
        if outcome == policy.DEATH_REFER:
            raise ValidationError(errors.DEATH_REFER_TO_MANAGER, code="refer_to_manager")
        if outcome == DeathOutcome.TO_WIFE:
            new_head = new_head if new_head in household.wives else household.wives[0]
        elif outcome in (DeathOutcome.TO_CHILD, DeathOutcome.TO_DEPENDANT):
            new_head = _chosen(household, outcome, new_head)
            guardian = _guardian(household, new_head, guardian_name, guardian_relationship, guardian_id_number)
        else:
            new_head = None
        reason = "SC-7 closed" if new_head is None else TRANSFER_REASON
        file_services.mark_member_left(member=deceased, on=died_on, deceased=True, reason=reason)
        if new_head is not None:
            _transfer(locked, household, new_head)
        else:
            file_services.change_status(file=locked, to=FileStatus.CLOSED, now=now, reason=reason)
        record = DeathRecord.objects.create(file=locked, deceased=deceased, died_on=died_on, outcome=outcome,
                                            new_head=new_head, proof_document=proof_document, recorded_by=by,
                                            recorded_at=now, **guardian)
        if new_head is not None:
            notify_applicant(file=locked, purpose=DEATH_TRANSFER, message=transfer_message(locked, record),
                             about=record)
    return record


def _chosen(household: Household, outcome: str, new_head: Member | None) -> Member:
    if new_head is None:
        code = "child_required" if outcome == DeathOutcome.TO_CHILD else "dependant_required"
        raise ValidationError(errors.CHILD_REQUIRED if outcome == DeathOutcome.TO_CHILD
                              else errors.DEPENDANT_REQUIRED, code=code)
    if new_head not in household.candidates:
        if outcome == DeathOutcome.TO_CHILD:
            raise ValidationError(errors.NOT_A_CHILD, code="not_a_child")
        raise ValidationError(errors.NOT_A_DEPENDANT, code="not_a_dependant")
    return new_head


def _guardian(household: Household, new_head: Member, name: str, relationship: str, id_number: str) -> dict:
    """A new head under policy.ADULT_AGE: the guardian's name, relationship and identity number."""
    if not household.is_minor(new_head):
        return {}
    guardian = {"guardian_name": name.strip(), "guardian_relationship": relationship.strip(),
                "guardian_id_number": id_number.strip()}
    if not all(guardian.values()):
        raise ValidationError(errors.GUARDIAN_REQUIRED, code="guardian_required")
    return guardian


def _transfer(file: BeneficiaryFile, household: Household, new_head: Member) -> None:
    """The household's relationships follow the new head (the deceased no longer reads «head»),
    a spouse who takes the file is now widowed, and the categories that described the deceased
    (widow, divorced, abandoned) give way to the new head's."""
    for member in [household.head, *household.dependants]:
        if member.pk == new_head.pk:
            continue
        label = relationship_to_new_head(relationship=member.relationship, gender=member.gender,
                                         new_head_relationship=new_head.relationship)
        if label != member.relationship:
            file_services.save_member(file=file, member=member, data={"relationship": label},
                                      reason=TRANSFER_REASON)
    data = {"relationship": Rel.HEAD}
    if new_head.relationship in (Rel.WIFE, Rel.HUSBAND):
        data["marital_status"] = MaritalStatus.WIDOWED
    _make_head(file, new_head, data)
    codes = set(file.categories.values_list("code", flat=True)) - set(HEAD_CATEGORIES.values())
    status = data.get("marital_status", new_head.marital_status)
    if new_head.gender == Gender.FEMALE and status in HEAD_CATEGORIES:
        codes.add(HEAD_CATEGORIES[status])
    file.categories.set(Category.objects.filter(code__in=codes))


def _make_head(file: BeneficiaryFile, member: Member, data: dict) -> None:
    """The member becomes head; save_member refuses one who already heads another open file
    (one open file per head), said here in SC-7's words."""
    try:
        file_services.save_member(file=file, member=member, data=data, reason=TRANSFER_REASON)
    except ValidationError as exc:
        other = file_services.other_open_file(member.id_number, exclude_pk=file.pk)
        if exc.code != "duplicate_open_file" or other is None:
            raise
        raise ValidationError(errors.NEW_HEAD_HAS_FILE % {"number": other.number}, code="new_head_has_file") from exc


def transfer_message(file: BeneficiaryFile, record: DeathRecord) -> str:
    """SC-7: the family is told the file is now in the new head's name, its number kept."""
    return render_message(DEATH_TRANSFER, {
        "file_number": file.number, "deceased": record.deceased.full_name, "new_head": record.new_head.full_name,
        "portal_link": absolute_reverse("portal:file", pk=file.pk)})
