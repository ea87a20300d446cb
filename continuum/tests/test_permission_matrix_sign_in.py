"""The permission matrix's single sign-on rows: which identity provider may sign in whom.
Each row signs in at a real OpenID provider (continuum/testing/identity_provider.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.single_sign_on.models import LinkedIdentity
from continuum.testing.identity_provider import (  # noqa: F401 - fixtures
    client_secret,
    provider_issuer,
    sign_in_with,
)
from continuum.tests.matrix.rows import SIGN_IN_ROWS, Row
from continuum.tests.matrix.sign_in import SUBJECT, build_sign_in


@pytest.mark.parametrize("row", SIGN_IN_ROWS, ids=[row.id for row in SIGN_IN_ROWS])
def test_sign_in_permission_matrix(
    row: Row,
    provider_issuer: str,  # noqa: F811
    client_secret: None,  # noqa: F811
    sign_in_with: Callable[..., Any],  # noqa: F811
    client: Client,
    stockton: Council,
    hartlepool: Council,
) -> None:
    situation = build_sign_in(row, provider_issuer, stockton, hartlepool)
    links, users = LinkedIdentity.objects.count(), User.objects.count()
    response = sign_in_with(
        situation.provider,
        login=SUBJECT,
        email=situation.email,
        email_verified=situation.email_verified,
    )
    signed_in = client.session.get("_auth_user_id") == str(situation.user.pk)
    if row.expected["view_page"]:
        assert (response.status_code, signed_in) == (302, True), f"line {row.line}"
        assert client.get(reverse("web:home")).status_code == 200
    else:
        assert (response.status_code, signed_in) == (403, False), f"line {row.line}"
        assert "_auth_user_id" not in client.session
        assert (LinkedIdentity.objects.count(), User.objects.count()) == (links, users)
