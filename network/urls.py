from network.views import discussions, library, meetings

app_name = "network"

# Each part of the app brings its own routes: networks and meetings, discussions, the library.
urlpatterns = [*meetings.urlpatterns, *discussions.urlpatterns, *library.urlpatterns]
