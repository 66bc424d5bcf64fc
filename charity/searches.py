"""Search words never travel in a URL (RT-6, RT-10).

A search by identity number, mobile or name is personal data. Sent as `?q=…` it would be
written into every access log on the way (nginx, gunicorn, a proxy), the browser's history on a
shared front-desk computer and any Referer. So the search box posts its words; they are kept in
the user's own session under an opaque token, and the browser is sent back to the same page
with `?s=<token>` and the other, harmless filters (status, category, page…). The list then
reads its words from the session: another session, or the same token after sign-out, finds
nothing. A hand-typed or old `?q=` link is sealed the same way on its first request.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

PARAM = "s"
SESSION_KEY = "sealed_searches"
KEEP = 20  # the latest searches of a session; an older token finds nothing
NOT_CARRIED = {"csrfmiddlewaretoken", "search", PARAM}


def _store(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def seal(request, words: str) -> str:
    """Keep `words` in the session; return the opaque token that stands for them."""
    stored = _store(request)
    token = secrets.token_urlsafe(9)
    stored[token] = words
    request.session[SESSION_KEY] = dict(list(stored.items())[-KEEP:])
    return token


def unseal(request, token: str | None = None) -> str:
    """The words a token of this session stands for; "" for an unknown one."""
    token = token if token is not None else request.GET.get(PARAM, "")
    return _store(request).get(token, "") if token else ""


def sealing_redirect(request, field: str = "q") -> HttpResponseRedirect | None:
    """A posted search, or a `?q=` in the URL: seal the words and send the browser to the same
    page with the token and the other filters. None when there is nothing to seal."""
    if request.method == "POST":
        source = request.POST
    elif field in request.GET:
        source = request.GET
    else:
        return None
    carried = QueryDict(mutable=True)
    # A form posted from `?per_page=50&s=…` keeps what the form itself does not send.
    # A new search starts again at its first page.
    posted = source is request.POST
    for values in [request.GET, source] if posted else [source]:
        for key in values:
            if key not in NOT_CARRIED and key != field and not (posted and key == "page"):
                carried.setlist(key, [value for value in values.getlist(key) if value])
    words = source.get(field, "").strip()
    if words:
        carried[PARAM] = seal(request, words)
    query = carried.urlencode()
    return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))


def search_data(request, field: str = "q") -> QueryDict | None:
    """The list's filter data: the URL's filters with the sealed words put back under `field`."""
    if not request.GET:
        return None
    data = request.GET.copy()
    data[field] = unseal(request)
    if request.GET.get(PARAM) and not data[field]:
        messages.info(request, _("That search is no longer kept. Type it again in the search box."))
    return data
