from django.contrib import admin

from .models import FundingPartner, FundingProject, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name_de", "unit", "computation", "target_total", "amif_codes"]
    list_display_links = ["code"]
    list_filter = ["funding_period", "computation"]
    search_fields = ["code", "name_de", "name_en", "amif_codes"]


class FundingPartnerInline(admin.TabularInline):
    model = FundingPartner
    extra = 0


@admin.register(FundingProject)
class FundingProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "starts_on", "ends_on", "is_current"]
    list_filter = ["programme", "is_current"]
    inlines = [FundingPartnerInline]
