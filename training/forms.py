from datetime import date
from functools import lru_cache

from crispy_forms.layout import Layout
from django import forms
from django.db import models
from django.db.models import Exists, F, OuterRef, QuerySet
from django.forms import formset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User, UserQuerySet
from portal.accounts.selectors import colleagues_for
from portal.forms import (
    ColleagueForm,
    FilterForm,
    KernForm,
    KernModelForm,
    ParticipantMessageForm,
    SearchField,
)
from training.models import Course, CourseDate, CourseFormat, CourseStatus, Enrollment, Topic, UsesLearning
from training.services.courses import DATE_FIELDS, FEWER_SEATS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CourseForm(KernModelForm):
    class Meta:
        model = Course
        fields = [
            "title", "topic", "description", "contents", "target_group", "format", "location", "online_link",
            "trainers", "capacity", "seats_per_authority", "open_to", "registration_opens",
            "registration_closes", "enrollment_mode",
        ]  # fmt: skip
        error_messages = {"capacity": {"min_value": _("Eine Schulung braucht mindestens einen Platz.")}}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "contents": forms.Textarea(attrs={"rows": 4}),
            "registration_opens": DATETIME,
            "registration_closes": DATETIME,
        }

    # Asked for only when the seats go below the number of people holding one (the service decides).
    fewer_seats_confirmed = forms.BooleanField(
        label=_("Ja, weniger Plätze speichern, als Personen angemeldet sind"), required=False
    )

    @cached_property
    def helper(self):
        helper = super().helper
        helper.form_tag = False  # the page wraps the course and its dates in one form
        helper.inputs = []
        # Built when the form is rendered: by then the service's refusal is on the form.
        names = [name for name in self.fields if name != "fewer_seats_confirmed"]
        if self.is_bound and (
            self.has_error("capacity", FEWER_SEATS) or self.data.get("fewer_seats_confirmed")
        ):
            names.insert(names.index("capacity") + 1, "fewer_seats_confirmed")
        helper.layout = Layout(*names)
        return helper

    def clean(self):
        data = super().clean()
        fmt = data.get("format")
        if fmt in (CourseFormat.IN_PERSON, CourseFormat.HYBRID) and not data.get("location"):
            self.add_error("location", _("Bitte geben Sie den Ort an."))
        if fmt in (CourseFormat.ONLINE, CourseFormat.HYBRID) and not data.get("online_link"):
            self.add_error("online_link", _("Bitte geben Sie den Link zur Online-Veranstaltung an."))
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Der Anmeldeschluss muss nach dem Anmeldebeginn liegen."))
        return data


class CourseDateForm(KernForm):
    # Existing dates keep their row (and with it the attendance recorded for them).
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ende"), widget=DATETIME)
    room = forms.CharField(label=_("Raum"), max_length=200, required=False)

    @cached_property
    def helper(self):
        # Built when the form is rendered, not in __init__: the formset adds the "Löschen" box
        # after __init__, and a layout made earlier would leave it out.
        helper = super().helper
        helper.form_tag = False
        helper.inputs = []
        helper.disable_csrf = True
        return helper

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        return data


class BaseCourseDateFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        # A row added with "Weiteren Termin hinzufügen" counts among the initial rows of the next
        # POST; left empty it is ignored like any extra row. A row of an existing date (its pk) is not.
        if index is None:  # the empty form (a template for new rows) is empty-permitted anyway
            return kwargs
        if index >= self.min_num and self.is_bound and not self.data.get(f"{self.add_prefix(index)}-pk"):
            kwargs["empty_permitted"] = True
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Bitte geben Sie mindestens einen Termin an."))

    def dates(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("pk", *DATE_FIELDS)}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


CourseDateFormSet = formset_factory(
    CourseDateForm, formset=BaseCourseDateFormSet, extra=1, min_num=1, can_delete=True, max_num=20
)
DATES_PREFIX = "termine"
# The name of the submit button that asks for one more date row instead of saving.
ADD_DATE = "weiterer_termin"


def course_forms(data, course: Course | None) -> tuple[CourseForm, forms.BaseFormSet]:
    """The course form and its dates, bound to the POST `data` (None: the page as first shown).

    Sent by the "Weiteren Termin hinzufügen" button, the page comes back as typed, with one more empty
    date row, unbound: nothing is saved, nothing judged yet (no error messages for a half-filled form)."""
    if data is not None and ADD_DATE in data:
        form = CourseForm(
            initial={name: data.get(name, "") for name in CourseForm.Meta.fields}, instance=course
        )
        keys = ["pk", *DATE_FIELDS, "DELETE"]
        rows = [
            {key: data.get(f"{DATES_PREFIX}-{index}-{key}", "") for key in keys}
            for index in range(
                _number(data.get(f"{DATES_PREFIX}-TOTAL_FORMS"), most=CourseDateFormSet.max_num)
            )
        ]
        dates = CourseDateFormSet(initial=rows, prefix=DATES_PREFIX)
        return form, dates
    initial = (
        [{"pk": d.pk, **{key: getattr(d, key) for key in DATE_FIELDS}} for d in course.dates.all()]
        if course
        else None
    )
    return CourseForm(data, instance=course), CourseDateFormSet(data, initial=initial, prefix=DATES_PREFIX)


def _number(value, *, most: int) -> int:
    try:
        return max(0, min(int(value), most))
    except (TypeError, ValueError):
        return 0


class TopicForm(KernModelForm):
    submit_label = _("Thema hinzufügen")

    class Meta:
        model = Topic
        fields = ["name"]
        labels = {"name": _("Neues Thema")}
        error_messages = {"name": {"unique": _("Dieses Thema gibt es bereits.")}}


class CancelCourseForm(KernForm):
    submit_label = _("Schulung absagen")
    reason = forms.CharField(
        label=_("Grund der Absage"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Steht in der E-Mail an alle Angemeldeten."),
    )


def _months(back: int = 0) -> tuple[tuple[str, str], ...]:
    """The next twelve months as filter choices, and `back` months before this one."""
    return _months_from(timezone.localdate(), back, get_language())


# The same for everybody on a day in a language: worked out once per process and day, not on each
# visit of the catalogue (twelve to twenty-four dates formatted, issue 18).
@lru_cache(maxsize=8)
def _months_from(today: date, back: int, language: str | None) -> tuple[tuple[str, str], ...]:
    months = []
    for offset in range(-back, 12):
        month = (today.month - 1 + offset) % 12 + 1
        year = today.year + (today.month - 1 + offset) // 12
        value = f"{year}-{month:02d}"
        months.append((value, date_format(date(year, month, 1), "F Y")))
    return tuple(months)


class When(models.TextChoices):
    UPCOMING = "kommend", _("Kommende Schulungen")
    PAST = "vergangen", _("Vergangene Schulungen")
    DRAFTS = "entwuerfe", _("Entwürfe")
    ALL = "alle", _("Alle Schulungen")


class CatalogueFilterForm(FilterForm):
    """The catalogue's filters. Project staff also choose the time (`when`): past courses are where
    attendance, certificates and feedback are done; everybody else sees the upcoming ones (authority
    staff find their own past courses under "Meine Schulungen")."""

    when = forms.ChoiceField(label=_("Zeitraum"), choices=When.choices, required=False)
    # The topics' ids and names, not a ModelChoiceField: one plain query instead of a server-side
    # cursor and a Topic object per option, and choices the rendered form can be kept by (`rendered`).
    topic = forms.TypedChoiceField(
        label=_("Thema"),
        coerce=int,
        required=False,
        # The model choice's words: a ChoiceField's would repeat what was typed into the address.
        error_messages={"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]},
    )
    state = forms.ChoiceField(
        label=_("Land"),
        choices=[("", _("Alle Länder")), ("RP", _("Rheinland-Pfalz")), ("NI", _("Niedersachsen"))],
        required=False,
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("Alle Formate")), *CourseFormat.choices], required=False
    )
    month = forms.ChoiceField(label=_("Monat"), required=False)
    free_seats = forms.BooleanField(label=_("Nur mit freien Plätzen"), required=False)

    def __init__(self, *args, may_manage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_manage:
            del self.fields["when"]
        # Project staff look back at the past year's courses too.
        month = self.fields["month"]
        assert isinstance(month, forms.ChoiceField)
        month.choices = [("", _("Alle Monate")), *_months(back=12 if may_manage else 0)]
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", _("Alle Themen")), *Topic.objects.values_list("pk", "name")]

    @property
    def time_frame(self) -> When:
        return When(self.filters().get("when", When.UPCOMING))

    def apply(self, queryset):
        when = self.time_frame
        if when == When.UPCOMING:
            queryset = queryset.upcoming().order_by("first_start", "title")
        elif when == When.PAST:
            queryset = queryset.past().order_by(F("first_start").desc(), "title")
        elif when == When.DRAFTS:
            queryset = queryset.filter(status=CourseStatus.DRAFT).order_by("first_start", "title")
        else:
            queryset = queryset.order_by(F("first_start").desc(nulls_last=True), "title")
        filters = self.filters()
        if topic := filters.get("topic"):
            queryset = queryset.filter(topic_id=topic)
        if state := filters.get("state"):
            queryset = queryset.filter(open_to__in=["both", state])
        if fmt := filters.get("format"):
            queryset = queryset.filter(format=fmt)
        if month := filters.get("month"):
            year, number = (int(part) for part in month.split("-"))
            # Exists, not a join with DISTINCT: a course with two dates in the month is one course.
            in_month = CourseDate.objects.filter(
                course=OuterRef("pk"), starts_at__year=year, starts_at__month=number
            )
            queryset = queryset.filter(Exists(in_month))
        if filters.get("free_seats"):
            queryset = queryset.filter(free_seats__gt=0)
        return queryset


def enrollable_colleagues(user: User, course: Course) -> UserQuerySet:
    """Whom `user` may enrol besides themselves (`colleagues_for`), without the people who hold an
    active enrollment already: nobody is chosen a second time."""
    enrolled = Enrollment.objects.filter(course=course).active().values("participant")
    return colleagues_for(user).exclude(pk__in=enrolled)


def colleague_form(
    user: User, course: Course, participants: QuerySet[User] | None = None, **labels
) -> ColleagueForm:
    """The choice of a person to enrol in the course (portal.forms.ColleagueForm, shared with the
    networks' meetings) among `participants` (default: everyone `user` may enrol); posted to the
    enroll view, which reads it with `chosen_colleague`."""
    return ColleagueForm(
        participants=enrollable_colleagues(user, course) if participants is None else participants,
        action=reverse("training:enroll", args=[course.pk]),
        **labels,
    )


# At most this many people are offered after a search on the participant list.
COLLEAGUE_MATCHES = 30


class ColleagueSearchForm(FilterForm):
    """Project staff find the person to enrol by name, e-mail address or authority first: one select
    of every person of the 90 authorities (340 at ten times the demo data) was half the participant
    list's time (issue 18). Works without JavaScript: a GET form, the page comes back with the
    matches."""

    submit_label = _("Person suchen")
    form_action = "#person-anmelden"

    person = SearchField(label=_("Name, E-Mail-Adresse oder Behörde"))


class ColleagueFinder:
    """The participant list's "Person anmelden": the search, and after a search the choice among the
    first COLLEAGUE_MATCHES people not yet enrolled who match it (`colleague_form`, posted to the
    enroll view as before, which checks the choice against everyone the user may enrol)."""

    def __init__(self, user: User, course: Course, data, **labels):
        self.search = ColleagueSearchForm(data)
        self.term = self.search.filters().get("person", "")
        self.form = None
        self.found = 0
        if self.term:
            matches = enrollable_colleagues(user, course).matching(self.term)
            self.found = matches.count()
            if self.found:
                self.form = colleague_form(user, course, matches[:COLLEAGUE_MATCHES], **labels)

    @property
    def summary(self) -> str:
        """What the search found, in words (announced before the choice)."""
        if not self.found:
            return str(_("Keine Person gefunden, die noch nicht angemeldet ist. Bitte suchen Sie anders."))
        if self.found > COLLEAGUE_MATCHES:  # always more than one
            return _(
                "%(found)d Personen gefunden; die ersten %(shown)d stehen zur Auswahl. "
                "Bitte suchen Sie genauer."
            ) % {"found": self.found, "shown": COLLEAGUE_MATCHES}
        return ngettext("%(found)d Person gefunden.", "%(found)d Personen gefunden.", self.found) % {
            "found": self.found
        }


class CourseMessageForm(ParticipantMessageForm):
    waiting_list = forms.BooleanField(label=_("Auch an die Personen auf der Warteliste"), required=False)


class FeedbackForm(KernForm):
    submit_label = _("Rückmeldung senden")

    usefulness = forms.TypedChoiceField(
        label=_("Wie nützlich ist die Schulung für Ihre Arbeit?"),
        choices=[
            (5, _("5 – sehr nützlich")),
            (4, _("4 – nützlich")),
            (3, _("3 – teils, teils")),
            (2, _("2 – wenig nützlich")),
            (1, _("1 – nicht nützlich")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    will_apply = forms.CharField(
        label=_("Was werden Sie in Ihrer Arbeit anwenden?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    comments = forms.CharField(
        label=_("Was möchten Sie uns noch sagen?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FollowUpForm(KernForm):
    submit_label = _("Antwort senden")

    uses_learning = forms.ChoiceField(
        label=_("Setzen Sie das Gelernte in Ihrer Arbeit ein?"),
        choices=UsesLearning.choices,
        widget=forms.RadioSelect,
    )
    example = forms.CharField(
        label=_("Ein Beispiel, wenn Sie mögen"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
