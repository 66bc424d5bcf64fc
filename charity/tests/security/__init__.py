"""Proof under attack: the security items of the issue, each through the real pages.

1. `check --deploy --fail-level WARNING` is clean with production settings: proved by
   charity/tests/test_settings.py::test_check_deploy_passes_with_production_settings (not repeated).
2. Headers: CSP, HSTS (DEBUG off, secure request), nosniff, Referrer-Policy, no-store on case pages.
3. Login lockout per username *and* address (charity/tests/test_auth.py), extended below.
4. The session ends after SESSION_COOKIE_AGE idle seconds; continuous use keeps it.
5. RT-10: national IDs, income and medical text never reach logs or error mails.
6. IN-2, CP-4: uploads are recognised by their content, through the real upload pages.
7. RT-6, RT-10: a PDF fetches only our static files, never the network.
8. RT-6, RT-10, CP-8: the admin site's history pages keep the confidentiality scope.
"""
