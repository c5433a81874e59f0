"""The training app's models, one module per sub-area: courses (with enrollments and attendance),
feedback, documents. Every model is named here too, so `from training.models import Course` works
for every caller; the migrations name the upload functions under this path."""

from training.models.courses import (
    ACTIVE_SEAT_STATUSES,
    Attendance,
    Course,
    CourseDate,
    CourseFormat,
    CourseQuerySet,
    CourseStatus,
    Enrollment,
    EnrollmentMode,
    EnrollmentQuerySet,
    EnrollmentStatus,
    OpenTo,
    Topic,
)
from training.models.documents import (
    CalendarToken,
    Certificate,
    SignInSheet,
    certificate_upload_to,
    sign_in_sheet_upload_to,
)
from training.models.feedback import Feedback, FollowUpAnswer, UsesLearning

__all__ = [
    "ACTIVE_SEAT_STATUSES",
    "Attendance",
    "CalendarToken",
    "Certificate",
    "Course",
    "CourseDate",
    "CourseFormat",
    "CourseQuerySet",
    "CourseStatus",
    "Enrollment",
    "EnrollmentMode",
    "EnrollmentQuerySet",
    "EnrollmentStatus",
    "Feedback",
    "FollowUpAnswer",
    "OpenTo",
    "SignInSheet",
    "Topic",
    "UsesLearning",
    "certificate_upload_to",
    "sign_in_sheet_upload_to",
]
