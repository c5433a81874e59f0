from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from training.models import Course, CourseDate, Enrollment, Feedback, FollowUpAnswer, Topic


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


class AnonymousAnswerAdmin(admin.ModelAdmin):
    """Answers are shown without the person who gave them, here as on the results page: the course,
    the rating and the free text, never the enrollment (its name is the participant's). Read only:
    the answers are the participants' own."""

    list_select_related = ["enrollment__course"]
    list_filter = ["enrollment__course"]

    @admin.display(description=_("Schulung"), ordering="enrollment__course__title")
    def course(self, obj):
        return obj.enrollment.course.title

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(AnonymousAnswerAdmin):
    list_display = ["course", "usefulness", "submitted_at"]
    fields = readonly_fields = ("course", "usefulness", "will_apply", "comments", "submitted_at")


@admin.register(FollowUpAnswer)
class FollowUpAnswerAdmin(AnonymousAnswerAdmin):
    list_display = ["course", "uses_learning", "answered_at"]
    fields = readonly_fields = ("course", "uses_learning", "example", "answered_at")
