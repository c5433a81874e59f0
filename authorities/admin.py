from django.contrib import admin

from authorities.models.registry import Authority, ContactPerson, HistoryEntry
from authorities.models.survey import SurveyItem, SurveyItemText, SurveyQuestionnaire


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
    readonly_fields = ["authority", "actor", "at", "action", "subject", "changes", "reason"]

    def has_add_permission(self, request):
        # The history is written by the services; an entry added by hand had no authority (a 500).
        return False


# --- the customer survey's questionnaire: data project staff maintain (answers are not listed here) ---


class SurveyItemInline(admin.TabularInline):
    model = SurveyItem
    extra = 0
    fields = ["position", "code", "kind", "dimension", "required"]


@admin.register(SurveyQuestionnaire)
class SurveyQuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "code"]
    inlines = [SurveyItemInline]


class SurveyItemTextInline(admin.TabularInline):
    model = SurveyItemText
    extra = 0
    fields = ["language", "text", "options", "unchecked"]


@admin.register(SurveyItem)
class SurveyItemAdmin(admin.ModelAdmin):
    """Texts per language; "ungeprüft" until a native speaker confirmed the translation."""

    list_display = ["code", "questionnaire", "kind", "dimension", "position"]
    list_filter = ["questionnaire", "kind", "texts__unchecked"]
    inlines = [SurveyItemTextInline]
