from django.urls import path

from portal.reports.views import definitions, indicators, periods, versions

app_name = "reports"

urlpatterns = [
    # periods and the narrative of their reports
    path("zeitraeume/", periods.periods, name="periods"),
    path("zeitraeume/neu/", periods.period_create, name="period_create"),
    path("zeitraeume/<id:pk>/bearbeiten/", periods.period_edit, name="period_edit"),
    path("zeitraeume/<id:pk>/loeschen/", periods.period_delete, name="period_delete"),
    path("zeitraeume/<id:pk>/bericht/", periods.narrative, name="narrative"),
    # the indicator table and its exports
    path("indikatoren/", indicators.indicators, name="indicators"),
    path("indikatoren/export.csv", indicators.indicators_csv, name="indicators_csv"),
    path("indikatoren/export.xlsx", indicators.indicators_xlsx, name="indicators_xlsx"),
    # versions of the report PDF
    path("", versions.index, name="index"),
    path("zeitraeume/<id:pk>/versionen/neu/", versions.version_create, name="version_create"),
    path("versionen/<id:pk>/status/", versions.version_status, name="version_status"),
    path("versionen/<id:pk>/freigeben/", versions.version_release, name="version_release"),
    path("versionen/<id:pk>/zurueckziehen/", versions.version_withdraw, name="version_withdraw"),
    path("versionen/<id:pk>/pdf/", versions.version_download, name="version_download"),
    # the indicators' definitions
    path("indikatoren/verwalten/", definitions.indicator_list, name="indicator_list"),
    path("indikatoren/verwalten/neu/", definitions.indicator_edit, name="indicator_create"),
    path("indikatoren/verwalten/<id:pk>/", definitions.indicator_edit, name="indicator_edit"),
]
