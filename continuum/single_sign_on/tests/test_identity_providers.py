"""Setting up an organisation's identity provider: no secret in the database, and an
issuer that is safe to send the secret to."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.single_sign_on.models import IdentityProvider


def provider_for(user: User, **fields: object) -> IdentityProvider:
    assert user.organisation is not None
    values: dict[str, object] = {
        "organisation": user.organisation,
        "name": "Stockton-on-Tees Council account",
        "issuer": "https://login.stockton.example/tenant",
        "client_id": "continuum",
        "client_secret_variable": "CONTINUUM_SSO_SECRET_STOCKTON",
    }
    values.update(fields)
    return IdentityProvider(**values)


def test_a_provider_is_switched_off_and_must_show_a_second_factor_until_decided(
    worker: User,
) -> None:
    provider = provider_for(worker)
    provider.full_clean()
    assert provider.enabled is False
    assert provider.require_multi_factor is True


@pytest.mark.parametrize(
    "variable",
    ["SECRET_KEY", "DATABASE_URL", "CONTINUUM_SSO_SECRET_", "continuum_sso_secret_x"],
)
def test_the_secret_must_come_from_a_single_sign_on_variable(worker: User, variable: str) -> None:
    """Else an administrator could send another of the deployment's secrets to any issuer."""
    with pytest.raises(ValidationError) as refused:
        provider_for(worker, client_secret_variable=variable).full_clean()
    assert "client_secret_variable" in refused.value.message_dict


@pytest.mark.parametrize(
    "issuer",
    [
        "http://login.stockton.example",
        "https://login.stockton.example/?tenant=x",
        "https://login.stockton.example/#x",
        "ftp://login.stockton.example",
    ],
)
def test_the_issuer_must_be_https(worker: User, issuer: str) -> None:
    with pytest.raises(ValidationError) as refused:
        provider_for(worker, issuer=issuer).full_clean()
    assert "issuer" in refused.value.message_dict


def test_the_secret_is_read_from_the_environment_when_used(
    worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = provider_for(worker)
    assert provider.client_secret == ""
    monkeypatch.setenv("CONTINUUM_SSO_SECRET_STOCKTON", "from-the-environment")
    assert provider.client_secret == "from-the-environment"
    assert "from-the-environment" not in str(provider.__dict__)


def test_identity_providers_are_set_up_in_the_reference_data_admin(
    admin_client: Client, worker: User
) -> None:
    provider_for(worker).save()
    page = admin_client.get(reverse("admin:single_sign_on_identityprovider_changelist"))
    assert page.status_code == 200
    assert "Stockton-on-Tees Council account" in page.content.decode()
    add_page = admin_client.get(reverse("admin:single_sign_on_identityprovider_add"))
    assert add_page.status_code == 200
    assert "/accounts/single-sign-on/callback" in add_page.content.decode()
    assert admin_client.get(reverse("admin:single_sign_on_linkedidentity_add")).status_code == 403
