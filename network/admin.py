from django.contrib import admin

from network.models.meetings import Meeting, MeetingRegistration, Minutes, MinutesItem
from network.models.networks import Network


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "created_at"]
    list_filter = ["scope"]
    search_fields = ["name"]
    filter_horizontal = ["members", "moderators"]


class MeetingRegistrationInline(admin.TabularInline):
    model = MeetingRegistration
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "starts_at", "capacity", "registration_deadline"]
    list_filter = ["kind", "network"]
    list_select_related = ["network"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    inlines = [MeetingRegistrationInline]


class MinutesItemInline(admin.TabularInline):
    model = MinutesItem
    extra = 0


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "published_at"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "published_by"]
    inlines = [MinutesItemInline]
