from django.contrib import admin

from continuum.organisations.models import Council, Locality, Organisation, Team


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "dfe_la_code", "ons_code", "child_population", "front_door_phone"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "council"]
    list_filter = ["kind", "serves"]
    search_fields = ["name"]
    filter_horizontal = ["serves"]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "council"]
    list_filter = ["council"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "locality", "joint_triage"]
    list_filter = ["organisation__kind", "joint_triage"]
    search_fields = ["name"]
