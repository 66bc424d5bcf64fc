"""The Redis breaker's state is shared by the processes of the machine (charity/breaker.py):
one process's failure spares the others their own timeout, the cache and the broker on one
Redis share it, and when the period ends one process asks again while the others wait for its
answer (issue «Hardening», point 4: figures in bench/redis_outage.py)."""

import time

import pytest

from charity import breaker


@pytest.fixture
def shared(settings, tmp_path):
    settings.BREAKER_DIR = str(tmp_path)
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://:secret@127.0.0.1:6399/0"
    settings.REDIS_RETRY_AFTER_SECONDS = 30

    def process(name="cache", setting="REDIS_URL"):  # a Breaker as another process holds it
        return breaker.Breaker(name, setting)

    return process


def test_a_failure_in_one_process_opens_the_breaker_in_the_others(shared, tmp_path):
    web1, web2 = shared(), shared()
    assert not web1.is_open() and not web2.is_open()
    web1.trip()
    assert web2.is_open()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == ["127.0.0.1_6399"]  # no password


def test_the_cache_and_the_broker_on_one_redis_share_the_breaker(shared, settings):
    cache, broker = shared("cache", "REDIS_URL"), shared("broker", "CELERY_BROKER_URL")
    cache.trip()
    assert broker.is_open()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6400/0"
    assert not shared("broker", "CELERY_BROKER_URL").is_open()


def test_when_the_period_ends_one_process_asks_again_and_the_others_wait_for_its_answer(shared):
    web1, web2, web3 = shared(), shared(), shared()
    web1.trip()
    web1._write(time.time() - 1)  # the retry period is over
    web2._until = web3._until = 0.0
    assert not web2.is_open()  # web2 asks again...
    assert web3.is_open() and web1.is_open()  # ...the others leave Redis alone meanwhile
    web2.succeeded()
    web1._until = web3._until = 0.0
    assert not web1.is_open() and not web3.is_open()


def test_a_failed_probe_leaves_the_service_alone_for_another_period(shared):
    web1, web2 = shared(), shared()
    web1.trip()
    web1._write(time.time() - 1)
    web2._until = 0.0
    assert not web2.is_open()
    web2.trip()
    assert web1.is_open() and web1._read() > time.time() + 20


def test_call_closes_the_breaker_after_a_successful_probe(shared):
    web1, web2 = shared(), shared()
    web1.trip()
    web1._write(time.time() - 1)
    web2._until = 0.0
    assert breaker.call(web2, lambda: "answer") == "answer"
    assert web2._read() == breaker.CLOSED
