from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from authorities.urls import public_urlpatterns as survey_urlpatterns

urlpatterns = [
    path("", include("portal.pages.urls")),
    path("konto/benachrichtigungen/", include("portal.notifications.urls")),
    path("konto/", include("portal.accounts.urls")),
    path("konto/", include("portal.privacy.urls")),
    path("behoerden/", include("authorities.urls")),
    # The customers' survey: public, anonymous, nothing of the portal but the authority's name.
    path("umfrage/", include((survey_urlpatterns, "survey"))),
    path("schulungen/", include("training.urls")),
    path("netzwerke/", include("network.urls")),
    path("berichte/finanzen/", include("portal.reports.finance.urls")),
    path("berichte/", include("portal.reports.urls")),
    # The language switch sits in the footer of public pages too.
    path("sprache/", login_not_required(set_language), name="set_language"),
    path("verwaltung/", admin.site.urls),
]

# Database or broker down: 503 with a plain page that needs neither (portal/pages/errors.py).
handler500 = "portal.pages.errors.server_error"
