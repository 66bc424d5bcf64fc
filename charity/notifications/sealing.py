"""The secrets of a message never sit readable in the outbox.

A complaint's secret code, a sign-in code or a survey link with its token would let whoever
reads the outbox (Django admin, a database dump) act as the beneficiary. So the body is stored
with a placeholder per secret (`secret_slot("code")`), and the secrets themselves are stored
*sealed*: encrypted and authenticated with keys derived from SECRET_KEY. Only the worker that
delivers opens them, puts them in the copy it gives the backend, and empties them once the
message is sent or has failed for good.

The cipher is built from the standard library (the `cryptography` package is not a dependency):
HMAC-SHA256 as a pseudo-random function in counter mode for the key stream, a random 16-byte
nonce per message, and an HMAC-SHA256 tag over nonce and ciphertext checked before anything is
decrypted (encrypt-then-MAC). The encryption and the tag use two keys derived from SECRET_KEY
with their own salts; SECRET_KEY_FALLBACKS still open what was sealed before a key rotation.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
from collections.abc import Mapping

from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "charity.notifications.sealing"
_NONCE, _TAG, _BLOCK = 16, 32, 32


class SealBrokenError(Exception):
    """The sealed secrets cannot be opened: altered, or sealed under a key no longer known."""


def secret_slot(name: str) -> str:
    """Return the placeholder that stands for the secret `name` in a stored body."""
    return f"⟦{name}⟧"


def seal(secrets: Mapping[str, str]) -> str:
    """Return `secrets` encrypted and authenticated, as text ("" for none)."""
    if not secrets:
        return ""
    plain = json.dumps(dict(secrets), ensure_ascii=False).encode()
    nonce = os.urandom(_NONCE)
    encryption, authentication = _keys(settings.SECRET_KEY)
    cipher = _xor(plain, _stream(encryption, nonce, len(plain)))
    tag = hmac.new(authentication, nonce + cipher, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def unseal(token: str) -> dict[str, str]:
    """Return the secrets sealed in `token`; raise SealBrokenError if it was altered or its key is gone."""
    if not token:
        return {}
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (ValueError, TypeError) as exc:
        raise SealBrokenError("not a sealed value") from exc
    if len(raw) < _NONCE + _TAG:
        raise SealBrokenError("too short")
    nonce, cipher, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    for secret_key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        encryption, authentication = _keys(secret_key)
        if hmac.compare_digest(tag, hmac.new(authentication, nonce + cipher, hashlib.sha256).digest()):
            return json.loads(_xor(cipher, _stream(encryption, nonce, len(cipher))).decode())
    raise SealBrokenError("no known key opens it")


def opened(notification):
    """Return a copy of `notification` whose body carries its secrets, for the backend only
    (the stored row keeps its placeholders)."""
    secrets = unseal(notification.sealed)
    if not secrets:
        return notification
    outgoing = copy.copy(notification)
    for name, value in secrets.items():
        outgoing.body = outgoing.body.replace(secret_slot(name), value)
        outgoing.subject = outgoing.subject.replace(secret_slot(name), value)
    return outgoing


def _keys(secret_key: str) -> tuple[bytes, bytes]:
    return (salted_hmac(f"{_SALT}.encryption", "key", secret=secret_key, algorithm="sha256").digest(),
            salted_hmac(f"{_SALT}.authentication", "key", secret=secret_key, algorithm="sha256").digest())


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
              for counter in range(-(-length // _BLOCK)))
    return b"".join(blocks)[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))
