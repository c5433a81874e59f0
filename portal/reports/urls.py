from django.urls import path

from portal.reports import views_definitions, views_indicators, views_periods, views_versions

app_name = "reports"

urlpatterns = [
    path("zeitraeume/", views_periods.periods, name="periods"),
    path("zeitraeume/neu/", views_periods.period_create, name="period_create"),
    path("zeitraeume/<id:pk>/bearbeiten/", views_periods.period_edit, name="period_edit"),
    path("zeitraeume/<id:pk>/bericht/", views_periods.narrative, name="narrative"),
    *views_indicators.urlpatterns,
    *views_versions.urlpatterns,
    *views_definitions.urlpatterns,
]
