"""Signing in: the code (6 digits, 5 minutes, hashed, 5 tries), the same answer for unknown
numbers, Arabic-Indic digits, resends and the limits per number and per address."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from beneficiaries.policy import Relationship
from charity.models import Notification
from portal import errors, policy, services
from portal.models import Delegate, SignInCode
from testdata import NOW, add_member, national_id

from .helpers import last_code

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"
UNKNOWN = national_id("1", seed=424242)


def ask(identity, now=NOW, address=ADDRESS):
    return services.request_code(identity=identity, address=address, now=now)


def check(pending, code, now=NOW, address=ADDRESS):
    return services.check_code(pending=pending, code=code, address=address, now=now)


def test_request_code_stores_a_hash_and_queues_an_sms_to_the_file_mobile(family):
    pending = ask(family.identity)
    row = SignInCode.objects.get(pk=pending["code"])
    sms = Notification.objects.get(purpose="portal-code")
    code = last_code()
    assert len(code) == 6 and code.isdigit()
    assert sms.channel == "sms" and sms.recipient == family.file.mobile and sms.redact_after_send
    assert code not in (row.code_hash, row.salt) and row.code_hash == policy.hash_code(code, row.salt)
    assert row.expires_at == NOW + dt.timedelta(minutes=5)
    assert (row.file, row.member) == (family.file, family.head)


def test_right_code_signs_in_once(family):
    pending = ask(family.identity)
    code = last_code()
    assert check(pending, code) == (family.file.pk, family.head.pk)
    assert SignInCode.objects.get().status == SignInCode.Status.USED
    with pytest.raises(services.SignInRefused):
        check(pending, code)


def test_wrong_code_counts_a_try_and_says_how_many_are_left(family):
    pending = ask(family.identity)
    wrong = "000000" if last_code() != "000000" else "111111"
    with pytest.raises(services.SignInRefused) as refused:
        check(pending, wrong)
    assert refused.value.message == errors.CODE_WRONG % {"left": 4}
    assert SignInCode.objects.get().tries == 1


def test_five_wrong_tries_void_the_code_even_for_the_right_one_after(family):
    pending = ask(family.identity)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(services.SignInRefused):
            check(pending, wrong)
    with pytest.raises(services.SignInRefused) as refused:
        check(pending, code)
    assert refused.value.message == errors.CODE_EXHAUSTED
    assert SignInCode.objects.get().status == SignInCode.Status.EXHAUSTED


def test_code_expires_after_five_minutes(family):
    pending = ask(family.identity)
    with pytest.raises(services.SignInRefused) as refused:
        check(pending, last_code(), now=NOW + dt.timedelta(minutes=5))
    assert refused.value.message == errors.CODE_EXPIRED


def test_unknown_number_gets_the_same_pending_sign_in_and_nothing_is_stored_or_sent(family):
    known, unknown = ask(family.identity), ask(UNKNOWN)
    assert set(known) == set(unknown) and unknown["code"] is None
    assert SignInCode.objects.count() == 1 and Notification.objects.filter(purpose="portal-code").count() == 1


def test_unknown_number_answers_like_a_wrong_code_then_like_a_void_one(family):
    known, unknown = ask(family.identity), ask(UNKNOWN)
    wrong = "000000" if last_code() != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(services.SignInRefused) as a:
            check(known, wrong)
        with pytest.raises(services.SignInRefused) as b:
            check(unknown, wrong)
        assert a.value.message == b.value.message == errors.CODE_WRONG % {"left": left}
    for pending in (known, unknown, known, unknown):
        with pytest.raises(services.SignInRefused) as refused:
            check(pending, wrong)
        assert refused.value.message == errors.CODE_EXHAUSTED


def test_identity_in_arabic_indic_digits_finds_the_head(family):
    arabic = family.identity.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    pending = ask(arabic)
    assert pending["code"] is not None
    code_in_arabic = last_code().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert check(pending, code_in_arabic) == (family.file.pk, family.head.pk)


def test_resend_waits_a_minute_then_replaces_the_code(family):
    pending = ask(family.identity)
    with pytest.raises(services.SignInRefused) as refused:
        services.resend_code(pending=pending, address=ADDRESS, now=NOW + dt.timedelta(seconds=30))
    assert refused.value.message == errors.RESEND_NOT_YET
    fresh = services.resend_code(pending=pending, address=ADDRESS, now=NOW + dt.timedelta(seconds=61))
    assert fresh["sends"] == 2 and fresh["code"] != pending["code"]
    assert SignInCode.objects.get(pk=pending["code"]).status == SignInCode.Status.REPLACED
    assert check(fresh, last_code(), now=NOW + dt.timedelta(seconds=62)) == (family.file.pk, family.head.pk)


def test_resends_stop_after_three_codes(family):
    pending = ask(family.identity)
    for n in (1, 2):
        pending = services.resend_code(pending=pending, address=ADDRESS, now=NOW + dt.timedelta(minutes=n))
    with pytest.raises(services.SignInRefused):
        services.resend_code(pending=pending, address=ADDRESS, now=NOW + dt.timedelta(minutes=10))


@pytest.mark.parametrize("who", ["known", "unknown"])
def test_codes_per_identity_are_limited_alike_for_known_and_unknown_numbers(family, who):
    identity = family.identity if who == "known" else UNKNOWN
    count = policy.SENDS_PER_ID[0]
    for n in range(count):
        ask(identity, address=f"198.51.100.{n}")
    with pytest.raises(services.RateLimited):
        ask(identity, address="198.51.100.200")
    assert SignInCode.objects.count() == (count if who == "known" else 0)


def test_wrong_codes_per_identity_are_limited_across_codes(family):
    limit = policy.WRONG_CODES_PER_ID[0]
    wrong, tried = "999999", 0
    while tried < limit:
        pending = ask(family.identity, address=f"198.51.100.{tried}")
        for _ in range(min(policy.MAX_CODE_TRIES, limit - tried)):
            if last_code() == wrong:
                wrong = "888888"
            with pytest.raises(services.SignInRefused):
                check(pending, wrong, address=f"198.51.100.{tried}")
            tried += 1
    pending = ask(family.identity, address="198.51.100.250")
    with pytest.raises(services.RateLimited):
        check(pending, last_code(), address="198.51.100.250")


def test_requests_per_address_are_limited(family):
    for n in range(policy.REQUESTS_PER_ADDRESS[0]):
        ask(national_id("2", seed=n))
    with pytest.raises(services.RateLimited):
        ask(family.identity)
    assert SignInCode.objects.count() == 0


def test_delegate_signs_in_to_the_family_file_until_the_delegation_ends(family, staff):
    son = add_member(family.file, birth_date=dt.date(2000, 1, 1))
    delegate = services.designate_delegate(file=family.file, member=son, by=staff["manager"],
                                           reason="الأم مريضة", now=NOW)
    pending = ask(son.id_number)
    assert check(pending, last_code()) == (family.file.pk, son.pk)
    services.end_delegate(delegate=delegate, by=staff["manager"], reason="تعافت الأم", now=NOW)
    assert ask(son.id_number)["code"] is None
    assert not services.may_act_for(family.file.pk, son.pk)
    assert Delegate.objects.get().history.count() == 2  # registered, then ended: kept, never deleted


def test_designate_delegate_refuses_the_head_and_a_second_delegate(family, staff):
    with pytest.raises(ValidationError):
        services.designate_delegate(file=family.file, member=family.head, by=staff["manager"], reason="x", now=NOW)
    first, second = add_member(family.file), add_member(family.file)
    services.designate_delegate(file=family.file, member=first, by=staff["manager"], reason="x", now=NOW)
    with pytest.raises(ValidationError):
        services.designate_delegate(file=family.file, member=second, by=staff["manager"], reason="x", now=NOW)
    assert family.head.relationship == Relationship.HEAD
