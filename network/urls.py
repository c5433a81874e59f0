from django.urls import path

from network.views import discussions, library, meetings, networks

app_name = "network"

MEETING = "<id:pk>/treffen/<id:meeting_pk>/"
THREAD = "<id:pk>/diskussionen/<id:thread_pk>/"
POST = THREAD + "beitraege/<id:post_pk>/"
ITEM = MEETING + "protokoll/<id:item_pk>/"

urlpatterns = [
    # networks
    path("", networks.network_list, name="list"),
    path("neu/", networks.network_create, name="create"),
    path("<id:pk>/", networks.network_detail, name="detail"),
    path("<id:pk>/bearbeiten/", networks.network_edit, name="edit"),
    # meetings, registrations, a message to the registered, attendance, minutes
    path("<id:pk>/treffen/neu/", meetings.meeting_create, name="meeting_create"),
    path(MEETING, meetings.meeting_detail, name="meeting"),
    path(MEETING + "bearbeiten/", meetings.meeting_edit, name="meeting_edit"),
    path(MEETING + "anmelden/", meetings.meeting_register, name="meeting_register"),
    path(MEETING + "abmelden/<id:registration_pk>/", meetings.meeting_unregister, name="meeting_unregister"),
    path(
        MEETING + "abmelden/<id:registration_pk>/korrigieren/",
        meetings.meeting_registration_correct,
        name="meeting_registration_correct",
    ),
    path(MEETING + "kalender.ics", meetings.meeting_ics, name="meeting_ics"),
    path(MEETING + "nachricht/", meetings.meeting_message, name="meeting_message"),
    path(MEETING + "anwesenheit/", meetings.meeting_attendance, name="meeting_attendance"),
    path(MEETING + "protokoll/", meetings.minutes_edit, name="minutes"),
    path(MEETING + "protokoll/veroeffentlichen/", meetings.minutes_publish, name="minutes_publish"),
    path(ITEM + "bearbeiten/", meetings.minutes_item_edit, name="minutes_item_edit"),
    path(ITEM + "loeschen/", meetings.minutes_item_delete, name="minutes_item_delete"),
    path(ITEM + "erledigt/", meetings.task_done, name="task_done"),
    # discussions
    path("<id:pk>/diskussionen/", discussions.threads, name="threads"),
    path("<id:pk>/diskussionen/neu/", discussions.thread_create, name="thread_create"),
    path("<id:pk>/diskussionen/folgen/", discussions.network_follow, name="network_follow"),
    path(THREAD, discussions.thread_detail, name="thread"),
    path(THREAD + "antworten/", discussions.reply, name="reply"),
    path(THREAD + "schliessen/", discussions.thread_lock, name="thread_lock"),
    path(THREAD + "anheften/", discussions.thread_pin, name="thread_pin"),
    path(THREAD + "folgen/", discussions.thread_follow, name="thread_follow"),
    path(POST + "bearbeiten/", discussions.post_edit, name="post_edit"),
    path(POST + "loeschen/", discussions.post_delete, name="post_delete"),
    path(POST + "ausblenden/", discussions.post_hide, name="post_hide"),
    # library
    path("bibliothek/", library.document_list, name="library"),
    path("bibliothek/neu/", library.document_create, name="document_create"),
    path("bibliothek/<id:pk>/", library.document_detail, name="document"),
    path("bibliothek/<id:pk>/download/", library.document_download, name="document_download"),
    path("bibliothek/<id:pk>/bearbeiten/", library.document_edit, name="document_edit"),
    path("bibliothek/<id:pk>/loeschen/", library.document_delete, name="document_delete"),
]
