from django.contrib import admin

from training.models import Course, CourseDate, Enrollment, Feedback, Topic


class CourseDateInline(admin.TabularInline):
    model = CourseDate
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "format", "status", "capacity", "open_to"]
    list_filter = ["status", "topic", "format", "open_to"]
    search_fields = ["title"]
    inlines = [CourseDateInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["course", "participant", "status", "waitlist_position", "created_at"]
    list_filter = ["status"]
    list_select_related = ["course", "participant"]
    raw_id_fields = ["course", "participant", "enrolled_by", "cancelled_by"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "usefulness", "submitted_at"]
    raw_id_fields = ["enrollment"]
