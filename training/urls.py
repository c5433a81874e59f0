from django.urls import path

from training import document_views, views

app_name = "training"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("meine/", views.my_trainings, name="mine"),
    path("neu/", views.course_create, name="create"),
    path("themen/", views.topics, name="topics"),
    path("<int:pk>/", views.course_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.course_edit, name="edit"),
    path("<int:pk>/veroeffentlichen/", views.course_publish, name="publish"),
    path("<int:pk>/kopieren/", views.course_duplicate, name="duplicate"),
    path("<int:pk>/absagen/", views.course_cancel, name="cancel"),
    path("<int:pk>/anmelden/", views.enroll, name="enroll"),
    path("<int:pk>/teilnehmende/", views.participants, name="participants"),
    path("<int:pk>/teilnehmende/export.csv", views.participants_csv, name="participants_csv"),
    path("<int:pk>/anwesenheit/<int:date_pk>/", views.attendance, name="attendance"),
    path("<int:pk>/rueckmeldungen/", views.feedback_results, name="feedback_results"),
    path("anmeldungen/<int:enrollment_pk>/stornieren/", views.enrollment_cancel, name="enrollment_cancel"),
    path("anmeldungen/<int:enrollment_pk>/bestaetigen/", views.enrollment_confirm, name="enrollment_confirm"),
    path("anmeldungen/<int:enrollment_pk>/rueckmeldung/", views.feedback, name="feedback"),
    path("anmeldungen/<int:enrollment_pk>/nachfrage/", views.follow_up, name="follow_up"),
    *document_views.urlpatterns,
]
