"""Run by test_replica_cluster.py in a child process whose DATABASE_URL is a throwaway primary
and DATABASE_REPLICA_URL its streaming standby: drive the routed pages through Django's test
client and print, as one JSON line, how many queries each went through on each alias.

    python -m charity.tests.replica_child routing|fallback
"""

import json
import logging
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charity.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from charity.models import User  # noqa: E402
from charity.roles import Role  # noqa: E402

USERNAME = "replica-director"
REPLAY_CEILING = 90  # seconds


class Remember(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def per_alias(fn):
    """Count the queries of fn() per alias (execute_wrapper: counting never opens a connection)."""
    counts = {"default": 0, "replica": 0}

    def counter(alias):
        def wrapper(execute, sql, params, many, context):
            counts[alias] += 1
            return execute(sql, params, many, context)
        return wrapper

    with connections["default"].execute_wrapper(counter("default")), \
            connections["replica"].execute_wrapper(counter("replica")):
        response = fn()
    return {"status": response.status_code, "primary": counts["default"], "replica": counts["replica"],
            "as_of": bool(response.context and response.context.get("replica_as_of"))}


def wait_replayed(username: str) -> float:
    """Seconds until the standby has the user written on the primary (or fail)."""
    started = time.monotonic()
    while time.monotonic() - started < REPLAY_CEILING:
        if User.objects.using("replica").filter(username=username).exists():
            return time.monotonic() - started
        time.sleep(0.1)
    raise SystemExit(f"the standby did not replay {username!r} within {REPLAY_CEILING} s")


def routing() -> dict:
    from testdata import load_set_up

    load_set_up("general")
    user = User.objects.create_user(username=USERNAME, password="x")
    user.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    out = {"replayed_after": wait_replayed(USERNAME)}
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        out["replica_in_recovery"] = cursor.fetchone()[0]
    client = Client()
    client.force_login(user)
    client.get(reverse("dashboard:index"))  # warm: permissions
    out["dashboard"] = per_alias(lambda: client.get(reverse("dashboard:index")))
    out["file_list"] = per_alias(lambda: client.get(reverse("beneficiaries:file_list")))
    out["export_post"] = per_alias(lambda: client.post(reverse("dashboard:export_start"), {"kind": "figures"}))
    out["dashboard_after_post"] = per_alias(lambda: client.get(reverse("dashboard:index")))
    out["file_list_after_post"] = per_alias(lambda: client.get(reverse("beneficiaries:file_list")))
    fresh = Client()
    fresh.force_login(user)
    out["other_session"] = per_alias(lambda: fresh.get(reverse("dashboard:index")))
    return out


def fallback() -> dict:
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    return {"dashboard": per_alias(lambda: client.get(reverse("dashboard:index"))),
            "file_list": per_alias(lambda: client.get(reverse("beneficiaries:file_list")))}


if __name__ == "__main__":
    setup_test_environment()
    remember = Remember()
    logging.getLogger("charity.replica").addHandler(remember)
    result = {"routing": routing, "fallback": fallback}[sys.argv[1]]()
    result["warnings"] = remember.messages
    print("RESULT " + json.dumps(result))
