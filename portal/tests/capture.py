"""An SMS backend for the browser test: keeps each message it is given, in this process, so the
test reads the code the family would read on their phone (the outbox redacts it once sent)."""

SENT: list[tuple[str, str]] = []


class CapturingSmsBackend:
    name = "capture"

    def send(self, notification) -> str:
        SENT.append((notification.recipient, notification.body))
        return "captured by the test"
