from django.urls import path

from portal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="settings"),
    path("fehlgeschlagen/", views.failed, name="failed"),
    path("fehlgeschlagen/<id:pk>/erneut-senden/", views.resend, name="resend"),
]
