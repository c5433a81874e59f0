"""After the course: the participant's feedback and follow-up answer, the results for project staff."""

from django.contrib import messages
from django.db.models import Avg, Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import form_errors
from portal.permissions import rule_required
from training import rules
from training.forms import FeedbackForm, FollowUpForm
from training.models import Feedback, FollowUpAnswer
from training.services import feedback as services


def feedback(request, enrollment_pk):
    enrollment = rules.own_attended_enrollment_for(request.user, enrollment_pk)
    existing = Feedback.objects.filter(enrollment=enrollment).first()
    initial = (
        {"usefulness": existing.usefulness, "will_apply": existing.will_apply, "comments": existing.comments}
        if existing
        else None
    )
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.feedback_submit(enrollment=enrollment, by=request.user, **form.cleaned_data)
            messages.success(request, _("Vielen Dank für Ihre Rückmeldung."))
            return redirect("training:mine")
    return render(
        request,
        "training/feedback.html",
        {"form": form, "enrollment": enrollment, "course": enrollment.course},
    )


def follow_up(request, enrollment_pk):
    enrollment = rules.own_attended_enrollment_for(request.user, enrollment_pk)
    existing = FollowUpAnswer.objects.filter(enrollment=enrollment).first()
    initial = {"uses_learning": existing.uses_learning, "example": existing.example} if existing else None
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.follow_up_submit(enrollment=enrollment, by=request.user, **form.cleaned_data)
            messages.success(request, _("Vielen Dank für Ihre Antwort."))
            return redirect("training:mine")
    return render(request, "training/follow_up.html", {"form": form, "course": enrollment.course})


@rule_required(rules.may_manage_courses)
def feedback_results(request, pk):
    course = rules.course_for(request.user, pk)
    answers = Feedback.objects.filter(enrollment__course=course)
    summary = answers.aggregate(
        count=Count("pk"), average=Avg("usefulness"), useful=Count("pk", filter=Q(usefulness__gte=4))
    )
    distribution = {
        row["usefulness"]: row["n"] for row in answers.values("usefulness").annotate(n=Count("pk"))
    }
    return render(
        request,
        "training/feedback_results.html",
        {
            "course": course,
            "summary": summary,
            "distribution": [(value, distribution.get(value, 0)) for value in range(5, 0, -1)],
            "texts": answers.exclude(will_apply="", comments="").values("will_apply", "comments"),
        },
    )
