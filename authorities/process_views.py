"""See authorities/urls.py."""

urlpatterns: list = []
