"""gunicorn's settings for the web unit (deploy/systemd/charity-web.service, `-c` this file).

The access log keeps each request's path without its query string (`%(U)s`, not `%(r)s`): the
application never puts search words in a URL (charity/searches.py), but Django admin's search
box (`?q=`) or a hand-typed link could still carry an identity number, a mobile or a name
(RT-10). No Referer either, for the same reason. charity/tests/test_behind_nginx.py runs it.
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
