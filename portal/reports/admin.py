from django.contrib import admin

from .finance.models import CostCategory
from .models import (
    FundingPartner,
    FundingProject,
    Indicator,
    IndicatorMapping,
    ProgrammeIndicator,
)


class IndicatorMappingInline(admin.TabularInline):
    model = IndicatorMapping
    extra = 0
    autocomplete_fields = ["programme_indicator"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name_de", "unit", "computation", "target_total", "programme"]
    list_display_links = ["code"]
    list_filter = ["programme", "computation"]
    search_fields = ["code", "name_de", "name_en", "amif_codes"]
    inlines = [IndicatorMappingInline]


@admin.register(ProgrammeIndicator)
class ProgrammeIndicatorAdmin(admin.ModelAdmin):
    list_display = ["programme", "code", "wording_de", "kind", "to_check"]
    list_filter = ["programme", "kind", "to_check"]
    search_fields = ["code", "wording_de", "wording_en"]


class FundingPartnerInline(admin.TabularInline):
    model = FundingPartner
    extra = 0


@admin.register(FundingProject)
class FundingProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "starts_on", "ends_on", "is_current"]
    list_filter = ["programme", "is_current"]
    inlines = [FundingPartnerInline]


# The cost categories are data; the finances themselves are kept on the portal's pages (expenditures
# are never edited, so they have no admin here).
@admin.register(CostCategory)
class CostCategoryAdmin(admin.ModelAdmin):
    list_display = [
        "position",
        "name",
        "is_flat_rate",
        "flat_rate_percent",
        "flat_rate_base",
        "is_personnel",
        "tolerance_percent",
    ]
    list_display_links = ["name"]
