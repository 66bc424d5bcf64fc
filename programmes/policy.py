"""The policy of programmes and activities, readable in one sitting.

Rules: TK-6 (register beneficiaries in programmes), DU-3 (attend, or apologise in advance),
DU-6 (attend the training offered), DU-10 (no drop-out without talking to the association
first), DU-11 (a refusal is in writing; on refusal or delay another beneficiary is nominated).
Everything here is a constant or a pure function; services.py applies them.
"""

from __future__ import annotations

import datetime as dt

from beneficiaries.policy import FileStatus
from charity import calendar

from .models import Attendance, Nomination

Status = Nomination.Status
Mark = Attendance.Mark

# TK-6: only household members of active files are registered in programmes.
NOMINABLE_FILE_STATUS = FileStatus.ACTIVE

# The life of a nomination. WAITING → NOMINATED happens in rank order while places are free.
TRANSITIONS: dict[str, set[str]] = {
    Status.WAITING: {Status.NOMINATED},
    Status.NOMINATED: {Status.ACCEPTED, Status.REFUSED, Status.NO_ANSWER},
    Status.ACCEPTED: {Status.COMPLETED, Status.DROPPED_OUT},
    Status.REFUSED: set(),
    Status.NO_ANSWER: set(),
    Status.COMPLETED: set(),
    Status.DROPPED_OUT: set(),
}

# The statuses that hold one of the programme's places. A refusal or no answer frees the place
# for the next on the waiting list (DU-11). (interpretation) A drop-out keeps its place: the
# programme is under way, so nobody is nominated in their stead automatically.
HOLDS_A_PLACE = (Status.NOMINATED, Status.ACCEPTED, Status.COMPLETED, Status.DROPPED_OUT)

# Who is on the attendance sheet: those who accepted (and, afterwards, completed).
PARTICIPANT_STATUSES = (Status.ACCEPTED, Status.COMPLETED)


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, set())


def answer_due_on(nominated_on: dt.date, response_days: int) -> dt.date:
    """DU-11: the nominee answers in writing within the programme's response days."""
    return calendar.add_days(nominated_on, response_days)




def free_places(capacity: int, holding: int) -> int:
    """TK-6: how many more candidates may be nominated."""
    return max(capacity - holding, 0)


def accepts_promotions(ends_on: dt.date, today: dt.date) -> bool:
    """Nobody is nominated to a programme that has already ended."""
    return today <= ends_on


def has_ended(ends_on: dt.date, today: dt.date) -> bool:
    """The programme can be closed (participants completed) from its last day on."""
    return today >= ends_on


def apology_excuses(apologised_on: dt.date | None, held_on: dt.date) -> bool:
    """DU-3: an apology excuses an absence only if it was made before the session's date."""
    return apologised_on is not None and apologised_on < held_on


def attendance_mark(*, present: bool, apologised_on: dt.date | None, held_on: dt.date) -> str:
    """DU-3: present; else excused by an apology made in advance; else absent."""
    if present:
        return Mark.PRESENT
    return Mark.EXCUSED if apology_excuses(apologised_on, held_on) else Mark.ABSENT


def attendance_rate(present: int, marked: int) -> int | None:
    """DU-6: the percentage of recorded sessions attended (None before any session is marked).

    (interpretation) An excused absence is not attendance; it is shown beside the rate."""
    if not marked:
        return None
    return round(100 * present / marked)
