"""Users: each belongs to one organisation, some teams, and has one role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from continuum.accounts import recovery_codes
from continuum.organisations.models import Council, Organisation, Team
from continuum.ui.dates import govuk_date


class Role(models.TextChoices):
    FRONT_DOOR_WORKER = "front_door_worker", "Front-door worker"
    EARLY_HELP_PRACTITIONER = "early_help_practitioner", "Early help practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    PARTNER_PRACTITIONER = "partner_practitioner", "Partner practitioner"
    AUDITOR = "auditor", "Auditor"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    STRATEGIC_LEAD = "strategic_lead", "Strategic lead"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    INFORMATION_GOVERNANCE_LEAD = "information_governance_lead", "Information governance lead"
    SAFEGUARDING_PARTNERSHIP_LEAD = (
        "safeguarding_partnership_lead",
        "Safeguarding partnership lead",
    )


class User(AbstractUser):  # type: ignore[django-manager-missing]  # RecoveryCodes.user
    """A person who signs in. ``role`` is blank for an account that has no role yet."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # Demo accounts sign in with the shared demo password, and only in demo mode.
    is_demo_account = models.BooleanField(default=False, editable=False)
    # Raised to end every session of the user at once (``accounts.sessions``): part of the
    # hash each session keeps, which Django checks on every request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's hash of the password, which every session keeps and Django compares on
        each request, with the session generation in it once raised: raising it ends every
        session of the user (sessions made before any raise keep Django's own hash)."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "continuum.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def council(self) -> Council | None:
        """The council whose children's services employ this user, if any."""
        if self.organisation_id is None or self.organisation is None:
            return None
        return self.organisation.council


class SignInThrottle(models.Model):
    """One throttled key: an account, an address, or an account from one address.

    ``attempts`` holds the times (epoch seconds) of the attempts charged within the
    window, oldest first, at most a limit's worth; the row is locked (SELECT ... FOR
    UPDATE) while an attempt is charged, so concurrent attempts are counted one by one
    before any password is checked. Never a password.
    """

    key = models.CharField(max_length=400, unique=True)
    attempts = models.JSONField(default=list)
    locked_until = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class AccountChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second administrator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class AccountChange(models.Model):
    """A change to who a user is in Continuum (their role, organisation, teams or
    administrator status), asked for by one administrator and applied only when a second
    approves (``accounts.account_changes``). Kept for good, decided or not: the history of
    every such change, with who asked, when, the account before and after, and who decided.

    ``before`` and ``after`` hold the governed fields by name, related records by id.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_changes")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    before = models.JSONField()
    after = models.JSONField()
    status = models.CharField(
        max_length=20, choices=AccountChangeStatus.choices, default=AccountChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_account_change_per_user",
            )
        ]

    def __str__(self) -> str:
        asked_on = govuk_date(self.requested_at, "short")
        return f"Change to {self.user} asked by {self.requested_by} on {asked_on}"


class SecondFactorReset(models.Model):
    """One administrator's request to remove every second factor of a user (who then sets
    one up again at their next sign-in), and another administrator's decision on it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_resets")
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="second_factor_resets_requested"
    )
    reason = models.TextField()
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_factor_resets_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Second-factor reset for {self.user} asked by {self.requested_by}"


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A user's single-use recovery codes, as a django-otp device: the codes themselves are
    kept only as salted hashes (``RecoveryCode``, ``accounts.recovery_codes``), each deleted
    as it is used. django-otp slows repeated wrong codes on the device."""

    class Meta(Device.Meta):
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def verify_token(self, token: str) -> bool:
        """Uses up the code if it is one of these (the device should be locked by the
        caller, so one code cannot pass twice at once)."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = next(
            (c for c in self.codes.order_by("pk") if recovery_codes.matches(token, c.digest)),
            None,
        )
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    """One unused recovery code: never the code, only its salted hash."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"A recovery code of {self.device.user}"
