"""A public form's HTML rendered once per worker and language, the CSRF token put in per request.

Crispy-forms renders one template per field, which costs more than the rest of a public page's
request. An unbound form's HTML depends only on the language, the code and what the caller puts
in its key (the profile's values it reads, today's date), so it is rendered once under that key
with a placeholder where the CSRF token goes; each request gets the copy with its own token
(get_token also sets the cookie, as {% csrf_token %} does). A bound form, with the visitor's
values and errors, is never cached."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Letters and dashes only: HTML escaping leaves it as it is.
CSRF_SLOT = "csrf-slot-5d1f0c9e"
# Languages × profiles × days: a handful in practice; the bound keeps a worker's memory flat.
MAX_ENTRIES = 64

_rendered: dict[tuple, str] = {}


def form_html(request, key: Hashable, render: Callable[[dict], str]) -> SafeString:
    """Return `render(context)`'s HTML for `key` and the current language, rendered once and
    reused, with this request's CSRF token. `render` gets a context holding the placeholder
    token; it must render an unbound form, the same for everyone under `key`."""
    full_key = (get_language(), key)
    html = _rendered.get(full_key)
    if html is None:
        html = str(render({"csrf_token": CSRF_SLOT}))
        if CSRF_SLOT not in html:
            raise ValueError("the form's HTML has no CSRF token: is its method POST?")
        if len(_rendered) >= MAX_ENTRIES:
            _rendered.clear()
        _rendered[full_key] = html
    return mark_safe(html.replace(CSRF_SLOT, get_token(request)))


def clear() -> None:
    """Forget every rendered form (tests that change translations or templates)."""
    _rendered.clear()
