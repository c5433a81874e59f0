from django.urls import path

from portal.privacy import views

app_name = "privacy"

urlpatterns = [
    path("meine-daten/", views.own_data_export, name="export"),
    path("konten/<id:pk>/loeschen/", views.person_erase, name="erase"),
    path("sicherheitsprotokoll/", views.security_log, name="security_log"),
]
