"""Select boxes are written in Python (portal/renderers.py) with the same markup as Django's templates;
the kern pack's radio buttons and checkboxes (`kern_options`) with the same markup as its template loop."""

import re

from crispy_forms.utils import render_crispy_form
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines

from network.forms.discussions import SubscriptionForm
from network.models import SubscriptionMode
from portal.forms import HintedRadioSelect
from portal.renderers import PortalRenderer


class Choices(forms.Form):
    one = forms.ChoiceField(
        choices=[("", "Alle"), ("x", "<b>X</b> & Co"), ("Gruppe", [("1", "eins"), ("2", 'zwei "2"')])],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("1", "eins"), ("2", "zwei")], disabled=True)
    person = forms.TypedChoiceField(choices=[(1, "Ä"), (2, "B")], coerce=int)


def markup(renderer):
    form = Choices({"one": "x", "many": ["1", "2"], "person": "2"}, renderer=renderer)
    html = "".join(form[name].as_widget(attrs={"aria-describedby": "hint"}) for name in form.fields)
    return re.sub(r"\s*\n\s*", "\n", html)


def test_select_boxes_have_the_markup_of_djangos_templates():
    ours, django = markup(PortalRenderer()), markup(DjangoTemplates())

    assert ours == django
    assert '<option value="x" selected>&lt;b&gt;X&lt;/b&gt; &amp; Co</option>' in ours
    assert '<optgroup label="Gruppe">' in ours
    assert "disabled" in ours


def test_the_portal_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "portal.renderers.PortalRenderer"
    assert isinstance(get_default_renderer(), PortalRenderer)


# --- the kern pack's radio buttons and checkboxes --------------------------------------------------

# The loop kern/field.html had before `kern_options` (issue 18): the reference for its markup.
OPTIONS_LOOP = """{% load kern %}{% with kind=field|widget_kind %}{% for option in field %}
          <div class="kern-form-check">
            <input type="{% if kind == "radios" %}radio{% else %}checkbox{% endif %}" class="kern-form-check__{% if kind == "radios" %}radio{% else %}checkbox{% endif %}" name="{{ option.data.name }}" value="{{ option.data.value }}" id="{{ option.id_for_label }}"{% if option.data.selected %} checked{% endif %}{% if option.data.hint %} aria-describedby="{{ option.id_for_label }}-hint"{% endif %}>
            <label class="kern-label" for="{{ option.id_for_label }}">{{ option.choice_label }}</label>
            {% if option.data.hint %}<div class="kern-hint portal-option-hint" id="{{ option.id_for_label }}-hint">{{ option.data.hint }}</div>{% endif %}
          </div>
        {% endfor %}{% endwith %}"""  # noqa: E501


class Options(forms.Form):
    mode = forms.ChoiceField(
        choices=[("sofort", "<b>Sofort</b> & gleich"), ("woche", 'Wöchentlich "kurz"')],
        widget=forms.RadioSelect,
    )
    number = forms.TypedChoiceField(
        choices=[(1, "eins"), (2000, "zweitausend")], coerce=int, widget=forms.RadioSelect
    )
    hinted = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")],
        widget=HintedRadioSelect(hint_of=lambda value: "" if value == "b" else f"Hinweis <{value}>"),
    )
    topics = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y"), ("z", "Z & Co")], widget=forms.CheckboxSelectMultiple
    )


def test_radio_buttons_and_checkboxes_have_the_markup_of_the_template_loop():
    form = Options({"mode": "woche", "number": "2000", "hinted": "a", "topics": ["x", "z"]})
    loop = engines["django"].from_string(OPTIONS_LOOP)
    ours = engines["django"].from_string("{% load kern %}{{ field|kern_options }}")

    for name in form.fields:
        assert ours.render({"field": form[name]}) == loop.render({"field": form[name]})
    html = ours.render({"field": form["topics"]})
    assert html.count(" checked") == 2 and 'type="checkbox"' in html and "Z &amp; Co" in html
    html = ours.render({"field": form["hinted"]})
    assert 'aria-describedby="id_hinted_0-hint"' in html and "Hinweis &lt;a&gt;" in html
    assert 'id="id_hinted_1-hint"' not in html
    assert "&lt;b&gt;Sofort&lt;/b&gt; &amp; gleich" in ours.render({"field": form["mode"]})


def test_a_form_shows_its_radio_buttons_through_the_kern_pack():
    html = render_crispy_form(SubscriptionForm(action="/folgen/"))
    assert html.count('type="radio"') == len(SubscriptionMode.choices)
    assert '<legend class="kern-label">Benachrichtigung</legend>' in html
