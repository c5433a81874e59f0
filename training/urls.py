from django.urls import path

from training import document_views, views

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("meine/", views.my_trainings, name="mine"),
    path("neu/", views.course_create, name="create"),
    path("themen/", views.topics, name="topics"),
    path("<id:pk>/", views.course_detail, name="detail"),
    path("<id:pk>/bearbeiten/", views.course_edit, name="edit"),
    path("<id:pk>/veroeffentlichen/", views.course_publish, name="publish"),
    path("<id:pk>/kopieren/", views.course_duplicate, name="duplicate"),
    path("<id:pk>/absagen/", views.course_cancel, name="cancel"),
    path("<id:pk>/anmelden/", views.enroll, name="enroll"),
    path("<id:pk>/teilnehmende/", views.participants, name="participants"),
    path("<id:pk>/teilnehmende/export.csv", views.participants_csv, name="participants_csv"),
    path("<id:pk>/anwesenheit/<id:date_pk>/", views.attendance, name="attendance"),
    path("<id:pk>/rueckmeldungen/", views.feedback_results, name="feedback_results"),
    path("anmeldungen/<id:enrollment_pk>/stornieren/", views.enrollment_cancel, name="enrollment_cancel"),
    path("anmeldungen/<id:enrollment_pk>/korrigieren/", views.enrollment_correct, name="enrollment_correct"),
    path("anmeldungen/<id:enrollment_pk>/bestaetigen/", views.enrollment_confirm, name="enrollment_confirm"),
    path("anmeldungen/<id:enrollment_pk>/rueckmeldung/", views.feedback, name="feedback"),
    path("anmeldungen/<id:enrollment_pk>/nachfrage/", views.follow_up, name="follow_up"),
    *document_views.urlpatterns,
]
