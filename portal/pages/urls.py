from django.urls import path

from portal.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("meine-behoerde/", views.my_authority, name="my_authority"),
    path("suche/", views.search, name="search"),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("barrierefreiheit/barriere-melden/", views.barrier_report, name="barrier_report"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("health/", views.health, name="health"),
]
