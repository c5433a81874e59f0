"""Select boxes are written in Python (portal/renderers.py) with the same markup as Django's templates."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

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
