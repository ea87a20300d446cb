from django.contrib import admin

from continuum.performance.models import ChildPopulation


@admin.register(ChildPopulation)
class ChildPopulationAdmin(admin.ModelAdmin):
    list_display = ["council", "mid_year", "age_band", "children", "source"]
    list_filter = ["council", "mid_year"]
