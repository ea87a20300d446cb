"""Recovery codes kept only as salted hashes (OWASP ASVS 5.0 6.5.2).

A code is 24 random base32 characters (120 bits, from ``secrets``), shown once in six
groups of four (``abcd-efgh-…``); people may type it with or without the hyphens, spaces
or capitals. ASVS allows a standard hash for a lookup secret of 112 bits or more, so each is
kept as ``hmac-sha256$<salt>$<digest>``: HMAC-SHA256 of the code under its own random
16-byte salt. A password hasher (PBKDF2, about 1,000,000 rounds) would add nothing against
guessing 120 bits and would cost a noticeable part of a second for each of the ten codes at
every attempt. No key from settings is mixed in, so rotating ``SECRET_KEY`` keeps codes
working.

Codes made before (django-otp's 8-character static tokens, 40 bits, kept in clear) are
hashed by migration 0008 with Django's password hasher instead (``make_password``: salted,
slow), since 40 bits is too few for a plain hash; they verify the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.hashers import check_password

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # base32, lower case
LENGTH = 24  # 120 bits
LEGACY_LENGTH = 8  # django-otp's static tokens, hashed by migration 0008
GROUP = 4
SCHEME = "hmac-sha256"


def normalise(code: str) -> str:
    """As typed -> as hashed: no spaces or hyphens, lower case."""
    return "".join(code.split()).replace("-", "").lower()


def could_be(code: str) -> bool:
    """Whether ``code`` has a recovery code's shape: anything else (a 6-digit app code) is
    not checked against the hashes, so it never costs a password hash or a throttle step."""
    bare = normalise(code)
    return len(bare) in (LENGTH, LEGACY_LENGTH) and set(bare) <= set(ALPHABET)


def new_code() -> str:
    bare = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(bare[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def _hmac(salt: str, code: str) -> str:
    return hmac.new(bytes.fromhex(salt), normalise(code).encode(), hashlib.sha256).hexdigest()


def digest(code: str) -> str:
    salt = secrets.token_hex(16)
    return f"{SCHEME}${salt}${_hmac(salt, code)}"


def matches(code: str, stored: str) -> bool:
    """Whether ``code`` is the one ``stored`` was made from (in constant time)."""
    scheme, _, rest = stored.partition("$")
    if scheme == SCHEME:
        salt, _, expected = rest.partition("$")
        return hmac.compare_digest(_hmac(salt, code), expected)
    # A code from before, hashed by the migration with Django's password hasher.
    return bool(check_password(normalise(code), stored))
