"""The funding frame as data: programme indicators of both AMIF periods, the mapping, ism's project with
its final report, and the cumulation that starts with the project, not with a year in a string."""

from datetime import date

from portal.reports import programme_frames
from portal.reports.documents import report_context
from portal.reports.models import (
    FundingProject,
    Indicator,
    IndicatorMapping,
    PartnerRole,
    Programme,
    ProgrammeIndicator,
    ReportingPeriod,
)
from tests.authorities.conftest import instruments  # noqa: F401 (the questionnaire fixture)
from tests.factories import CourseDateFactory, CourseFactory
from tests.helpers import at
from training.models import CourseStatus


def real_periods():
    project = FundingProject.objects.get(title="Ausländerbehörden")
    programme_frames.real_periods_load(ReportingPeriod=ReportingPeriod, project=project)


def held_course(day: date):
    course = CourseFactory(dates=None, status=CourseStatus.COMPLETED)
    CourseDateFactory(course=course, starts_at=at(day, 9), ends_at=at(day, 16))
    return course


def overall_cells(context, code: str) -> list[str]:
    table = context["tables"][0]
    return next(row["cells"] for row in table["rows"] if row["code"] == code)


def test_both_programme_frames_ship_as_data_marked_for_checking(db):
    for programme in Programme.values:
        frame = ProgrammeIndicator.objects.filter(programme=programme)
        assert frame.exists()
        assert {item.kind for item in frame} == {"output", "result"}
    # Nothing could be checked against the Official Journal yet: no invented codes, all "zu prüfen".
    assert not ProgrammeIndicator.objects.exclude(code="").exists()
    assert not ProgrammeIndicator.objects.filter(to_check=False).exists()
    assert set(ProgrammeIndicator.objects.values_list("source", flat=True)) == {
        programme_frames.SOURCE_2014,
        programme_frames.SOURCE_2021,
    }
    mapped = IndicatorMapping.objects.filter(indicator__code="ABH-1")
    assert mapped.count() == 2 and all(m.to_check for m in mapped)


def test_the_real_project_ships_with_partners_and_periods(db):
    project = FundingProject.objects.get(title="Ausländerbehörden")
    assert project.programme == Programme.AMIF_2014_2020 and not project.is_current
    assert (project.starts_on, project.ends_on) == (date(2015, 7, 1), date(2017, 6, 30))
    assert "516/2014" in project.regulation and "2017/207" in project.regulation
    assert project.beneficiary.startswith("Institut für Sozialpädagogische Forschung Mainz gGmbH")
    partners = {p.name: p for p in project.partners.all()}
    cooperation = partners["Schneider Organisationsberatung"]
    assert cooperation.role == PartnerRole.COOPERATION and cooperation.ends_on == date(2015, 12, 31)
    cofinancing = {p.state for p in partners.values() if p.role == PartnerRole.COFINANCING}
    assert cofinancing == {"RP", "NI"}
    assert project.partners.filter(role=PartnerRole.MANAGING_AUTHORITY).count() == 1
    real_periods()
    final = ReportingPeriod.objects.get(project=project, kind="final")
    assert (final.starts_on, final.ends_on) == (date(2015, 7, 1), date(2017, 6, 30))


def test_its_final_report_counts_what_happened_in_its_term(db):
    Indicator.objects.filter(code="ABH-6").update(programme=Programme.AMIF_2014_2020)
    held_course(date(2015, 9, 15))
    for day in (date(2016, 3, 1), date(2016, 10, 4), date(2017, 6, 29)):
        held_course(day)
    held_course(date(2015, 6, 30))  # before the term
    held_course(date(2017, 7, 3))  # after it
    real_periods()
    final = ReportingPeriod.objects.get(project__title="Ausländerbehörden", kind="final")

    context = report_context(date_from=final.starts_on, date_to=final.ends_on, period=final)

    assert "01.07.2015 bis 30.06.2017" in context["title"]
    # courses held: 4 in the term, cumulative 4, target 40, 10 % reached
    assert overall_cells(context, "ABH-6") == ["4", "4", "40", "10 %"]


def test_cumulation_starts_with_the_project_of_the_indicators_programme(db):
    held_course(date(2015, 9, 15))
    held_course(date(2016, 3, 1))
    real_periods()
    interim = ReportingPeriod.objects.get(project__title="Ausländerbehörden", title="Zwischenbericht 2016")
    Indicator.objects.filter(code="ABH-6").update(programme=Programme.AMIF_2014_2020)

    context = report_context(date_from=interim.starts_on, date_to=interim.ends_on, period=interim)
    assert overall_cells(context, "ABH-6")[:2] == ["1", "2"]  # cumulated from 01.07.2015

    # An indicator of the 2021–2027 frame, which has no project here, does not reach back into 2015.
    Indicator.objects.filter(code="ABH-6").update(programme=Programme.AMIF_2021_2027)
    context = report_context(date_from=interim.starts_on, date_to=interim.ends_on, period=interim)
    assert overall_cells(context, "ABH-6")[:2] == ["1", "0"]


def test_the_demo_runs_under_a_current_project_around_today_which_sets_retention(db):
    from django.utils import timezone

    from portal.privacy.retention import project_end
    from portal.reports import demo

    demo.seed()
    demo.seed()  # idempotent

    project = FundingProject.objects.current()
    today = timezone.localdate()
    assert project.title == demo.DEMO_PROJECT_TITLE and project.programme == Programme.AMIF_2021_2027
    assert project.starts_on <= today <= project.ends_on
    periods = ReportingPeriod.objects.filter(title__contains=str(today.year))
    assert periods.count() == 2 and all(p.project == project for p in periods)
    # and ism's project gets its periods, the final report among them
    assert ReportingPeriod.objects.filter(project__title="Ausländerbehörden", kind="final").count() == 1
    assert project_end() == project.ends_on
    assert FundingProject.objects.get(title="Ausländerbehörden").is_current is False


def test_the_report_shows_the_self_check_change_per_dimension(
    project_staff,
    mainz,
    hannover,
    instruments,  # noqa: F811
):
    from tests.authorities.test_self_check_figures import _round
    from tests.factories import ChangeProcessFactory

    period = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
    empty = next(c for c in report_context(**period)["charts"] if c["id"] == "grafik-selbstcheck")
    assert not empty["drawing"] and "Noch kein Veränderungsprozess" in empty["empty"]

    for authority, before, after in ((mainz, 2, 4), (hannover, 3, 4)):
        process = ChangeProcessFactory(authority=authority, coach=project_staff, started_on=date(2025, 1, 1))
        first = _round(process, project_staff, lambda name, before=before: before)
        first.completed_on = date(2025, 1, 2)
        first.save()
        _round(process, project_staff, lambda name, after=after: after)

    context = report_context(**period)
    chart = next(c for c in context["charts"] if c["id"] == "grafik-selbstcheck")
    rows = {row["label"]: row["cells"] for row in chart["rows"]}
    assert rows["Vernetzung"] == ["2", "2,5", "4,0", "+1,5"]
    assert "Vernetzung" in chart["drawing"].html and "+1,5" in chart["drawing"].html
    ni = next(c for c in report_context(**period, state="NI")["charts"] if c["id"] == "grafik-selbstcheck")
    assert {row["label"]: row["cells"] for row in ni["rows"]}["Vernetzung"][-1] == "+1,0"
    assert [section["id"] for section in context["survey"]] == [
        "kundenbefragung"
    ]  # the survey's before/after
