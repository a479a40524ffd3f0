"""Shopper tokens: how a store tells hangat who its signed-in shopper is.

The store's own site signs the shopper in (hangat keeps no shopper passwords) and hands the chat a
short-lived token: a JSON Web Token signed with HS256 and the shared ``customer_secret``, holding
``sub`` (the customer's id in the store), ``exp`` and ``aud = "hangat"``. Every language has a JWT
library, so a store's backend signs one in a few lines; hangat checks it with PyJWT. A token signed
with another store's secret, expired, for another audience or unsigned (``alg: none``) is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

import jwt

from hangat.errors import Unauthorized
from hangat.ports import check_identifier

AUDIENCE = "hangat"
ALGORITHM = "HS256"
LEEWAY = timedelta(seconds=30)  # clocks of the store and hangat may differ a little


def derived_secret(secret_key: bytes) -> bytes:
    """The token key when ``customer_secret`` is not set: derived from the store's secret key."""
    return hmac.new(secret_key, b"hangat customer tokens v1", hashlib.sha256).digest()


def issue(secret: bytes, customer_id: str, now: datetime, lifetime: timedelta) -> str:
    """A token for ``customer_id``, valid from ``now`` for ``lifetime``."""
    check_identifier(customer_id, "customer id")
    claims = {"sub": customer_id, "aud": AUDIENCE, "iat": int(now.timestamp()),
              "exp": int((now + lifetime).timestamp())}  # fmt: skip
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(secret: bytes, token: str, now: datetime) -> str:
    """The customer id a valid token names; :class:`Unauthorized` for anything else."""
    if not token or len(token) > 4096:
        raise Unauthorized("a shopper token is needed")
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], audience=AUDIENCE, leeway=LEEWAY,
            options={"require": ["sub", "exp", "aud"], "verify_iat": False},
        )  # fmt: skip
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("the shopper token has expired", "auth.expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"the shopper token is not valid: {exc}") from exc
    subject = claims.get("sub")
    if not isinstance(subject, str):
        raise Unauthorized("the shopper token names no customer")
    if claims["exp"] + LEEWAY.total_seconds() < now.timestamp():
        raise Unauthorized("the shopper token has expired", "auth.expired")
    return subject
