from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, who sees it): one list, so that navigation and permissions are read in one place.
NAVIGATION = [
    (_("Start"), "pages:home", lambda user: True),
    (_("Ausländerbehörden"), "authorities:list", lambda user: not user.is_authority_staff),
    (_("Meine Behörde"), "pages:my_authority", lambda user: user.is_authority_staff),
    (_("Konten"), "accounts:user_list", lambda user: user.is_project_staff or user.is_coordinator),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_navigation": [], "operator": settings.PORTAL_OPERATOR}
    path = request.path
    items = []
    for label, name, visible in NAVIGATION:
        if visible(user):
            url = reverse(name)
            current = path == url if url == "/" else path.startswith(url)
            items.append({"label": label, "url": url, "current": current})
    return {"main_navigation": items, "operator": settings.PORTAL_OPERATOR}
