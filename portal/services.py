"""Signing in to «my file» and registering the family's delegate.

The sign-in answers alike whether or not the identity number belongs to a file: the same page,
the same message, and comparable work (a code is drawn and hashed either way; only a real
person's code is stored and sent). What a sign-in waits for lives in the caller's session as a
plain dict (`pending`); these functions read and update it and never see a request. Limits per
identity number and per client address are counted in the cache (charity/ratelimit.py).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from beneficiaries.models import BeneficiaryFile, Member
from beneficiaries.policy import OPEN_STATUSES, Relationship
from charity import ratelimit
from charity.notifications import queue_notification, secret_slot

from . import errors, policy
from .models import Delegate, SignInCode


class SignInRefused(Exception):  # noqa: N818 - a refusal the user reads, not a program error
    """The sign-in cannot go on; `message` says why, in words that reveal nothing."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class RateLimited(SignInRefused):
    def __init__(self, retry_at: float):
        when = dt.datetime.fromtimestamp(retry_at, tz=timezone.get_current_timezone())
        super().__init__(errors.RATE_LIMITED % {"time": f"{when:%H:%M}"})
        self.retry_at = retry_at


# --- Who may sign in ------------------------------------------------------------------------


def find_person(identity: str) -> tuple[int, int] | None:
    """Return (file id, member id) of the head of household or current delegate holding this
    identity number — the open file first, else the latest — or None."""
    heads = (Member.objects.current().filter(id_number=identity, relationship=Relationship.HEAD)
             .select_related("file").order_by("-file__created_at"))
    chosen = sorted(heads, key=lambda m: m.file.status not in OPEN_STATUSES)
    if chosen:
        return chosen[0].file_id, chosen[0].pk
    delegate = (Delegate.objects.current().filter(member__id_number=identity)
                .filter(member__left_household_on__isnull=True, member__deceased_on__isnull=True)
                .order_by("-designated_at").first())
    return (delegate.file_id, delegate.member_id) if delegate else None


def may_act_for(file_id: int, member_id: int) -> bool:
    """Whether the member is still the file's current head or current delegate."""
    member = Member.objects.current().filter(pk=member_id, file_id=file_id).first()
    if member is None:
        return False
    return member.relationship == Relationship.HEAD or Delegate.objects.current().filter(
        file_id=file_id, member_id=member_id).exists()


def actor_label(member_id: int) -> str:
    """Who is acting in «my file», as the access log records it (in Arabic, as the admin reads it):
    the head of household or the family's delegate, by name."""
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        return ""
    with translation.override("ar"):
        role = errors.ACTOR_HEAD if member.relationship == Relationship.HEAD else errors.ACTOR_DELEGATE
        return str(errors.ACTOR % {"role": role, "name": member.full_name})


def designate_delegate(*, file: BeneficiaryFile, member: Member, by, reason: str, now: dt.datetime) -> Delegate:
    """Register a household member as the family's delegate for «my file» (one at a time)."""
    if not reason.strip():
        raise ValidationError(errors.REASON_REQUIRED, code="reason_required")
    if member.file_id != file.pk or not member.is_current:
        raise ValidationError(errors.NO_SUCH_PERSON, code="no_such_person")
    if member.relationship == Relationship.HEAD:
        raise ValidationError(errors.DELEGATE_IS_HEAD, code="delegate_is_head")
    with transaction.atomic():
        BeneficiaryFile.objects.select_for_update().get(pk=file.pk)
        if Delegate.objects.current().filter(file=file).exists():
            raise ValidationError(errors.DELEGATE_EXISTS, code="delegate_exists")
        return Delegate.objects.create(file=file, member=member, reason=reason.strip(), designated_by=by,
                                       designated_at=now)


def end_delegate(*, delegate: Delegate, by, reason: str, now: dt.datetime) -> Delegate:
    """End a delegation; the row stays, with who ended it and why."""
    if not reason.strip():
        raise ValidationError(errors.REASON_REQUIRED, code="reason_required")
    with transaction.atomic():
        row = Delegate.objects.select_for_update().filter(pk=delegate.pk, ended_at__isnull=True).first()
        if row is None:
            return delegate
        row.ended_at, row.ended_by, row.end_reason = now, by, reason.strip()
        row.save(update_fields=["ended_at", "ended_by", "end_reason"])
        return row


# --- The one-time code ----------------------------------------------------------------------


def _stamp(now: dt.datetime) -> float:
    return now.timestamp()


def _count(namespace: str, value: str, limit: tuple[int, int], now: dt.datetime) -> None:
    retry_at = ratelimit.hit(ratelimit.key(namespace, value), limit, _stamp(now))
    if retry_at:
        raise RateLimited(retry_at)


def _refuse_if_reached(namespace: str, value: str, limit: tuple[int, int], now: dt.datetime) -> None:
    retry_at = ratelimit.reached(ratelimit.key(namespace, value), limit, _stamp(now))
    if retry_at:
        raise RateLimited(retry_at)


def _new_code() -> tuple[str, str, str]:
    code = f"{secrets.randbelow(10 ** policy.CODE_DIGITS):0{policy.CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    return code, salt, policy.hash_code(code, salt)


def _issue(*, identity: str, person: tuple[int, int] | None, now: dt.datetime) -> dict:
    """Draw a code; for a real person store its hash and queue the SMS. Return the pending sign-in."""
    _refuse_if_reached("portal-send", identity, policy.SENDS_PER_ID, now)
    code, salt, digest = _new_code()
    code_id = None
    if person is not None and may_act_for(*person):
        file = BeneficiaryFile.objects.get(pk=person[0])
        with transaction.atomic():
            SignInCode.objects.filter(file=file, member_id=person[1], status=SignInCode.Status.PENDING).update(
                status=SignInCode.Status.REPLACED)
            row = SignInCode.objects.create(file=file, member_id=person[1], salt=salt, code_hash=digest,
                                            issued_at=now, expires_at=now + policy.CODE_TTL)
            with translation.override("ar"):
                body = str(errors.SMS_CODE % {"code": secret_slot("code")})
            queue_notification(channel="sms", recipient=file.mobile, body=body, about=row, purpose="portal-code",
                               redact_after_send=True, secrets={"code": code})
        code_id = row.pk
    ratelimit.hit(ratelimit.key("portal-send", identity), policy.SENDS_PER_ID, _stamp(now))
    return {"identity": identity, "person": list(person) if person else None, "code": code_id,
            "issued": _stamp(now), "tries": 0, "sends": 1}


def identity_key(identity: str) -> str:
    """What the pending sign-in keeps of the identity number: a keyed hash, never the number."""
    return ratelimit.key("portal-identity", identity)


def request_code(*, identity: str, address: str | None, now: dt.datetime) -> dict:
    """Start a sign-in: send a code to the mobile on the file if the number is a head's or a
    delegate's. The result is the same either way; refuse only when a limit is reached."""
    _count("portal-address", address or "", policy.REQUESTS_PER_ADDRESS, now)
    identity = policy.normalize_identity(identity)
    return _issue(identity=identity_key(identity), person=find_person(identity), now=now)


def resend_code(*, pending: dict, address: str | None, now: dt.datetime) -> dict:
    """A new code for the same sign-in, a minute after the last and at most three in all."""
    _count("portal-address", address or "", policy.REQUESTS_PER_ADDRESS, now)
    issued = dt.datetime.fromtimestamp(pending["issued"], tz=dt.UTC)
    if not policy.may_resend(issued_at=issued, sends=pending["sends"], now=now):
        raise SignInRefused(errors.RESEND_NOT_YET)
    person = tuple(pending["person"]) if pending.get("person") else None
    fresh = _issue(identity=pending["identity"], person=person, now=now)
    fresh["sends"] = pending["sends"] + 1
    return fresh


def _check_stored(pending: dict, code: str, now: dt.datetime) -> tuple[int, int] | None:
    """Compare with the stored code (counting a wrong try on it); without one, hash alike and fail."""
    if pending.get("code") is None:
        policy.code_matches(code, secrets.token_hex(8), "")  # the same work as for a real code
        pending["tries"] += 1
        return None
    with transaction.atomic():
        row = SignInCode.objects.select_for_update().get(pk=pending["code"])
        usable = row.status == SignInCode.Status.PENDING and now < row.expires_at
        if usable and policy.code_matches(code, row.salt, row.code_hash):
            row.status, row.used_at = SignInCode.Status.USED, now
            row.save(update_fields=["status", "used_at"])
            return row.file_id, row.member_id
        if row.status == SignInCode.Status.PENDING:
            row.tries += 1
            if row.tries >= policy.MAX_CODE_TRIES:
                row.status = SignInCode.Status.EXHAUSTED
            row.save(update_fields=["tries", "status"])
        pending["tries"] = max(pending["tries"] + 1, row.tries)
    return None


def check_code(*, pending: dict, code: str, address: str | None, now: dt.datetime) -> tuple[int, int]:
    """Return (file id, member id) when the code is right; else raise SignInRefused saying
    whether it is wrong (with the tries left), expired or void — never whether the number exists."""
    _count("portal-address", address or "", policy.REQUESTS_PER_ADDRESS, now)
    _refuse_if_reached("portal-wrong-code", pending["identity"], policy.WRONG_CODES_PER_ID, now)
    if pending["tries"] >= policy.MAX_CODE_TRIES:
        raise SignInRefused(errors.CODE_EXHAUSTED)
    if policy.code_expired(dt.datetime.fromtimestamp(pending["issued"], tz=dt.UTC), now):
        raise SignInRefused(errors.CODE_EXPIRED)
    person = _check_stored(pending, policy.normalize_code(code), now)
    if person is not None and may_act_for(*person):
        return person
    ratelimit.hit(ratelimit.key("portal-wrong-code", pending["identity"]), policy.WRONG_CODES_PER_ID, _stamp(now))
    left = policy.tries_left(pending["tries"])
    raise SignInRefused(errors.CODE_WRONG % {"left": left} if left else errors.CODE_EXHAUSTED)
