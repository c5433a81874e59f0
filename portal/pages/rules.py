"""Who may use the pages of the top layer that are not an app's own: the global search."""

from portal.accounts.models import User


def may_search_everything(user: User) -> bool:
    """The search across authorities, people, courses, meetings, discussions and the library (`/suche/`)
    and its field in the header: project staff only, who may see every object it finds."""
    return user.is_project_staff
