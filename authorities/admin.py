from django.contrib import admin

from authorities.models.registry import Authority, ContactPerson, HistoryEntry


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "state", "ags", "participation_status"]
    list_filter = ["state", "kind", "participation_status"]
    search_fields = ["name", "ags", "seat"]
    # The status is a dated fact (StatusChange) that only its service writes: the funders' figures read it.
    readonly_fields = ["participation_status", "status_changed_on"]
    inlines = [ContactPersonInline]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "authority", "action", "subject", "actor"]
    list_select_related = ["authority", "actor"]
    readonly_fields = ["authority", "actor", "at", "action", "subject", "changes"]

    def has_add_permission(self, request):
        # The history is written by the services; an entry added by hand had no authority (a 500).
        return False
