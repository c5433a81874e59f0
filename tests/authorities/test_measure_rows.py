"""The measure plan's rows on a process page written in Python (`measure_rows`, issue 18) are the markup
the template's loop wrote, white space included, for every state a measure can be in and every set of
rights, in German and English."""

from datetime import date
from itertools import product

import pytest
from django.template import Context, Template
from django.utils import translation

from authorities.models import Authority
from authorities.models.process import ChangeProcess, Field, FieldOfAction, Goal, Measure, MeasureStatus
from authorities.views.process import measure_rows

# The loop of templates/authorities/process/detail.html before issue 18 (inside <tbody>).
OLD_LOOP = """{% load i18n %}
          {% for measure in measures %}
            <tr class="kern-table__row">
              <th class="kern-table__cell" scope="row">{{ measure.title }}{% if measure.goal %}<br><span class="kern-body--small">{% blocktranslate with title=measure.goal.title %}Ziel: {{ title }}{% endblocktranslate %}</span>{% endif %}{% if measure.result %}<br><span class="kern-body--small">{% blocktranslate with result=measure.result %}Ergebnis: {{ result }}{% endblocktranslate %}</span>{% endif %}</th>
              <td class="kern-table__cell">{{ measure.get_field_display }}<br><span class="kern-body--small">{{ measure.get_field_of_action_display }}</span></td>
              <td class="kern-table__cell">{{ measure.responsible }}{% if measure.involved %}<br><span class="kern-body--small">{{ measure.involved }}</span>{% endif %}</td>
              <td class="kern-table__cell">{{ measure.due_on|date:"SHORT_DATE_FORMAT"|default:"–" }}{% if measure.is_overdue %} <span class="kern-badge kern-badge--danger"><span class="kern-label kern-label--small">{% translate "überfällig" %}</span></span>{% endif %}</td>
              <td class="kern-table__cell">{% include "authorities/process/measure_status.html" with status=measure.status label=measure.get_status_display %}{% if measure.done_on %}<br><span class="kern-body--small">{% blocktranslate with date=measure.done_on|date:"SHORT_DATE_FORMAT" %}umgesetzt am {{ date }}{% endblocktranslate %}{% if measure.done_on_guessed %} ({% translate "geschätzt" %}){% endif %}</span>{% if may_correct_facts %}<br><a class="kern-link kern-body--small" href="{% url "authorities:done_on_correct" authority.pk process.pk measure.pk %}">{% translate "Datum korrigieren" %}<span class="kern-sr-only"> ({{ measure.title }})</span></a>{% endif %}{% endif %}</td>
              <td class="kern-table__cell">{{ measure.progress }} %</td>
              {% if may_update_measures %}<td class="kern-table__cell"><div class="portal-inline-form">
                <a class="kern-link" href="{% url 'authorities:measure_edit' authority.pk process.pk measure.pk %}">{% blocktranslate with title=measure.title %}„{{ title }}“ bearbeiten{% endblocktranslate %}</a>
                {% if may_edit %}<form method="post" action="{% url 'authorities:measure_delete' authority.pk process.pk measure.pk %}" data-confirm="{% blocktranslate with title=measure.title %}Maßnahme „{{ title }}“ wirklich entfernen?{% endblocktranslate %}">{% csrf_token %}
                  <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-icon kern-icon--delete" aria-hidden="true"></span><span class="kern-label">{% blocktranslate with title=measure.title %}„{{ title }}“ entfernen{% endblocktranslate %}</span></button>
                </form>{% endif %}
              </div></td>{% endif %}
            </tr>
          {% empty %}
            <tr class="kern-table__row"><td class="kern-table__cell" colspan="{% if may_update_measures %}7{% else %}6{% endif %}">{% translate "Keine Maßnahmen gefunden." %}</td></tr>
          {% endfor %}
"""  # noqa: E501


def _measures():
    authority, process = Authority(pk=7), ChangeProcess(pk=3, authority_id=7)
    goal = Goal(pk=2, process=process, title='Ziel "<A>" & B')
    statuses = [value for value, _label in MeasureStatus.choices]
    fields, actions = list(Field.values), list(FieldOfAction.values)
    measures = []
    for pk, (with_goal, result, involved, due_on, done_on, guessed) in enumerate(
        product(
            [False, True],
            ["", "Gut <b>&</b>"],
            ["", "Team & Co"],
            [None, date(2026, 3, 4)],
            [None, date(2025, 12, 31)],
            [False, True],
        )
    ):
        measure = Measure(
            pk=pk + 1,
            process=process,
            goal=goal if with_goal else None,
            title=f'Maßnahme "<{pk}>" & Co',
            field=fields[pk % len(fields)],
            field_of_action=actions[pk % len(actions)],
            responsible="Frau <Müller>",
            involved=involved,
            due_on=due_on,
            status=statuses[pk % len(statuses)],
            progress=pk % 101,
            result=result,
            done_on=done_on,
            done_on_guessed=guessed,
        )
        measure.is_overdue = bool(pk % 3 == 0)
        measures.append(measure)
    return authority, process, measures


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "may_update_measures, may_edit, may_correct_facts",
    [(False, False, False), (True, False, False), (True, True, True), (False, False, True)],
)
@pytest.mark.parametrize("empty", [False, True])
def test_measure_rows_write_what_the_template_loop_wrote(
    language, may_update_measures, may_edit, may_correct_facts, empty
):
    authority, process, measures = _measures()
    if empty:
        measures = []
    rights = {
        "may_update_measures": may_update_measures,
        "may_edit": may_edit,
        "may_correct_facts": may_correct_facts,
    }
    with translation.override(language):
        old = Template(OLD_LOOP).render(
            Context(
                {
                    "measures": measures,
                    "authority": authority,
                    "process": process,
                    "csrf_token": "T0K",
                    **rights,
                }
            )
        )
        new = measure_rows(
            measures, authority_pk=authority.pk, process_pk=process.pk, csrf_token="T0K", **rights
        )

    assert "\n          " + new + "\n" == old  # the white space around the loop
    assert ('value="T0K"' in new) is (may_edit and not empty)
    assert ("/behoerden/7/prozess/3/massnahmen/1/" in new) is (may_update_measures and not empty)
    if not empty:
        assert "Maßnahme &quot;&lt;0&gt;&quot; &amp; Co" in new and "<0>" not in new
        assert ("overdue" if language == "en" else "überfällig") in new
