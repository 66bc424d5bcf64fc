"""The dashboard's figures (GO-1…GO-6) against counts made independently from the seeded data,
through the lists' scopes (RT-6, RT-10, CP-8). Run on SQLite and on PostgreSQL."""

import datetime as dt
import statistics
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.policy import FileStatus
from charity import calendar
from complaints import services as complaint_services
from complaints.models import Complaint
from dashboard import queries
from dashboard.queries import Period
from satisfaction.models import Service

from .conftest import NOW, TODAY, seed, survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(staff):
    return seed(staff)


def _all_files(seeded):
    excluded = [file for rows in seeded.excluded.values() for file, _on in rows]
    return (seeded.applicants + seeded.under_study + seeded.overdue_files + seeded.active + seeded.frozen_soon
            + seeded.frozen_later + excluded)


@pytest.mark.rule("GO-1")
def test_go1_files_by_status_equal_the_seeded_files(staff, seeded):
    """GO-1: one count per status, the open files and the total."""
    files = _all_files(seeded)
    for file in files:
        file.refresh_from_db()
    expected = Counter(f.status for f in files)
    figures = queries.file_figures(staff["director"], TODAY)
    assert {r["status"]: r["count"] for r in figures["by_status"]} == {s: expected.get(s, 0) for s in FileStatus}
    assert expected[FileStatus.FROZEN] == 2 and expected[FileStatus.EXCLUDED] == 3
    assert figures["total"] == len(files)
    assert figures["open"] == len(files) - 3


@pytest.mark.rule("IN-5")
def test_in5_applications_awaiting_a_decision_and_past_their_target(staff, seeded):
    """IN-5: under study, and under study after the decision target."""
    figures = queries.file_figures(staff["director"], TODAY)
    assert figures["awaiting_decision"] == len(seeded.under_study) + len(seeded.overdue_files) == 2
    assert figures["overdue"] == len(seeded.overdue_files) == 1


@pytest.mark.rule("GO-1")
def test_go1_files_by_category_and_status(staff, seeded):
    """GO-1: a file counts once under each of its categories, by status."""
    expected = Counter()
    for file in _all_files(seeded):
        file.refresh_from_db()
        for code in file.categories.values_list("code", flat=True):
            expected[(code, file.status)] += 1
    rows = queries.files_by_category(staff["director"])
    found = {(r["category"].code, status): n for r in rows for status, n in r["by_status"].items()}
    assert found == dict(expected)
    totals = {r["category"].code: r["total"] for r in rows}
    assert totals == {"widow": 8, "orphan": 2}


def test_caseload_counts_open_files_per_researcher(staff, seeded):
    """The open files assigned to each researcher, by status; closed ones are not caseload."""
    rows = {r["researcher_id"]: r for r in queries.caseload(staff["director"])}
    assert rows[staff["researcher"].pk]["total"] == len(seeded.active) == 1
    assert rows[staff["researcher"].pk]["by_status"] == {FileStatus.ACTIVE: 1}
    assert rows[staff["researcher2"].pk]["by_status"] == {FileStatus.FROZEN: 1}
    assert rows[staff["researcher"].pk]["name"] == "سارة العتيبي"


@pytest.mark.rule("CP-7")
def test_cp7_open_due_this_week_and_overdue_complaints(staff, seeded):
    """CP-7: each complaint is due 15 Saudi working days after its filing (stored), and is overdue
    from the day after that date, not on it. The same sets as the complaints list's filters."""
    running = seeded.complaints_overdue + seeded.complaints_due_week + seeded.complaints_later
    assert list(Complaint.objects.filter(pk__in=[c.pk for c in running]).order_by("received_on")
                .values_list("received_on", "due_on")) == [
        (dt.date(2026, 10, 15), dt.date(2026, 11, 5)),
        (dt.date(2026, 11, 8), dt.date(2026, 11, 29)),  # Fridays and Saturdays not counted
        (dt.date(2026, 11, 24), dt.date(2026, 12, 15))]
    last_day = dt.date(2026, 11, 29)
    assert queries.complaint_figures(staff["director"], last_day)["overdue"] == 1
    assert queries.complaint_figures(staff["director"], last_day + dt.timedelta(days=1))["overdue"] == 2
    figures = queries.complaint_figures(staff["director"], TODAY)
    opened = (seeded.complaints_overdue + seeded.complaints_due_week + seeded.complaints_later
              + [c for c, _on_time in seeded.ruled])
    assert figures["open"] == len(opened) == 6
    assert figures["due_week"] == len(seeded.complaints_due_week) == 1
    assert figures["overdue"] == len(seeded.complaints_overdue) == 1
    by_status = {r["status"]: r["count"] for r in figures["open_by_status"]}
    assert by_status["ruled"] == 3 and by_status["under_review"] == 3 and "closed" not in by_status


@pytest.mark.rule("CP-7")
def test_cp7_share_ruled_within_the_period_by_month(staff, seeded):
    """CP-7: ruled within 15 working days of the filing, by month of the ruling: filed on 23
    August, due on 13 September; ruled that day it is on time, the next working day it is late."""
    on_the_last_day = _ruled(staff, dt.date(2026, 8, 23), dt.date(2026, 9, 13))
    a_day_late = _ruled(staff, dt.date(2026, 8, 23), dt.date(2026, 9, 14))
    assert on_the_last_day.due_on == a_day_late.due_on == dt.date(2026, 9, 13)
    rows = {r["month"]: r for r in queries.rulings_by_month(staff["director"], Period.default(TODAY))}
    assert len(rows) == 12 and rows[dt.date(2025, 12, 1)]["share"] is None
    september, october, november = rows[dt.date(2026, 9, 1)], rows[dt.date(2026, 10, 1)], rows[dt.date(2026, 11, 1)]
    assert (september["ruled"], september["on_time"], september["share"]) == (2, 1, 50.0)
    assert (october["ruled"], october["on_time"], october["share"]) == (2, 1, 50.0)
    assert (november["ruled"], november["on_time"], november["share"]) == (1, 1, 100.0)
    for complaint, on_time in seeded.ruled:
        assert (complaint.ruled_on <= complaint.due_on) == on_time


@pytest.mark.rule("CP-7")
def test_cp7_median_ruling_time_in_working_days(staff, seeded):
    """CP-7: from the filing (the clock's start) to the ruling, in Saudi working days: 5, 27
    (23 September, National Day, not counted) and 6."""
    assert [(c.received_on, c.clock_started_on) for c, _on_time in seeded.ruled] == [
        (on, on) for on in (dt.date(2026, 10, 1), dt.date(2026, 9, 20), dt.date(2026, 11, 2))]
    figures = queries.ruling_times(staff["director"], Period.default(TODAY))
    assert (figures["median"], figures["count"]) == (statistics.median([5, 27, 6]), 3)
    by_month = {m["month"]: m["median"] for m in figures["by_month"]}
    assert by_month[dt.date(2026, 10, 1)] == statistics.median([5, 27])
    assert by_month[dt.date(2026, 11, 1)] == 6 and by_month[dt.date(2026, 9, 1)] is None


def test_ruling_times_load_one_calendar_whatever_the_number_of_complaints(staff, seeded):
    """One query for the rows and one for the calendar corrections, not one per complaint."""
    staff["director"].get_all_permissions()  # loaded once per request, not part of the figure
    with CaptureQueriesContext(connection) as few:
        queries.ruling_times(staff["director"], Period.default(TODAY))
    for day in (5, 12, 19):
        complaint = _ruled(staff, dt.date(2026, 8, day), dt.date(2026, 9, day + 2))
        assert complaint.ruled_on
    with CaptureQueriesContext(connection) as more:
        figures = queries.ruling_times(staff["director"], Period.default(TODAY))
    assert figures["count"] == 6
    assert len(few) == len(more) == 2
    assert sum("calendarexception" in q["sql"] for q in more.captured_queries) == 1


def _ruled(staff, received_on, ruled_on):
    from .conftest import file_complaint, rule_complaint

    return rule_complaint(file_complaint(received_on, today=received_on), staff["director"], ruled_on)


def test_freezes_ending_in_the_next_7_days(staff, seeded):
    """Open freezes ending within a week (the freezes list's «soon» filter); the rules that make
    them are proven by test_sc6_sc12_the_sweep_makes_the_freezes_and_exclusions_counted."""
    assert queries.freezes_ending_soon(staff["director"], TODAY) == len(seeded.frozen_soon) == 1


def test_exclusions_this_month_by_rule(staff, seeded):
    """The exclusions decided this month, by rule; October's are not counted."""
    expected = Counter(rule for rule, rows in seeded.excluded.items() for _file, on in rows
                       if (on.year, on.month) == (TODAY.year, TODAY.month))
    rows = queries.exclusions_by_rule(staff["director"], TODAY)
    assert {r["rule"]: r["count"] for r in rows} == dict(expected) == {"SC-3": 1, "SC-5": 1}
    assert [r["rule"] for r in queries.exclusions_by_rule(staff["director"], dt.date(2026, 10, 2))] == ["SC-3"]


@pytest.mark.rule("SC-6", "SC-12")
def test_sc6_sc12_the_sweep_makes_the_freezes_and_exclusions_counted(staff):
    """SC-6, SC-12 through the real sweep: an annual update unanswered by 31 December freezes its
    file for one month (counted «ending soon» in its last week); no response, and it is excluded
    the day after the month ends. An SC-12 freeze lasts three months, then becomes an exclusion."""
    from beneficiaries import services as file_services
    from charity.models import PolicyProfile
    from eligibility import controls, sweep
    from testdata import make_active, tell_families

    director, profile = staff["director"], PolicyProfile.objects.active()
    moved = make_active(staff["intake"])
    controls.freeze_file(file=moved, rule="SC-12", by=staff["manager"], today=TODAY, now=NOW, profile=profile)
    make_active(staff["intake"])
    file_services.announce_annual_update(by=staff["manager"], title="تحديث 1448", deadline=dt.date(2026, 12, 31),
                                         today=TODAY)
    tell_families()

    def sweep_on(day):
        sweep.enforce_deadlines(today=day, now=NOW)
        excluded = {r["rule"]: r["count"] for r in queries.exclusions_by_rule(director, day)}
        by_status = {r["status"]: r["count"] for r in queries.file_figures(director, day)["by_status"]}
        return by_status[FileStatus.FROZEN], excluded

    assert sweep_on(dt.date(2026, 12, 31)) == (1, {})  # the deadline itself: not late
    assert sweep_on(dt.date(2027, 1, 1)) == (2, {})
    assert queries.freezes_ending_soon(director, dt.date(2027, 1, 24)) == 0
    assert queries.freezes_ending_soon(director, dt.date(2027, 1, 25)) == 1  # ends on 1 February
    assert sweep_on(dt.date(2027, 2, 1)) == (2, {})  # the last day of the month's freeze
    assert sweep_on(dt.date(2027, 2, 2)) == (1, {"SC-6": 1})
    assert sweep_on(dt.date(2027, 2, 24)) == (1, {"SC-6": 1})  # the last day of three months
    assert sweep_on(dt.date(2027, 2, 25)) == (0, {"SC-6": 1, "SC-12": 1})


@pytest.mark.rule("TK-1", "TK-3")
def test_tk1_tk3_aid_paid_by_month_and_fund(staff, seeded):
    """TK-1, TK-3: the sum of paid disbursements by month of payment and by fund."""
    aid = queries.aid_by_month(staff["director"], Period.default(TODAY))
    expected = Counter()
    for payment in seeded.paid:
        expected[(payment.fund.name if payment.fund else None, payment.paid_on.replace(day=1))] += payment.amount
    found = {(f["name"], m): v for f in aid["funds"] for m, v in f["totals"].items() if v}
    assert found == dict(expected)
    assert aid["total"] == sum(p.amount for p in seeded.paid) == Decimal("1725.50")
    assert aid["count"] == 4 and aid["funds"][-1]["fund_id"] is None  # «no fund» last


@pytest.mark.rule("GO-5", "SAT-2")
def test_go5_satisfaction_average_by_month_of_the_answered_surveys(staff, seeded):
    """GO-5, SAT-2: the unanswered survey does not count."""
    rows = {r["month"]: r for r in queries.satisfaction_by_month(staff["director"], Period.default(TODAY))}
    assert rows[dt.date(2026, 10, 1)]["average"] == 4 and rows[dt.date(2026, 10, 1)]["answers"] == 1
    november = rows[dt.date(2026, 11, 1)]
    assert november["average"] == statistics.mean([5, 2]) and november["answers"] == 2
    assert rows[dt.date(2026, 9, 1)]["average"] is None


def test_the_period_limits_the_monthly_series(staff, seeded):
    """The date range applies to the time series (rulings, aid, satisfaction)."""
    november = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    figures = queries.dashboard(staff["director"], november, TODAY)
    assert [r["month"] for r in figures["rulings"]] == [dt.date(2026, 11, 1)]
    assert figures["rulings"][0]["ruled"] == 1 and figures["ruling_times"]["count"] == 1
    assert figures["aid"]["total"] == Decimal("725.50")
    assert [s["answers"] for s in figures["satisfaction"]] == [2]


@pytest.mark.rule("CP-8", "RT-6", "RT-10")
def test_rt6_a_researcher_counts_only_the_files_and_complaints_they_may_see(staff, seeded):
    """RT-6, RT-10, CP-8: the figures go through visible_to, never the whole table."""
    researcher = staff["researcher"]
    files = queries.file_figures(researcher, TODAY)
    assert files["total"] == len(seeded.active) == 1
    assert {r["category"].code: r["total"] for r in queries.files_by_category(researcher)} == {"widow": 1, "orphan": 1}
    assert [r["researcher_id"] for r in queries.caseload(researcher)] == [researcher.pk]
    assert queries.complaint_figures(researcher, TODAY)["open"] == 0
    complaint_services.assign(complaint=seeded.complaints_overdue[0], by=staff["director"], to=researcher)
    assert queries.complaint_figures(researcher, TODAY)["overdue"] == 1
    assert queries.freezes_ending_soon(researcher, TODAY) == 0  # that file is researcher2's
    assert queries.aid_by_month(researcher, Period.default(TODAY))["total"] == Decimal("1725.50")
    assert queries.aid_by_month(staff["researcher2"], Period.default(TODAY))["total"] == 0


@pytest.mark.rule("CP-8")
def test_cp8_a_director_named_in_a_complaint_does_not_see_it_counted(staff, seeded, make_user):
    """CP-8: the complaint naming the director leaves the director's figures, not another's."""
    director = staff["director"]
    named = seeded.complaints_overdue[0]
    survey(named, service=Service.COMPLAINT, file=None, sent_on=dt.date(2026, 11, 5), overall=1)
    before = queries.complaint_figures(director, TODAY)
    assert before["overdue"] == 1
    assert queries.satisfaction_by_month(director, Period.default(TODAY))[-1]["answers"] == 3
    complaint_services.name_staff(complaint=named, by=staff["manager"], staff=[director])
    after = queries.complaint_figures(director, TODAY)
    assert after["overdue"] == 0 and after["open"] == before["open"] - 1
    assert queries.satisfaction_by_month(director, Period.default(TODAY))[-1]["answers"] == 2
    from charity.roles import Role

    # A complaint against an executive director leaves every director's figures and enters the
    # figures of the role the profile names (the board chairman by default).
    other = make_user(Role.DIRECTOR, username="deputy")
    assert queries.complaint_figures(other, TODAY)["overdue"] == 0
    chair = make_user(Role.BOARD_CHAIR, username="chair")
    assert queries.complaint_figures(chair, TODAY)["overdue"] == 1


def test_period_months_and_defaults():
    """The default period is the last twelve calendar months; months are calendar months."""
    period = Period.default(dt.date(2026, 3, 31))
    assert period == Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31)) and len(period.months()) == 12
    assert Period.month(dt.date(2024, 2, 10)) == Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    start, end = Period.month(dt.date(2026, 11, 5)).datetimes()
    assert (end - start).days == 30 and start.utcoffset() == dt.timedelta(hours=3)


# --- GO-2, GO-3, GO-4: how the families reach the association ------------------------------


def _channels(staff):
    """Applications through four channels in the period, one before it and a draft (never submitted)."""
    from beneficiaries.models import BeneficiaryFile
    from charity.policy import Channel
    from testdata import make_draft, make_submitted

    made = {"web": [make_submitted(staff["intake"]) for _ in range(2)], "office": [make_submitted(staff["intake"])],
            "field_visit": [make_submitted(staff["intake"])], "social": [make_submitted(staff["intake"])]}
    for channel, files in made.items():
        BeneficiaryFile.objects.filter(pk__in=[f.pk for f in files]).update(channel=Channel(channel))
    before = make_submitted(staff["intake"])
    start = Period.default(TODAY).start
    BeneficiaryFile.objects.filter(pk=before.pk).update(
        channel=Channel.WEB, submitted_at=calendar.start_of_day(start) - dt.timedelta(minutes=1))
    make_draft(staff["intake"])
    return made


@pytest.mark.rule("GO-2", "GO-3", "GO-4")
def test_go2_go3_go4_applications_by_channel_in_the_period(staff):
    """GO-3 channels in use; GO-2 the electronic share (web, social media, SMS); GO-4 the share
    that spared the family the office."""
    from charity.policy import Channel

    made = _channels(staff)
    figures = queries.applications_by_channel(staff["director"], Period.default(TODAY))
    expected = {Channel(channel): len(files) for channel, files in made.items()}
    assert {row["channel"]: row["count"] for row in figures["rows"]} == expected
    assert figures["total"] == sum(expected.values()) == 5
    assert figures["channels_used"] == 4
    assert figures["electronic_share"] == round(100 * 3 / 5, 1)  # two by the website, one by social media
    assert figures["away_from_office_share"] == round(100 * 4 / 5, 1)
    assert [row["electronic"] for row in figures["rows"]] == [c in {Channel.WEB, Channel.SOCIAL}
                                                             for c in (r["channel"] for r in figures["rows"])]


@pytest.mark.rule("GO-2", "RT-6")
def test_go2_a_researcher_counts_only_the_files_they_may_see(staff):
    """RT-6: the same figure for a researcher counts only their files."""
    from beneficiaries import services as file_services

    made = _channels(staff)
    file_services.assign_researcher(file=made["web"][0], researcher=staff["researcher"], by=staff["manager"],
                                    now=NOW)
    figures = queries.applications_by_channel(staff["researcher"], Period.default(TODAY))
    assert figures["total"] == 1 and figures["electronic_share"] == 100.0


@pytest.mark.rule("CP-3", "CP-4", "GO-2")
def test_go2_complaints_received_by_web_link_and_on_paper(staff):
    """GO-2: the share of complaints filed through the public link (CP-3) rather than on paper (CP-4)."""
    from django.utils import timezone

    from charity.models import PolicyProfile
    from complaints.policy import Source
    from testdata import complaint_form_data

    from .conftest import file_complaint

    web = [file_complaint(TODAY - dt.timedelta(days=d)) for d in (1, 2)]
    file_complaint(Period.default(TODAY).start - dt.timedelta(days=1))  # before the period
    now = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(10)))
    complaint_services.file_complaint(data=complaint_form_data(incident_on=TODAY - dt.timedelta(days=2)),
                                      profile=PolicyProfile.objects.active(), now=now, today=TODAY,
                                      source=Source.PAPER, received_on=TODAY, entered_by=staff["director"])
    figures = queries.complaint_figures(staff["director"], TODAY, Period.default(TODAY))
    assert {row["source"]: row["count"] for row in figures["by_source"]} == {
        Source.WEB: len(web), Source.PAPER: 1, Source.PHONE: 0, Source.IN_PERSON: 0}  # DU-12: by phone, in person
    assert figures["received"] == 3 and figures["web_share"] == round(100 * 2 / 3, 1)


@pytest.mark.rule("EL-2", "GO-4")
def test_go4_home_visits_made_at_the_first_attempt(staff):
    """GO-4, EL-2: visits made, «nobody home» (rescheduled) and the share made at the first attempt."""
    from beneficiaries import services as file_services
    from eligibility import services as eligibility_services
    from testdata import make_submitted

    researcher = staff["researcher"]
    files = [file_services.assign_researcher(file=make_submitted(staff["intake"]), researcher=researcher,
                                             by=staff["manager"], now=NOW) for _ in range(3)]
    visits = [eligibility_services.schedule_visit(file=f, by=researcher, researcher=researcher, on=TODAY, today=TODAY)
              for f in files]
    for visit in visits[:2]:
        eligibility_services.record_visit(visit=visit, by=researcher, now=NOW, report={
            "housing_state": "fair", "observations": "-", "present": "الأم", "recommendation": "eligible"})
    eligibility_services.record_nobody_home(visit=visits[2], by=researcher, new_date=TODAY + dt.timedelta(days=2),
                                            today=TODAY)
    period = Period(TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=30))
    figures = queries.field_visits(staff["director"], period)
    assert (figures["completed"], figures["nobody_home"], figures["scheduled"]) == (2, 1, 1)
    assert figures["made_share"] == round(100 * 2 / 3, 1)
    assert queries.field_visits(staff["director"], Period(TODAY - dt.timedelta(days=60),
                                                          TODAY - dt.timedelta(days=31)))["completed"] == 0
