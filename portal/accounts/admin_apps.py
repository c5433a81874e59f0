from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The admin (/verwaltung/) with the portal's site: login through the portal, second factor required."""

    default_site = "portal.accounts.admin_site.PortalAdminSite"
