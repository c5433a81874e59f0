from django.urls import path

from training.views import courses, documents, enrollments, feedback

app_name = "training"

ENROLLMENT = "anmeldungen/<id:enrollment_pk>/"
DATE = "<id:pk>/termine/<id:date_pk>/"

urlpatterns = [
    # courses: catalogue, course page, the course form, topics, publish, copy, cancel
    path("", courses.catalogue, name="catalogue"),
    path("neu/", courses.course_create, name="create"),
    path("themen/", courses.topics, name="topics"),
    path("<id:pk>/", courses.course_detail, name="detail"),
    path("<id:pk>/bearbeiten/", courses.course_edit, name="edit"),
    path("<id:pk>/veroeffentlichen/", courses.course_publish, name="publish"),
    path("<id:pk>/kopieren/", courses.course_duplicate, name="duplicate"),
    path("<id:pk>/absagen/", courses.course_cancel, name="cancel"),
    # enrollments: enrol, cancel, correct, confirm, participants (list, message, exports), attendance,
    # "Meine Schulungen"
    path("meine/", enrollments.my_trainings, name="mine"),
    path("<id:pk>/anmelden/", enrollments.enroll, name="enroll"),
    path("<id:pk>/teilnehmende/", enrollments.participants, name="participants"),
    path("<id:pk>/teilnehmende/export.csv", enrollments.participants_csv, name="participants_csv"),
    path("<id:pk>/teilnehmende/nachricht/", enrollments.participants_message, name="participants_message"),
    path("<id:pk>/anwesenheit/<id:date_pk>/", enrollments.attendance, name="attendance"),
    path(ENROLLMENT + "stornieren/", enrollments.enrollment_cancel, name="enrollment_cancel"),
    path(ENROLLMENT + "korrigieren/", enrollments.enrollment_correct, name="enrollment_correct"),
    path(ENROLLMENT + "bestaetigen/", enrollments.enrollment_confirm, name="enrollment_confirm"),
    # feedback
    path("<id:pk>/rueckmeldungen/", feedback.feedback_results, name="feedback_results"),
    path(ENROLLMENT + "rueckmeldung/", feedback.feedback, name="feedback"),
    path(ENROLLMENT + "nachfrage/", feedback.follow_up, name="follow_up"),
    # documents: calendar files, certificates, sign-in sheets, spreadsheets
    path("<id:pk>/kalender.ics", documents.course_ics, name="course_ics"),
    path("kalender/", documents.calendar_settings, name="calendar_settings"),
    path("kalender/<slug:token>.ics", documents.calendar_feed, name="calendar_feed"),
    path("<id:pk>/dokumente/", documents.course_documents, name="documents"),
    path("<id:pk>/bescheinigungen/ausstellen/", documents.certificates_issue, name="certificates_issue"),
    path(ENROLLMENT + "teilnahmebescheinigung.pdf", documents.certificate, name="certificate"),
    path(DATE + "unterschriftenliste/", documents.sign_in_sheet_request, name="sign_in_sheet_request"),
    path(DATE + "unterschriftenliste.pdf", documents.sign_in_sheet, name="sign_in_sheet"),
    path("<id:pk>/teilnehmende/export.xlsx", documents.participants_xlsx, name="participants_xlsx"),
]
