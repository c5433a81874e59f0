"""See network/urls.py."""

urlpatterns: list = []
