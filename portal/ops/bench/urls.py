"""The product's URLs plus the two floors under /bench/ (never part of portal/urls.py)."""

from django.urls import path

from portal.ops.bench import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/constant/", views.constant, name="bench_constant"),
    path("bench/rows/", views.rows, name="bench_rows"),
    path("bench/signed-in/", views.signed_in, name="bench_signed_in"),
    path("bench/layout/", views.layout, name="bench_layout"),
    *portal_urlpatterns,
]
