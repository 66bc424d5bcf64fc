"""Reads of the beneficiary file. `visible_to` is the one confidentiality scope (RT-6, RT-10):
every list, search, page, download and export goes through it."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ..arabic import normalize_arabic
from ..policy import OPEN_STATUSES, FileStatus
from ..validators import clean_national_id, normalize_mobile

_FILE_NUMBER = re.compile(r"^\d{4}-\d{1,6}$")


def _member_model(file_model):
    """Return Member through the file's relation: .file imports this module, not the reverse."""
    return file_model._meta.get_field("members").related_model


def _referral_model(file_model):
    """Return the IN-4 question model through the file's relation (as _member_model)."""
    return file_model._meta.get_field("referrals").related_model


class BeneficiaryFileQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BeneficiaryFileQuerySet":
        """RT-6, RT-10: the files `user` may see; anyone else gets 404.

        The manager and the executive director see every file; a researcher the files
        assigned to them; intake staff the files they registered until a researcher is
        assigned; the research committee the applications awaiting its decision; the
        social-research officer the files whose applicant's question was referred to his role (IN-4)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("beneficiaries.view_all_files"):
            return self
        scope = Q(researcher=user)
        if user.has_perm("beneficiaries.register_file"):
            scope |= Q(registered_by=user, researcher__isnull=True)
        if user.has_perm("beneficiaries.view_files_under_study"):
            scope |= Q(status=FileStatus.UNDER_STUDY)
        if user.has_perm("beneficiaries.view_referred_files"):
            roles = user.groups.values("name")
            scope |= Q(pk__in=_referral_model(self.model).objects.filter(referred_to__in=roles).values("file_id"))
        return self.filter(scope)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        """IN-5: applications still under study after their decision target."""
        return self.filter(status=FileStatus.UNDER_STUDY, decision_due_on__lt=today)

    def search(self, query: str) -> "BeneficiaryFileQuerySet":
        """Find files by file number, identity number (head or member), mobile or Arabic name."""
        query = (query or "").strip()
        if not query:
            return self
        digits = clean_national_id(query)
        if _FILE_NUMBER.match(digits):
            year, seq = digits.split("-")
            return self.filter(number=f"{year}-{int(seq):06d}")
        if re.fullmatch(r"[12]\d{9}", digits) or (re.fullmatch(r"[A-Za-z0-9]{6,12}", digits) and not digits.isdigit()):
            member_model = _member_model(self.model)
            # A UNION of two index scans: an OR with the member subquery makes PostgreSQL scan every file.
            heads = self.model.objects.filter(head_id_number=digits).order_by().values("pk")
            members = member_model.objects.filter(id_number=digits).order_by().values("file_id")
            return self.filter(pk__in=heads.union(members))
        if re.fullmatch(r"\+?[\d\s-]{9,15}", digits):
            try:
                phone = normalize_mobile(digits, international=True)
            except ValidationError:
                return self.none()
            return self.filter(Q(mobile=phone) | Q(mobile_alt=phone))
        tokens = []
        for token in normalize_arabic(query).split():
            # A two-letter token («آل») cannot use the trigram index: search it with its neighbour.
            if tokens and len(tokens[-1]) < 3:
                tokens[-1] = f"{tokens[-1]} {token}"
            else:
                tokens.append(token)
        if not tokens:
            return self.none()
        members = _member_model(self.model).objects.all()
        for token in tokens:
            members = members.filter(name_search__contains=token)
        return self.filter(pk__in=members.values("file_id"))


class MemberQuerySet(models.QuerySet):
    def current(self):
        """The household as it is: members who neither left nor died."""
        return self.filter(left_household_on__isnull=True, deceased_on__isnull=True)

    def in_other_open_files(self, id_number: str, exclude_file_id=None):
        """Members with this identity number in another open file (flagged to staff)."""
        qs = self.current().filter(id_number=id_number, file__status__in=OPEN_STATUSES)
        return qs.exclude(file_id=exclude_file_id) if exclude_file_id else qs


class IncomeSourceQuerySet(models.QuerySet):
    def current(self):
        """The household's monthly income as it is: the sources that have not ended."""
        return self.filter(ended_on__isnull=True)
