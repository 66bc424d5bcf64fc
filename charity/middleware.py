"""Project middleware: Arabic-first language choice and no caching of case pages."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
