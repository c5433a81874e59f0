"""Who may do what in the trainings, and the one helper per object that fetches it for a user.

Views, services, tasks and templates ask these functions; a second copy of a rule is the bug that is
about to happen. A scope helper (`<object>_for(user, pk)`) answers 404 for an object the user may
not see, as everywhere in the portal.
"""

from django.shortcuts import get_object_or_404

from training.models import Course, Enrollment


def course_for(user, pk) -> Course:
    return get_object_or_404(Course.objects.visible_to(user), pk=pk)


def enrollment_for(user, pk) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.visible_to(user).select_related("course", "participant"), pk=pk
    )
