"""The step indicator, the goals' and consultations' cards and the milestones' rows of a process page,
written in Python (`phase_steps`, `goal_cards`, `consultation_cards`, `milestone_rows`, issue 18), are the
markup the template's loops wrote, white space included, in German and English."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from authorities.models import Authority
from authorities.models.process import (
    ChangeProcess,
    Consultation,
    ConsultationFormat,
    Field,
    Goal,
    Milestone,
    Phase,
)
from authorities.views.process import consultation_cards, goal_cards, milestone_rows, phase_steps
from portal.accounts.models import User

# The loops of templates/authorities/process/detail.html before issue 18.
OLD_PHASES = """{% load i18n %}
      {% for phase in phases %}
        <li class="portal-steps__step portal-steps__step--{{ phase.state }}"{% if phase.state == "current" %} aria-current="step"{% endif %}>
          <span class="portal-steps__marker" aria-hidden="true">{% if phase.state == "done" %}<span class="kern-icon kern-icon--check kern-icon--small"></span>{% else %}{{ forloop.counter }}{% endif %}</span>
          <span class="portal-steps__label">{{ phase.label }}
            {% if phase.state == "current" %}<span class="portal-steps__state">{% translate "aktuelle Phase" %}</span>
            {% elif phase.state == "done" %}<span class="portal-steps__state">{% translate "abgeschlossen" %}</span>
            {% else %}<span class="kern-sr-only">({% translate "noch offen" %})</span>{% endif %}
          </span>
        </li>
      {% endfor %}
"""  # noqa: E501
OLD_GOALS = """{% load i18n %}
        {% for goal in goals %}
          <li class="kern-card"><div class="kern-card__container"><div class="kern-card__body">
            <p class="kern-preline">{{ goal.get_field_display }}</p>
            <h3 class="kern-title">{{ goal.title }}</h3>
            {% if goal.description %}<p class="kern-body">{{ goal.description|linebreaksbr }}</p>{% endif %}
            {% if goal.measure_count %}
              <p class="kern-body" id="ziel-{{ goal.pk }}-fortschritt">{% blocktranslate count counter=goal.measure_count with progress=goal.progress|floatformat:0 %}Fortschritt {{ progress }} % aus {{ counter }} Maßnahme{% plural %}Fortschritt {{ progress }} % aus {{ counter }} Maßnahmen{% endblocktranslate %}</p>
              <progress max="100" value="{{ goal.progress|floatformat:'0u' }}" aria-labelledby="ziel-{{ goal.pk }}-fortschritt"></progress>
            {% else %}<p class="kern-body">{% translate "Noch keine Maßnahmen zu diesem Ziel." %}</p>{% endif %}
          </div>
            {% if may_edit %}<div class="kern-card__footer"><a class="kern-link" href="{% url 'authorities:goal_edit' authority.pk process.pk goal.pk %}">{% blocktranslate with title=goal.title %}Ziel „{{ title }}“ bearbeiten{% endblocktranslate %}</a></div>{% endif %}
          </div></li>
        {% endfor %}
"""  # noqa: E501
OLD_CONSULTATIONS = """{% load i18n %}
        {% for consultation in consultations %}
          <li class="kern-card"><div class="kern-card__container"><div class="kern-card__body">
            <p class="kern-preline">{{ consultation.get_format_display }}</p>
            <h3 class="kern-title">{{ consultation.held_on|date:"SHORT_DATE_FORMAT" }}</h3>
            <dl class="kern-description-list kern-description-list--col">
              <div class="kern-description-list-item"><dt class="kern-description-list-item__key">{% translate "Teilnehmende" %}</dt><dd class="kern-description-list-item__value">{{ consultation.participants|linebreaksbr }}</dd></div>
              <div class="kern-description-list-item"><dt class="kern-description-list-item__key">{% translate "Themen" %}</dt><dd class="kern-description-list-item__value">{{ consultation.topics|linebreaksbr }}</dd></div>
              {% if consultation.agreements %}<div class="kern-description-list-item"><dt class="kern-description-list-item__key">{% translate "Vereinbarungen" %}</dt><dd class="kern-description-list-item__value">{{ consultation.agreements|linebreaksbr }}</dd></div>{% endif %}
              {% if consultation.next_steps %}<div class="kern-description-list-item"><dt class="kern-description-list-item__key">{% translate "Nächste Schritte" %}</dt><dd class="kern-description-list-item__value">{{ consultation.next_steps|linebreaksbr }}</dd></div>{% endif %}
            </dl>
            {% if consultation.created_by %}<p class="kern-body--small">{% blocktranslate with name=consultation.created_by %}dokumentiert von {{ name }}{% endblocktranslate %}</p>{% endif %}
          </div></div></li>
        {% endfor %}
"""  # noqa: E501
OLD_MILESTONES = """{% load i18n %}
            {% for milestone in milestones %}
              <tr class="kern-table__row">
                <th class="kern-table__cell" scope="row">{{ milestone.title }}</th>
                <td class="kern-table__cell">{{ milestone.due_on|date:"SHORT_DATE_FORMAT" }}</td>
                <td class="kern-table__cell">{{ milestone.reached_on|date:"SHORT_DATE_FORMAT"|default:"–" }}</td>
                <td class="kern-table__cell">{% if milestone.reached_on_time %}<span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">{% translate "rechtzeitig erreicht" %}</span></span>{% elif milestone.reached_on %}<span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">{% translate "verspätet erreicht" %}</span></span>{% elif milestone.due_on < today %}<span class="kern-badge kern-badge--danger"><span class="kern-label kern-label--small">{% translate "überfällig" %}</span></span>{% else %}{% translate "offen" %}{% endif %}</td>
                {% if may_edit %}<td class="kern-table__cell"><a class="kern-link" href="{% url 'authorities:milestone_edit' authority.pk process.pk milestone.pk %}">{% blocktranslate with title=milestone.title %}„{{ title }}“ bearbeiten{% endblocktranslate %}</a></td>{% endif %}
              </tr>
            {% endfor %}
"""  # noqa: E501


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("current", Phase.values)
def test_phase_steps_write_what_the_template_loop_wrote(language, current):
    phases = [
        {
            "value": value,
            "label": label,
            "state": "done" if value < current else "current" if value == current else "open",
        }
        for value, label in Phase.choices
    ]
    with translation.override(language):
        old = Template(OLD_PHASES).render(Context({"phases": phases}))
        new = phase_steps(current)

    assert "\n      " + new + "\n" == old
    assert new.count('aria-current="step"') == 1


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("may_edit", [False, True])
def test_milestone_rows_write_what_the_template_loop_wrote(language, may_edit):
    authority, process = Authority(pk=7), ChangeProcess(pk=3, authority_id=7)
    today = date(2026, 6, 1)
    milestones = [
        Milestone(
            pk=pk, process=process, title=f'Meilenstein "<{pk}>" & Co', due_on=due_on, reached_on=reached_on
        )
        for pk, (due_on, reached_on) in enumerate(
            [
                (date(2026, 5, 1), date(2026, 4, 30)),  # on time
                (date(2026, 5, 1), date(2026, 5, 2)),  # late
                (date(2026, 5, 31), None),  # overdue
                (date(2026, 6, 1), None),  # open, due today
            ],
            start=1,
        )
    ]
    with translation.override(language):
        old = Template(OLD_MILESTONES).render(
            Context(
                {
                    "milestones": milestones,
                    "authority": authority,
                    "process": process,
                    "may_edit": may_edit,
                    "today": today,
                }
            )
        )
        new = milestone_rows(milestones, authority_pk=7, process_pk=3, may_edit=may_edit, today=today)

    assert "\n            " + new + "\n" == old
    assert ("/behoerden/7/prozess/3/meilensteine/1/" in new) is may_edit
    assert "Meilenstein &quot;&lt;1&gt;&quot; &amp; Co" in new and "<1>" not in new


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("may_edit", [False, True])
def test_goal_cards_write_what_the_template_loop_wrote(language, may_edit):
    authority, process = Authority(pk=7), ChangeProcess(pk=3, authority_id=7)
    goals = []
    for pk, (description, count, progress) in enumerate(
        [("", 0, None), ("Zeile 1\nZeile <2> & 3", 1, 33.5), ("x", 2, 66.666), ("", 12, 100.0)], start=1
    ):
        goal = Goal(
            pk=pk,
            process=process,
            title=f'Ziel "<{pk}>" & Co',
            description=description,
            field=Field.values[pk % 3],
        )
        goal.measure_count, goal.progress = count, progress
        goals.append(goal)
    with translation.override(language):
        old = Template(OLD_GOALS).render(
            Context({"goals": goals, "authority": authority, "process": process, "may_edit": may_edit})
        )
        new = goal_cards(goals, authority_pk=7, process_pk=3, may_edit=may_edit)

    assert "\n        " + new + "\n" == old
    assert ("/behoerden/7/prozess/3/ziele/1/" in new) is may_edit
    assert "Zeile 1<br>Zeile &lt;2&gt; &amp; 3" in new


@pytest.mark.parametrize("language", ["de", "en"])
def test_consultation_cards_write_what_the_template_loop_wrote(language):
    author = User(pk=1, email="eva@example.org", first_name="Eva <E>", last_name="& Ernst")
    consultations = [
        Consultation(
            pk=pk,
            held_on=date(2026, 5, pk),
            format=ConsultationFormat.values[pk % len(ConsultationFormat.values)],
            participants="A <b>\nB & C",
            topics="Thema",
            agreements=agreements,
            next_steps=next_steps,
            created_by=created_by,
        )
        for pk, (agreements, next_steps, created_by) in enumerate(
            [("", "", None), ("Eins\nZwei", "", author), ("", "Weiter <x>", None), ("a", "b", author)],
            start=1,
        )
    ]
    with translation.override(language):
        old = Template(OLD_CONSULTATIONS).render(Context({"consultations": consultations}))
        new = consultation_cards(consultations)

    assert "\n        " + new + "\n" == old
    assert "A &lt;b&gt;<br>B &amp; C" in new
