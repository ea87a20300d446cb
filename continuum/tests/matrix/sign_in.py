"""The sign-in rows' situations: a user, an identity provider (the user's own
organisation's or another's) and what the provider asserts about them."""

from __future__ import annotations

from dataclasses import dataclass

from continuum.accounts.models import User
from continuum.organisations.models import Council, Organisation
from continuum.single_sign_on.models import IdentityProvider, LinkedIdentity
from continuum.testing import factories
from continuum.testing.identity_provider import CLIENT_ID, SECRET_VARIABLE
from continuum.tests.builders import a_user, partner_agency
from continuum.tests.matrix.rows import Row

SUBJECT = "matrix-subject"


@dataclass(frozen=True)
class SignInSituation:
    user: User
    provider: IdentityProvider
    # What the provider asserts at sign-in.
    email: str
    email_verified: bool


def build_sign_in(row: Row, issuer: str, stockton: Council, hartlepool: Council) -> SignInSituation:
    if row.employer == "council":
        own: Organisation = factories.council_services(stockton)
        other: Organisation = factories.council_services(hartlepool)
    else:
        own = partner_agency(stockton)
        other = factories.council_services(stockton)
    user = a_user(username="matrix.user", role=row.role, organisation=own)
    provider = IdentityProvider.objects.create(
        organisation=own if row.council == "own" else other,
        name="Matrix identity provider",
        issuer=issuer,
        client_id=CLIENT_ID,
        client_secret_variable=SECRET_VARIABLE,
        enabled=True,
    )
    email, verified = user.email, True
    if row.relationship == "linked":
        LinkedIdentity.objects.create(provider=provider, subject=SUBJECT, user=user)
        email = ""
    elif row.relationship == "unverified_email":
        verified = False
    elif row.relationship == "unknown":
        email = "someone.else@example.org"
    elif row.relationship == "inactive":
        user.is_active = False
        user.save()
    return SignInSituation(user=user, provider=provider, email=email, email_verified=verified)
