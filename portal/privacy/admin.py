from django.contrib import admin

from portal.privacy.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read only: the log is written by the portal, never by hand."""

    list_display = ["at", "kind", "user_ref", "email", "ip", "path"]
    list_filter = ["kind"]
    search_fields = ["email", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
