"""A fake SMS gateway: a real HTTP server on 127.0.0.1 (stdlib `http.server`, one thread, an
ephemeral port) that records every request and answers as the test configures it.

The `sms_gateway` fixture of the root conftest.py starts one and points the HttpSmsBackend at
it. Configure the next answers with `answer(...)`; read what arrived in `requests` (each
with its path, headers and JSON body); wait for a request with `wait_for_request()`, which
waits on an event, never a fixed sleep. `answer(hang=True)` holds the response until the
test ends (or `release()`), so the backend's read timeout fires.
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field

WAIT_SECONDS = 10.0


@dataclass
class Answer:
    status: int = 200
    body: dict = field(default_factory=dict)
    hang: bool = False


@dataclass
class Received:
    path: str
    headers: dict
    json: dict


class FakeSmsGateway:
    def __init__(self):
        self.requests: list[Received] = []
        self._answers: list[Answer] = []
        self._arrived = threading.Condition()
        self._released = threading.Event()
        self._counter = 0
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-sms-gateway", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/api/v1/send"

    def start(self) -> FakeSmsGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=WAIT_SECONDS)

    def answer(self, status: int = 200, body: dict | None = None, *, hang: bool = False, times: int = 1) -> None:
        """Queue the next `times` answers (afterwards: 200 with a fresh id)."""
        self._answers.extend(Answer(status, body if body is not None else {}, hang) for _ in range(times))

    def release(self) -> None:
        """Let held (hanging) answers go."""
        self._released.set()

    def wait_for_request(self, count: int = 1, timeout: float = WAIT_SECONDS) -> Received:
        """Wait until `count` requests have arrived; return the last one."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.requests) >= count, timeout=timeout):
                raise AssertionError(f"the fake gateway received {len(self.requests)} of {count} requests")
            return self.requests[count - 1]

    def _next_answer(self) -> Answer:
        if self._answers:
            return self._answers.pop(0)
        self._counter += 1
        return Answer(200, {"id": f"msg-{self._counter}", "status": "queued"})

    def _handler(self):
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    payload = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    payload = {}
                with gateway._arrived:
                    answer = gateway._next_answer()
                    gateway.requests.append(Received(self.path, dict(self.headers), payload))
                    gateway._arrived.notify_all()
                if answer.hang:
                    gateway._released.wait(timeout=WAIT_SECONDS)
                data = json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (its read timeout): nothing to answer
                    pass

            def log_message(self, *args):  # keep the test output clean
                pass

        return Handler
