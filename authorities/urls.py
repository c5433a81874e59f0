from django.urls import path

from authorities import assessment_views, overview_views, process_views, views

app_name = "authorities"

urlpatterns = [
    path("", views.authority_list, name="list"),
    path("export.csv", views.authority_export, name="export"),
    path("neu/", views.authority_create, name="create"),
    path("<id:pk>/", views.authority_detail, name="detail"),
    path("<id:pk>/bearbeiten/", views.authority_edit, name="edit"),
    path("<id:pk>/status/", views.authority_status, name="status"),
    path("<id:pk>/ansprechpersonen/neu/", views.contact_create, name="contact_create"),
    path("<id:pk>/ansprechpersonen/<id:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("<id:pk>/ansprechpersonen/<id:contact_pk>/entfernen/", views.contact_delete, name="contact_delete"),
    *process_views.urlpatterns,
    *assessment_views.urlpatterns,
    *overview_views.urlpatterns,
]
