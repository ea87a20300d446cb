from django.contrib import admin

from continuum.early_help.models import EarlyHelpSettings


@admin.register(EarlyHelpSettings)
class EarlyHelpSettingsAdmin(admin.ModelAdmin):
    """A council's early help settings: its timescales, the caseload norm the allocation
    picker and the capacity dashboard compare caseloads with, and whether closing an episode
    needs a team manager's sign-off (on by default)."""

    list_display = [
        "council",
        "assessment_working_days",
        "review_interval_weeks",
        "allocation_target_working_days",
        "caseload_norm",
        "closure_needs_sign_off",
    ]
