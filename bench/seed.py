"""Seed the bench database at scale: BENCH_FILES files (100,000 unless set) and three household
members per file, then their activity (bench/seed_activity.py), with PostgreSQL COPY.

Deterministic (seeded random generators), fast (rows streamed by COPY, indexes and foreign keys
made once at the end, one transaction) and idempotent (skipped when the files are there).
"""

import datetime as dt
import random
import time

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from beneficiaries.arabic import normalize_arabic
from beneficiaries.models import BeneficiaryFile, FileNumberSequence, Member
from beneficiaries.policy import FileStatus, Gender, HousingType, IdType, MaritalStatus, Relationship
from charity.models import PolicyProfile, User
from charity.roles import Role

from . import seed_activity
from .copying import Deferred, Table, next_id, reset_sequences
from .environment import BENCH_FILES
from .identity import national_id

N_FILES = BENCH_FILES
HOUSEHOLD_SIZES = [1, 2, 3, 4, 5]  # cycled, then shuffled: exactly 3 members per file on average
N_RESEARCHERS = 20
PROGRESS = 100_000  # files between progress lines
CHUNK = 10_000  # files generated and copied at a time
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


def bench_director():
    """The bench's executive director, with the dashboard permission (as bench/dashboard.py's)."""
    from django.contrib.auth.models import Permission

    director, created = User.objects.get_or_create(username="bench-director",
                                                   defaults={"first_name": "المدير", "last_name": "التنفيذي"})
    if created:
        director.set_unusable_password()
        director.save()
        director.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    permission = Permission.objects.get(codename="view_dashboard", content_type__app_label="dashboard")
    director.user_permissions.add(permission)
    return director


def is_seeded(intake) -> bool:
    """Whether the files are there; a database seeded at another size is refused."""
    count = BeneficiaryFile.objects.filter(registered_by=intake).count()
    if count and not N_FILES <= count <= N_FILES * 1.1:  # the bench's own runs add a few files
        raise SystemExit(f"This database holds {count:,} bench files, not BENCH_FILES={N_FILES:,}: "
                         f"use the database of that size (bench/environment.py names one per size).")
    return count >= N_FILES


_NORMALIZED: dict[str, str] = {}


def _search(*words: str) -> str:
    """normalize_arabic of the joined words, one word at a time (the names repeat: cache them)."""
    out = []
    for word in words:
        if word not in _NORMALIZED:
            _NORMALIZED[word] = normalize_arabic(word)
        out.append(_NORMALIZED[word])
    return " ".join(out)


def _person(rng, person_index, relationship, gender, family, father, birth_year, file_id):
    """One member row: (id, file, relationship, names, name_search, identity, birth date, ...)."""
    first = rng.choice(FEMALE if gender == Gender.FEMALE else MALE)
    grandfather = rng.choice(MALE)
    marital = MaritalStatus.MARRIED if relationship == Relationship.HEAD else MaritalStatus.SINGLE
    return (None, file_id, relationship.value, first, father, grandfather, family,
            _search(first, father, grandfather, family), IdType.NATIONAL_ID.value, national_id(person_index),
            dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28)), gender.value, marital.value)


MEMBER_FIELDS = ["id", "file_id", "relationship", "first_name", "father_name", "grandfather_name", "family_name",
                 "name_search", "id_type", "id_number", "birth_date", "gender", "marital_status"]
FILE_FIELDS = ["id", "number", "status", "head_id_type", "head_id_number", "head_name", "head_name_search",
               "mobile", "city", "district", "street", "building_number", "postal_code", "housing_type", "channel",
               "registered_by_id", "researcher_id", "status_changed_at", "submitted_at", "decision_due_on",
               "created_at"]


def _household(rng, size, first_person, file_id):
    """Return the member rows of one household, the head first."""
    family = rng.choice(FAMILY)
    gender = rng.choice([Gender.FEMALE, Gender.MALE])
    head = _person(rng, first_person, Relationship.HEAD, gender, family, rng.choice(MALE),
                   rng.randint(1950, 1995), file_id)
    children_father = head[3] if gender == Gender.MALE else rng.choice(MALE)
    members = [head]
    for n in range(1, size):
        child_gender = rng.choice([Gender.FEMALE, Gender.MALE])
        relation = Relationship.DAUGHTER if child_gender == Gender.FEMALE else Relationship.SON
        members.append(_person(rng, first_person + n, relation, child_gender, family, children_father,
                               rng.randint(1996, 2024), file_id))
    return members


def _file_row(i, file_id, rng, status, head, intake, researchers, now, created_at):
    submitted, due = None, None
    if status != FileStatus.APPLICANT:
        day = TODAY - dt.timedelta(days=rng.randint(0, 700) if status != FileStatus.UNDER_STUDY
                                   else rng.randint(0, 40))
        submitted, due = timezone.make_aware(dt.datetime.combine(day, dt.time(10))), day + dt.timedelta(days=14)
    researcher = rng.choice(researchers).pk if status in WITH_RESEARCHER else None
    return (file_id, f"{1445 + i % 4}-{i // 4 + 1:06d}", status.value, IdType.NATIONAL_ID.value, head[9],
            " ".join(head[3:7]), head[7], f"+96655{i:07d}", "الرياض", "النسيم", "شارع الأمير", "1234", "12345",
            rng.choice(list(HousingType)).value, "office", intake.pk, researcher, now, submitted, due, created_at)


def seed_files(rng, intake, researchers, out) -> list[tuple[int, str]]:
    """COPY the files, their members and category links; return (id, status) of every file."""
    categories = list(PolicyProfile.objects.active().categories.values_list("pk", flat=True))
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    sizes = [HOUSEHOLD_SIZES[i % len(HOUSEHOLD_SIZES)] for i in range(N_FILES)]
    rng.shuffle(sizes)
    now = timezone.now()
    first_file, member_id = next_id(BeneficiaryFile), next_id(Member)
    file_table, member_table = Table(BeneficiaryFile, FILE_FIELDS), Table(Member, MEMBER_FIELDS)
    Link = BeneficiaryFile.categories.through  # noqa: N806
    link_table = Table(Link, ["beneficiaryfile_id", "category_id"])
    files, person = [], 0
    for chunk in range(0, N_FILES, CHUNK):  # a chunk of files, then its members: memory stays small
        file_rows, member_rows = [], []
        for i in range(chunk, min(chunk + CHUNK, N_FILES)):
            file_id = first_file + i
            household = _household(rng, sizes[i], person, file_id)
            person += sizes[i]
            status = rng.choices(statuses, weights)[0]
            files.append((file_id, status))
            # created_at spread back from now, ten minutes apart, so the list has an order
            file_rows.append(_file_row(i, file_id, rng, status, household[0], intake, researchers, now,
                                       now - (N_FILES - 1 - i) * dt.timedelta(minutes=10)))
            for row in household:
                member_rows.append((member_id, *row[1:]))
                member_id += 1
        file_table.load(file_rows)
        member_table.load(member_rows)
        link_table.load((row[0], rng.choice(categories)) for row in file_rows)
        if len(files) % PROGRESS == 0 or len(files) == N_FILES:
            out(f"  {len(files):>9,} files, {person:>9,} members")
    return files


def seed(out=print) -> dict:
    """Create the files, members, category links and their activity unless they exist; return
    the bench users."""
    manager, intake, researchers = bench_users()
    if is_seeded(intake):
        out(f"Seed: already there ({N_FILES:,} files); skipped.")
        return {"manager": manager}
    director = bench_director()
    started = time.perf_counter()
    models = [BeneficiaryFile, Member, BeneficiaryFile.categories.through, *seed_activity.MODELS]
    deferred = Deferred([model._meta.db_table for model in models])
    with transaction.atomic():
        deferred.drop()
        files = seed_files(random.Random(2026), intake, researchers, out)
        seed_activity.seed(files, manager=manager, director=director, researchers=researchers, out=out)
        deferred.restore(out)
        reset_sequences(models)
        _advance_number_sequences()
    copied = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Outside the transaction: statistics, hint bits and the visibility map, as in a database in use.
        cursor.execute("VACUUM (ANALYZE)")
    out(f"Seed: {N_FILES:,} files and their activity copied in {copied:.0f} s, "
        f"VACUUM ANALYZE {time.perf_counter() - started - copied:.0f} s.")
    return {"manager": manager, "seeded_s": time.perf_counter() - started}


def _advance_number_sequences() -> None:
    """Keep the file-number sequences ahead of the seeded numbers."""
    last = -(-N_FILES // 4)
    for year in range(1445, 1449):
        sequence, _created = FileNumberSequence.objects.get_or_create(year=year)
        if sequence.last < last:
            sequence.last = last
            sequence.save(update_fields=["last"])
