from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from portal.accounts import services
from portal.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "authority", "is_coordinator", "is_active"]
    list_filter = ["role", "is_coordinator", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["authority"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Rolle"), {"fields": ["role", "authority", "is_coordinator"]}),
        (_("Rechte"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "authority", "password1", "password2"]})
    ]
    actions = ["deactivate", "erase"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Deactivated: the person is logged out everywhere at once.
            services.sessions_end(obj)

    @admin.action(description=_("Ausgewählte Konten deaktivieren (und abmelden)"), permissions=["change"])
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True):
            services.user_deactivate(user=user)

    @admin.action(description=_("Personenbezogene Daten löschen (DSGVO) …"), permissions=["change"])
    def erase(self, request, queryset):
        # The erasure has its own confirmation page with the warning; one person at a time.
        if queryset.count() != 1:
            self.message_user(request, _("Bitte wählen Sie genau ein Konto aus."), messages.ERROR)
            return None
        return redirect("privacy:erase", queryset.get().pk)
