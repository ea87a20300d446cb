"""The fixtures every app's tests share: councils, organisations, a user per role and a
child. Each app's ``tests/conftest.py`` adds its own records (a contact, an episode, a
family) on top; a test module defines a fixture itself only when it needs something
different from these.

The people are Stockton-on-Tees' unless the name says otherwise; usernames follow the demo
sign-ins (``frontdoor.stockton``, ``manager.stockton``, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.test.client import Client as DjangoTestClient

from continuum.accounts.models import Role, User
from continuum.accounts.roles import COUNCIL_CASE_ROLES
from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories

# Roles whose test users work for a council's children's services unless told otherwise;
# anyone else works for a partner organisation serving the council.
COUNCIL_EMPLOYED = COUNCIL_CASE_ROLES | {
    Role.PERFORMANCE_ANALYST,
    Role.STRATEGIC_LEAD,
    Role.SYSTEM_ADMINISTRATOR,
    Role.AUDITOR,
    Role.INFORMATION_GOVERNANCE_LEAD,
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Test users' passwords need not resist attack; hashing them slowly only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    """Each test starts with no API requests counted against its users or its address (the
    limits themselves stay on: see continuum/tests/test_api_rate_limits.py)."""
    from django.core.cache import cache

    cache.clear()
    yield


# --- councils and organisations ------------------------------------------------------------


@pytest.fixture
def stockton(db: Any) -> Council:
    return factories.tees_council("Stockton-on-Tees")


@pytest.fixture
def hartlepool(db: Any) -> Council:
    return factories.tees_council("Hartlepool")


@pytest.fixture
def school(db: Any, stockton: Council) -> Organisation:
    return cast(
        Organisation,
        factories.OrganisationFactory(
            name="Stockton Test Primary School", kind=OrganisationKind.SCHOOL, serves=[stockton]
        ),
    )


@pytest.fixture
def police(db: Any, stockton: Council) -> Organisation:
    """The police force serving Stockton-on-Tees."""
    return factories.police_force(stockton)


# --- users -----------------------------------------------------------------------------------


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    """make_user(role, council=None, organisation=None, **fields) -> a signed-in-able user.

    Council-staff roles default to the council's children's services; other roles to a
    partner organisation serving the council.
    """

    def make(
        role: str,
        *,
        council: Council | None = None,
        organisation: Organisation | None = None,
        **fields: Any,
    ) -> User:
        council = council or factories.tees_council("Stockton-on-Tees")
        if organisation is None:
            if role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
                # The safeguarding partnership, serving the four Tees councils.
                organisation = factories.safeguarding_partnership()
            elif role in COUNCIL_EMPLOYED:
                organisation = factories.council_services(council)
            else:
                organisation = cast(
                    Organisation,
                    factories.OrganisationFactory(
                        name=f"{council.name} Partner Agency",
                        kind=OrganisationKind.VOLUNTARY,
                        serves=[council],
                    ),
                )
        return cast(User, factories.UserFactory(role=role, organisation=organisation, **fields))

    return make


@pytest.fixture
def worker(make_user: Callable[..., User], stockton: Council) -> User:
    """A front-door worker of Stockton's children's services."""
    return make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="frontdoor.stockton")


@pytest.fixture
def manager(make_user: Callable[..., User], stockton: Council) -> User:
    """A team manager of Stockton's children's services."""
    return make_user(Role.TEAM_MANAGER, council=stockton, username="manager.stockton")


@pytest.fixture
def hartlepool_manager(make_user: Callable[..., User], hartlepool: Council) -> User:
    """A team manager of Hartlepool's children's services (another council)."""
    return make_user(Role.TEAM_MANAGER, council=hartlepool, username="manager.hartlepool")


@pytest.fixture
def eh_worker(make_user: Callable[..., User], stockton: Council) -> User:
    """An early help practitioner employed by Stockton's children's services."""
    return make_user(Role.EARLY_HELP_PRACTITIONER, council=stockton, username="ehworker.stockton")


@pytest.fixture
def analyst(make_user: Callable[..., User], stockton: Council) -> User:
    """A performance analyst of Stockton's children's services: numbers, never names."""
    return make_user(Role.PERFORMANCE_ANALYST, council=stockton, username="analyst.stockton")


@pytest.fixture
def teacher(make_user: Callable[..., User], school: Organisation) -> User:
    """A school's designated safeguarding lead (a partner practitioner)."""
    return make_user(
        Role.PARTNER_PRACTITIONER,
        organisation=school,
        username="school.stockton",
        job_title="Designated safeguarding lead",
    )


@pytest.fixture
def officer(make_user: Callable[..., User], police: Organisation) -> User:
    """A police officer (a partner practitioner) of the force serving Stockton."""
    return make_user(
        Role.PARTNER_PRACTITIONER,
        organisation=police,
        username="police.cleveland",
        job_title="Police constable",
    )


@pytest.fixture
def ig_lead(make_user: Callable[..., User], stockton: Council) -> User:
    """Stockton's information governance lead."""
    return make_user(Role.INFORMATION_GOVERNANCE_LEAD, council=stockton, username="ig.stockton")


@pytest.fixture
def hartlepool_ig_lead(make_user: Callable[..., User], hartlepool: Council) -> User:
    """Hartlepool's information governance lead (another council)."""
    return make_user(Role.INFORMATION_GOVERNANCE_LEAD, council=hartlepool, username="ig.hartlepool")


# --- people ----------------------------------------------------------------------------------


@pytest.fixture
def child(stockton: Council) -> Person:
    """A child whose record Stockton holds."""
    return cast(Person, factories.PersonFactory(council=stockton, kind=PersonKind.CHILD))


# Tests that read the one demo world (built once, in a package-scoped fixture).
DEMO_WORLD_TESTS = "continuum/demo/tests/world/"


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``-n`` (and the default ``--dist load``): every test is scheduled on its own,
    as ``load`` does, but the tests that read the demo world go to one worker as one unit
    and run one after another, so the world is built once in the session rather than once
    per worker or per module. (xdist's own ``loadgroup`` cannot do this under pytest 9: the
    group it appends to a test's id is lost.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class DemoWorldTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return DEMO_WORLD_TESTS if nodeid.startswith(DEMO_WORLD_TESTS) else nodeid

    return DemoWorldTogether(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A transactional test must restore the data migrations seeded (the threshold
    framework, outcome areas): its flush would otherwise empty them for the tests after it,
    and recreate content types under new ids that break the next restore."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True)"
            )


# --- the second factor (issue 10) ----------------------------------------------------------
# ``client.force_login(user)`` stands for a user fully signed in: password *and* second
# factor. Tests of the second factor itself sign in through the sign-in form, which leaves
# a session that has passed the password only.
_login_without_second_factor = DjangoTestClient._login  # type: ignore[attr-defined]


def _login_with_second_factor(self: Any, user: Any, backend: Any = None) -> None:
    _login_without_second_factor(self, user, backend)
    session = self.session
    session[SECOND_FACTOR_SESSION_KEY] = "test-client"
    session.save()


DjangoTestClient._login = _login_with_second_factor  # type: ignore[attr-defined]


# --- one migrated test database per run (issue 16) -----------------------------------------
# With ``-n 2`` on PostgreSQL the migrations run once, for a template database, and each
# worker's database is cloned from it (continuum/testing/database.py) instead of every worker
# migrating its own from zero; and each ``serialized_rollback`` test restores the migrations'
# rows a table at a time.


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, request: pytest.FixtureRequest
) -> None:
    from continuum.testing import database

    worker = database.worker_settings(request.config)
    if worker and database.is_postgresql() and not request.config.getvalue("reuse_db"):
        database.clone_from_template("default", *worker)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """pytest-django's test databases, whose transactional tests empty only the tables that
    hold rows afterwards and restore the migrations' rows many to an ``INSERT``
    (continuum/testing/database.py), rather than truncating every table and restoring one
    row at a time."""
    from continuum.testing import database

    database.restore_serialized_faster()
    database.empty_tables_faster()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In the xdist controller: drop the run's template database."""
    config = session.config
    if getattr(config, "workerinput", None) is not None:
        return
    if not config.pluginmanager.has_plugin("dsession") or config.getvalue("reuse_db"):
        return
    from pytest_django.plugin import blocking_manager_key

    from continuum.testing import database

    if not database.is_postgresql():
        return
    with config.stash[blocking_manager_key].unblock():
        database.drop_template()
