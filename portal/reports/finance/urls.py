from django.urls import include, path

from portal.reports.finance import views

app_name = "finance"

# The same pages for the current funding project and, under projekt/<id>/, for any other one
# (links.finance_url picks the address).
pages = [
    path("", views.overview, name="overview"),
    path("export.csv", views.overview_csv, name="overview_csv"),
    path("export.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("plan/", views.plan, name="plan"),
    path("plan/quellen/neu/", views.source_edit, name="source_create"),
    path("plan/quellen/<id:pk>/", views.source_edit, name="source_edit"),
    path("plan/arbeitspakete/neu/", views.work_package_edit, name="work_package_create"),
    path("plan/arbeitspakete/<id:pk>/", views.work_package_edit, name="work_package_edit"),
    path("belege/", views.expenditures, name="expenditures"),
    path("belege/neu/", views.expenditure_create, name="expenditure_create"),
    path("belege/export.xlsx", views.expenditures_xlsx, name="expenditures_xlsx"),
    path("belege/<id:pk>/stornieren/", views.expenditure_reverse, name="expenditure_reverse"),
    path("belege/<id:pk>/datei/", views.expenditure_receipt, name="expenditure_receipt"),
    path("mittel/", views.receipts, name="receipts"),
    path("verlauf/", views.history, name="history"),
]

urlpatterns = [
    path("", include(pages)),
    path("projekt/<id:project_pk>/", include(pages)),
]
