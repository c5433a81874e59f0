from django.contrib import admin

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name_de", "unit", "computation", "target_total", "amif_codes"]
    list_display_links = ["code"]
    list_filter = ["funding_period", "computation"]
    search_fields = ["code", "name_de", "name_en", "amif_codes"]
