"""The beneficiary's session in «my file»: the file and the person in the request's session,
with idle and total expiry. Never a Django user: staff authentication is untouched, and a
member of staff signed in on the same browser stays signed in (and outside the portal)."""

from __future__ import annotations

import datetime as dt

from . import policy


def start(session, *, file_id: int, member_id: int, now: dt.datetime) -> None:
    """Open the portal session (a new session key: no fixation) and forget the pending sign-in."""
    session.cycle_key()
    session.pop(policy.PENDING_KEY, None)
    stamp = now.timestamp()
    session[policy.SESSION_KEY] = {"file": file_id, "member": member_id, "since": stamp, "seen": stamp}


def current(session, *, now: dt.datetime) -> dict | None:
    """The live portal session ({"file", "member", ...}), its idle clock renewed; None when
    there is none. An expired one is ended here and returns None with `ended` set on the session."""
    data = session.get(policy.SESSION_KEY)
    if not data:
        return None
    stamp = now.timestamp()
    if not policy.session_alive(since=data["since"], seen=data["seen"], now=stamp):
        end(session)
        session["portal_ended"] = True
        return None
    data["seen"] = stamp
    session[policy.SESSION_KEY] = data
    return data


def end(session) -> None:
    session.pop(policy.SESSION_KEY, None)
    session.pop(policy.PENDING_KEY, None)
