"""Security keys and passkeys (WebAuthn) as the second factor, through the real server-side
ceremonies, with a software authenticator made here: an ES256 key pair that answers the
options the server gives as a browser and a key would."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass, field

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY

pytestmark = pytest.mark.django_db

ORIGIN = "http://localhost:8000"
RP_ID = "localhost"
PASSWORD = "a-long-test-password"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class SoftwareAuthenticator:
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    sign_count: int = 0

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options: dict, origin: str = ORIGIN) -> dict:
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        attested = (
            bytes(16)
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + self._cose_key()
        )
        auth_data = rp_hash + bytes([0x45]) + self.sign_count.to_bytes(4, "big") + attested
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict, origin: str = ORIGIN) -> dict:
        self.sign_count += 1
        rp_hash = hashlib.sha256(options["rpId"].encode()).digest()
        auth_data = rp_hash + bytes([0x05]) + self.sign_count.to_bytes(4, "big")
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
        }


@pytest.fixture(autouse=True)
def _relying_party(settings):
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]


def post_json(client, name: str, data: dict | None = None):
    return client.post(
        reverse(f"otp_webauthn:{name}"),
        data=json.dumps(data or {}),
        content_type="application/json",
    )


def password_only(client, user) -> None:
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def register(client, key: SoftwareAuthenticator):
    options = post_json(client, "credential-registration-begin").json()
    return post_json(client, "credential-registration-complete", key.create(options))


def test_first_sign_in_can_set_up_a_security_key_as_the_second_factor(client, worker):
    password_only(client, worker)
    assert client.get(reverse("accounts:set-up-security-key")).status_code == 200
    response = register(client, SoftwareAuthenticator())
    assert response.status_code == 200, response.content
    assert WebAuthnCredential.objects.filter(user=worker, confirmed=True).count() == 1
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "webauthn"
    assert client.get("/").status_code == 200


def test_signing_in_with_the_security_key_after_the_password(client, worker):
    key = SoftwareAuthenticator()
    client.force_login(worker)
    assert register(client, key).status_code == 200
    client.post(reverse("accounts:sign-out"))

    password_only(client, worker)
    assert client.get(reverse("accounts:second-factor")).status_code == 200
    options = post_json(client, "credential-authentication-begin").json()
    response = post_json(client, "credential-authentication-complete", key.get(options))
    assert response.status_code == 200, response.content
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "webauthn"
    assert client.get("/").status_code == 200


def test_a_key_answering_for_another_site_is_refused(client, worker):
    key = SoftwareAuthenticator()
    client.force_login(worker)
    assert register(client, key).status_code == 200
    client.post(reverse("accounts:sign-out"))

    password_only(client, worker)
    options = post_json(client, "credential-authentication-begin").json()
    response = post_json(
        client,
        "credential-authentication-complete",
        key.get(options, origin="https://phishing.example"),
    )
    assert response.status_code >= 400
    assert not client.session.get(SECOND_FACTOR_SESSION_KEY)


def test_someone_elses_key_does_not_pass_your_second_factor(client, worker, manager):
    managers_key = SoftwareAuthenticator()
    client.force_login(manager)
    assert register(client, managers_key).status_code == 200
    client.post(reverse("accounts:sign-out"))

    worker_key = SoftwareAuthenticator()
    client.force_login(worker)
    assert register(client, worker_key).status_code == 200
    client.post(reverse("accounts:sign-out"))

    password_only(client, worker)
    options = post_json(client, "credential-authentication-begin").json()
    response = post_json(client, "credential-authentication-complete", managers_key.get(options))
    assert response.status_code >= 400
    assert not client.session.get(SECOND_FACTOR_SESSION_KEY)


def test_the_security_key_pages_carry_no_inline_script_or_style(client, worker):
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=", re.IGNORECASE)
    password_only(client, worker)
    set_up = client.get(reverse("accounts:set-up-security-key")).content.decode()
    assert 'id="otp_webauthn_config"' in set_up
    assert not inline.search(set_up)
    assert register(client, SoftwareAuthenticator()).status_code == 200
    client.post(reverse("accounts:sign-out"))
    password_only(client, worker)
    enter = client.get(reverse("accounts:second-factor")).content.decode()
    assert "passkey-verification-button" in enter
    assert not inline.search(enter)
