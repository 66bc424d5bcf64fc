"""Project middleware: Arabic-first language choice, no caching of case pages, no NUL in a query."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.defaults import bad_request


class ArabicFirstLocaleMiddleware:
    """Activate the language the user chose (cookie), else Arabic.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: the
    association works in Arabic, and a beneficiary whose phone is set to English still sees
    Arabic first, with English one click away.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Cookie"])
        return response


class NoStoreMiddleware:
    """Forbid browsers and proxies to keep copies of any page: they hold personal data.

    Static files are served before this middleware (WhiteNoise) and keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store, private"
        return response


class RefuseNulMiddleware:
    """Answer 400 to a query string or path holding a NUL character.

    No field, filter or search of the application takes one, and PostgreSQL refuses it in any
    string («A string literal cannot contain NUL»): an admin filter or search given «%00» was a
    server error and an error mail. Form fields refuse it themselves (Django's
    ProhibitNullCharactersValidator); this covers the query parameters no form reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in value for value in values)
                                         for key, values in request.GET.lists()):
            return bad_request(request, SuspiciousOperation("NUL character in the query"))
        return self.get_response(request)
