"""Seed the bench database at scale: 100,000 files and 300,000 household members.

Deterministic (one seeded random generator), fast (bulk_create in batches, one transaction)
and idempotent (skipped when the bench's files are already there).
"""

import datetime as dt
import random
import time
from itertools import islice

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from beneficiaries.arabic import normalize_arabic
from beneficiaries.models import BeneficiaryFile, FileNumberSequence, Member
from beneficiaries.policy import FileStatus, Gender, HousingType, IdType, MaritalStatus, Relationship
from beneficiaries.validators import luhn_valid
from charity.models import PolicyProfile, User
from charity.roles import Role

N_FILES = 100_000
HOUSEHOLD_SIZES = [1, 2, 3, 4, 5]  # cycled, then shuffled: exactly 3 members per file on average
N_RESEARCHERS = 20
BATCH = 5_000
TODAY = dt.date(2026, 11, 24)

FEMALE = ["فاطمة", "عائشة", "نورة", "مريم", "سارة", "هيا", "لطيفة", "منيرة", "أمل", "هند", "ريم", "خديجة",
          "أسماء", "حصة", "الجوهرة", "شيخة", "أروى", "رقية", "آمنة", "زينب", "سلمى", "بشرى", "غادة", "دلال",
          "نوف", "العنود", "لمياء", "وفاء", "جميلة", "حليمة", "إيمان", "رحمة", "سمية", "فوزية", "نجلاء", "عبير"]
MALE = ["محمد", "أحمد", "عبدالله", "عبدالرحمن", "خالد", "سعد", "فهد", "سلطان", "فيصل", "تركي", "ناصر", "سعود",
        "إبراهيم", "علي", "عمر", "يوسف", "حمد", "ماجد", "بندر", "مشعل", "عبدالعزيز", "صالح", "سليمان", "منصور",
        "إسماعيل", "حسن", "حسين", "طلال", "نايف", "بدر", "راشد", "عادل", "أسامة", "زياد", "وليد", "ياسر"]
FAMILY = ["القحطاني", "العتيبي", "الشمري", "الدوسري", "الغامدي", "الزهراني", "المطيري", "الحربي", "العنزي",
          "السبيعي", "الشهري", "العمري", "الأحمدي", "البقمي", "الرشيدي", "السهلي", "الخالدي", "الجهني",
          "المالكي", "الثبيتي", "العسيري", "القرني", "البلوي", "الشهراني", "الهاجري", "المري", "اليامي",
          "آل سعود", "آل الشيخ", "الفيفي", "الحارثي", "الصاعدي", "المحمادي", "الرويلي", "الظفيري", "الفهيد",
          "البيشي", "النفيعي", "العصيمي", "الزهيري", "الخثعمي", "السلمي", "الشريف", "الهذلي", "المزيني",
          "الدعجاني", "المطرفي", "العوفي", "الرحيلي", "الأسمري", "الشلوي", "القرشي", "الحازمي", "المنصوري"]

# A fraction of statuses resembling a working association's files.
STATUS_WEIGHTS = [(FileStatus.ACTIVE, 55), (FileStatus.UNDER_STUDY, 10), (FileStatus.APPLICANT, 5),
                  (FileStatus.FROZEN, 5), (FileStatus.REJECTED, 10), (FileStatus.EXCLUDED, 8), (FileStatus.CLOSED, 7)]
WITH_RESEARCHER = {FileStatus.ACTIVE, FileStatus.FROZEN, FileStatus.EXCLUDED, FileStatus.CLOSED}


def national_id(index: int) -> str:
    """Return the `index`-th valid identity number (Luhn, as beneficiaries.validators checks)."""
    body = f"1{index:08d}"
    total = 0
    for position, char in enumerate(body):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    number = body + str(-total % 10)
    assert luhn_valid(number), number
    return number


def bench_users():
    """The bench's staff: a manager (who measures), an intake officer and researchers."""
    def user(username, role, **fields):
        account, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            account.set_unusable_password()
            account.save()
            account.groups.add(Group.objects.get(name=role.value))
        return account

    manager = user("bench-manager", Role.MANAGER, first_name="مدير", last_name="القياس")
    intake = user("bench-intake", Role.INTAKE, first_name="موظف", last_name="الاستقبال")
    researchers = [user(f"bench-researcher-{n:02d}", Role.RESEARCHER, first_name=random.Random(n).choice(FEMALE),
                        last_name=FAMILY[n], job_title="باحث اجتماعي", phone=f"01140000{n:02d}")
                   for n in range(1, N_RESEARCHERS + 1)]
    return manager, intake, researchers


def is_seeded(intake) -> bool:
    return BeneficiaryFile.objects.filter(registered_by=intake).count() >= N_FILES


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _file(i, rng, status, head, intake, researchers, now):
    year = 1445 + i % 4
    file = BeneficiaryFile(
        number=f"{year}-{i // 4 + 1:06d}", status=status, head_id_type=IdType.NATIONAL_ID,
        head_id_number=head.id_number, head_name=head.full_name, head_name_search=head.name_search,
        mobile=f"+96655{i:07d}", city="الرياض", district="النسيم", street="شارع الأمير", building_number="1234",
        postal_code="12345", housing_type=rng.choice(list(HousingType)), channel="office", registered_by=intake,
        researcher=rng.choice(researchers) if status in WITH_RESEARCHER else None, status_changed_at=now,
    )
    if status != FileStatus.APPLICANT:
        submitted = TODAY - dt.timedelta(days=rng.randint(0, 700) if status != FileStatus.UNDER_STUDY
                                         else rng.randint(0, 40))
        file.submitted_at = timezone.make_aware(dt.datetime.combine(submitted, dt.time(10)))
        file.decision_due_on = submitted + dt.timedelta(days=14)
    return file


def _person(rng, person_index, relationship, gender, family_name, father_name, birth_year):
    first = rng.choice(FEMALE if gender == Gender.FEMALE else MALE)
    marital = MaritalStatus.MARRIED if relationship == Relationship.HEAD else MaritalStatus.SINGLE
    member = Member(
        relationship=relationship, first_name=first, father_name=father_name,
        grandfather_name=rng.choice(MALE), family_name=family_name, id_type=IdType.NATIONAL_ID,
        id_number=national_id(person_index), birth_date=dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
        gender=gender, marital_status=marital,
    )
    member.name_search = normalize_arabic(member.full_name)
    return member


def _household(rng, size, first_person):
    """Return the head and the dependants of one household (members not yet tied to a file)."""
    family = rng.choice(FAMILY)
    gender = rng.choice([Gender.FEMALE, Gender.MALE])
    head = _person(rng, first_person, Relationship.HEAD, gender, family, rng.choice(MALE), rng.randint(1950, 1995))
    children_father = head.first_name if gender == Gender.MALE else rng.choice(MALE)
    others = []
    for n in range(1, size):
        child_gender = rng.choice([Gender.FEMALE, Gender.MALE])
        relation = Relationship.DAUGHTER if child_gender == Gender.FEMALE else Relationship.SON
        others.append(_person(rng, first_person + n, relation, child_gender, family, children_father,
                              rng.randint(1996, 2024)))
    return head, others


def seed(out=print) -> dict:
    """Create the files, members and category links unless they exist; return the bench users."""
    manager, intake, researchers = bench_users()
    if is_seeded(intake):
        out(f"Seed: already there ({N_FILES:,} files); skipped.")
        return {"manager": manager}
    started = time.perf_counter()
    rng = random.Random(2026)
    categories = list(PolicyProfile.objects.active().categories.values_list("pk", flat=True))
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    sizes = [HOUSEHOLD_SIZES[i % len(HOUSEHOLD_SIZES)] for i in range(N_FILES)]
    rng.shuffle(sizes)
    now = timezone.now()
    Link = BeneficiaryFile.categories.through  # noqa: N806
    with transaction.atomic():
        person = 0
        for chunk in _batches(range(N_FILES), BATCH):
            files, households = [], []
            for i in chunk:
                head, others = _household(rng, sizes[i], person)
                person += sizes[i]
                status = rng.choices(statuses, weights)[0]
                files.append(_file(i, rng, status, head, intake, researchers, now))
                households.append([head, *others])
            BeneficiaryFile.objects.bulk_create(files)
            members = []
            for file, household in zip(files, households, strict=True):
                for member in household:
                    member.file_id = file.pk
                    members.append(member)
            Member.objects.bulk_create(members)
            Link.objects.bulk_create([Link(beneficiaryfile_id=f.pk, category_id=rng.choice(categories))
                                      for f in files])
            out(f"  {chunk[-1] + 1:>7,} files, {person:>7,} members")
        _spread_creation_dates(intake)
        _advance_number_sequences()
    with connection.cursor() as cursor:
        # Outside the transaction: set hint bits and the visibility map, as in a database in use.
        cursor.execute("VACUUM (ANALYZE)")
    out(f"Seed: {N_FILES:,} files and {person:,} members in {time.perf_counter() - started:.0f} s.")
    return {"manager": manager}


def _spread_creation_dates(intake) -> None:
    """created_at is auto_now_add: spread it over the last years so the list has an order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE beneficiaries_beneficiaryfile SET created_at = now() - "
            "((SELECT max(id) FROM beneficiaries_beneficiaryfile) - id) * interval '10 minutes' "
            "WHERE registered_by_id = %s", [intake.pk])


def _advance_number_sequences() -> None:
    """Keep the file-number sequences ahead of the seeded numbers."""
    last = -(-N_FILES // 4)
    for year in range(1445, 1449):
        sequence, _created = FileNumberSequence.objects.get_or_create(year=year)
        if sequence.last < last:
            sequence.last = last
            sequence.save(update_fields=["last"])
