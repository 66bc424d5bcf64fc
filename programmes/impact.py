"""IN-8: the impact of a programme, measured on the needs study (EL-9) and on satisfaction (SAT-1).

«قياس أثر ورضا المستفيد» (000, handling step 8). For the families who took part in a programme
(a participant completed it, or attended at least one session), the impact is the change between
the family's needs study before the programme (the latest one assessed before its first day) and
after it (the first one assessed after its last day): the score and its main indicators. The
averages count only the families measured both before and after; the others are counted apart.
Satisfaction is that of the programme's own surveys (one per nomination, SAT-1).

Aggregates only: a count, averages and changes, never a family or a person.

Gate (PR «Sections per profile»): IN-8 is a handling step of 000 alone; impact per programme exists
where programmes do, so it is shown when the profile adopts the programmes section
(`Section.PROGRAMMES`). The satisfaction section alone (adopted by every text) does not open it: a
profile without programmes has no programme whose impact could be measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from charity import calendar
from charity.policy import Section
from eligibility.models import NeedsAssessment
from satisfaction.models import Service as SurveyService
from satisfaction.models import Survey

from .models import Attendance, Nomination, Programme
from .policy import Status

# IN-8: the indicators read from each study, and whether a higher value means less need.
INDICATORS: dict[str, tuple] = {
    "score": (_("Need score (0–100)"), False),
    "income_per_member": (_("Income per member (SAR a month)"), True),
    "income": (_("Score part: income"), False),
    "dependants": (_("Score part: dependants"), False),
    "housing": (_("Score part: housing"), False),
    "health": (_("Score part: health"), False),
}
CENT = Decimal("0.01")


def shows_impact(profile) -> bool:
    """IN-8: impact per programme is shown where the profile adopts the programmes section."""
    return profile.adopts(Section.PROGRAMMES)


def took_part(programme: Programme, files) -> list[int]:
    """IN-8: the families (files, among `files`) of whom a member completed the programme or
    attended one of its sessions."""
    return sorted(set(
        Nomination.objects.filter(programme=programme, file__in=files)
        .filter(Q(status=Status.COMPLETED) | Q(attendance__mark=Attendance.Mark.PRESENT))
        .values_list("file_id", flat=True)))


def indicator_values(assessment: NeedsAssessment) -> dict[str, Decimal]:
    values = {"score": Decimal(assessment.score), "income_per_member": assessment.income_per_member}
    values.update({key: Decimal(assessment.breakdown.get(key, 0)) for key in ("income", "dependants", "housing",
                                                                              "health")})
    return values


def before_and_after(programme: Programme, file_ids) -> tuple[dict, dict]:
    """The latest study of each family before the programme's first day, and the first after its
    last day (Riyadh days, charity.calendar)."""
    starts = calendar.start_of_day(programme.starts_on)
    after_end = calendar.start_of_day(calendar.add_days(programme.ends_on, 1))
    studies = NeedsAssessment.objects.filter(file_id__in=file_ids)
    before, after = {}, {}
    for study in studies.filter(assessed_at__lt=starts).order_by("file_id", "-assessed_at", "-pk"):
        before.setdefault(study.file_id, study)
    for study in studies.filter(assessed_at__gte=after_end).order_by("file_id", "assessed_at", "pk"):
        after.setdefault(study.file_id, study)
    return before, after


def _average(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    higher_is_better: bool

    @property
    def improved(self) -> bool | None:
        """Whether the change means less need (None when nothing changed or nothing was measured)."""
        if not self.change:
            return None
        return (self.change > 0) == self.higher_is_better


def programme_impact(programme: Programme, *, files) -> dict:
    """IN-8: the programme's impact over the families among `files` (the viewer's scope):
    how many took part, were measured before, after, and both; each indicator's average before
    and after and its change, over the families measured both times; and the satisfaction of the
    programme's surveys."""
    families = took_part(programme, files)
    before, after = before_and_after(programme, families)
    both = [f for f in families if f in before and f in after]
    indicators = []
    for key, (label, higher_is_better) in INDICATORS.items():
        if both:
            avg_before = _average([indicator_values(before[f])[key] for f in both])
            avg_after = _average([indicator_values(after[f])[key] for f in both])
            change = avg_after - avg_before
        else:
            avg_before = avg_after = change = None
        indicators.append(Indicator(key, label, avg_before, avg_after, change, higher_is_better))
    return {"programme": programme, "families": len(families), "with_before": len(before),
            "with_after": len(after), "measured": len(both), "indicators": indicators,
            "satisfaction": programme_satisfaction(programme, files=files),
            "studied_before": set(before), "studied_after": set(after)}


def programme_satisfaction(programme: Programme, *, files) -> dict:
    """SAT-1, IN-8: the programme's surveys (one per nomination) among `files`: sent, answered and
    the average overall rating."""
    nominations = Nomination.objects.filter(programme=programme, file__in=files).values_list("pk", flat=True)
    figures = Survey.objects.filter(
        service=SurveyService.PROGRAMME, content_type=ContentType.objects.get_for_model(Nomination),
        object_id__in=[str(pk) for pk in nominations],
    ).aggregate(sent=Count("pk"), answered=Count("answered_at"), overall=Avg("overall"))
    if figures["overall"] is not None:
        figures["overall"] = Decimal(str(figures["overall"])).quantize(CENT, rounding=ROUND_HALF_UP)
    return figures


def awaiting_after_study(file, *, today) -> list[Programme]:
    """IN-8: the ended programmes the family took part in that have no needs study after them yet
    (the researcher's next study will be their «after» measure)."""
    ended = Programme.objects.filter(ends_on__lt=today, nominations__file=file).distinct().order_by("-ends_on")
    return [p for p in ended if took_part(p, [file.pk]) and not before_and_after(p, [file.pk])[1]]


def ended_programmes_impact(*, files, first=None, last=None, today) -> list[dict]:
    """IN-8, SAT-2: the impact of every programme that ended by `today` (within first–last when
    given) and had participants in `files`, newest first."""
    programmes = Programme.objects.filter(ends_on__lt=today).order_by("-ends_on", "-pk")
    if first:
        programmes = programmes.filter(ends_on__gte=first)
    if last:
        programmes = programmes.filter(ends_on__lte=last)
    rows = [programme_impact(p, files=files) for p in programmes]
    return [row for row in rows if row["families"]]
