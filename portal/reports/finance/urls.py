from django.urls import path

from portal.reports.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.overview_csv, name="overview_csv"),
    path("export.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("plan/", views.plan, name="plan"),
    path("plan/quellen/neu/", views.source_edit, name="source_create"),
    path("plan/quellen/<id:pk>/", views.source_edit, name="source_edit"),
    path("belege/", views.expenditures, name="expenditures"),
    path("belege/neu/", views.expenditure_create, name="expenditure_create"),
    path("belege/export.xlsx", views.expenditures_xlsx, name="expenditures_xlsx"),
    path("belege/<id:pk>/stornieren/", views.expenditure_reverse, name="expenditure_reverse"),
    path("belege/<id:pk>/datei/", views.expenditure_receipt, name="expenditure_receipt"),
    path("mittel/", views.receipts, name="receipts"),
    path("verlauf/", views.history, name="history"),
]
