from datetime import date

from authorities.selectors.assessment import active_questionnaire, self_check_change_by_dimension
from authorities.services import assessment as services
from tests.factories import ChangeProcessFactory


def _round(process, by, rating_for):
    questionnaire = active_questionnaire()
    ratings = {
        statement.pk: rating_for(dimension.name)
        for dimension in questionnaire.dimensions.all()
        for statement in dimension.statements.all()
    }
    return services.assessment_submit(
        process=process, questionnaire=questionnaire, label="x", ratings=ratings, by=by
    )


def test_the_report_gets_the_average_change_per_dimension_across_authorities(
    project_staff, mainz, hannover, instruments
):
    for authority, before, after in ((mainz, 2, 4), (hannover, 3, 4)):
        process = ChangeProcessFactory(authority=authority, coach=project_staff, started_on=date(2025, 1, 1))
        first = _round(process, project_staff, lambda name: before)
        first.completed_on = date(2025, 1, 2)
        first.save()
        _round(process, project_staff, lambda name: after)

    figures = {item.dimension: item for item in self_check_change_by_dimension()}

    assert figures["Vernetzung"].processes == 2
    assert (figures["Vernetzung"].baseline, figures["Vernetzung"].follow_up) == (2.5, 4.0)
    assert figures["Vernetzung"].change == 1.5
    only_ni = {item.dimension: item for item in self_check_change_by_dimension(state="NI")}
    assert (only_ni["Vernetzung"].processes, only_ni["Vernetzung"].change) == (1, 1.0)
