"""The contact persons' cards on an authority's page written in Python (`contact_items`, issue 18) are
the markup the template's loop wrote, white space included, with and without the right to edit."""

import pytest
from django.template import Context, Template
from django.utils import translation

from authorities.models import ContactPerson
from authorities.views.registry import contact_items

# The loop of templates/authorities/detail.html before issue 18 (inside <ul class="portal-cards">).
OLD_LOOP = """{% load i18n %}
          {% for contact in contacts %}
            <li class="kern-card"><div class="kern-card__container"><div class="kern-card__body">
              <p class="kern-preline">{{ contact.get_function_display }}</p>
              <h3 class="kern-title">{{ contact.name }}</h3>
              {% if contact.email %}<p class="kern-body"><a class="kern-link" href="mailto:{{ contact.email }}">{{ contact.email }}</a></p>{% endif %}
              {% if contact.phone %}<p class="kern-body">{{ contact.phone }}</p>{% endif %}
            </div>
              {% if may_edit %}<div class="kern-card__footer portal-inline-form">
                <a class="kern-link" href="{{ contact.edit_url }}">{% blocktranslate with name=contact.name %}{{ name }} bearbeiten{% endblocktranslate %}</a>
                <form method="post" action="{{ contact.delete_url }}" data-confirm="{% blocktranslate with name=contact.name %}{{ name }} wirklich entfernen?{% endblocktranslate %}">{% csrf_token %}
                  <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-icon kern-icon--delete" aria-hidden="true"></span><span class="kern-label">{% blocktranslate with name=contact.name %}{{ name }} entfernen{% endblocktranslate %}</span></button>
                </form>
              </div>{% endif %}
            </div></li>
          {% endfor %}
"""  # noqa: E501


def _contacts():
    functions = [value for value, _label in ContactPerson._meta.get_field("function").choices]
    contacts = []
    for pk, (email, phone) in enumerate(
        [("a@example.org", ""), ("", "06131 12-0"), ("", ""), ("b&c@x.de", "1")]
    ):
        contact = ContactPerson(
            pk=pk + 1,
            name=f'Eva "<Ernst>" & {pk}',
            email=email,
            phone=phone,
            function=functions[pk % len(functions)],
        )
        contact.edit_url, contact.delete_url = f"/c/{pk}/?a=1&b=2", f"/c/{pk}/entfernen/"
        contacts.append(contact)
    return contacts


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("may_edit", [False, True])
def test_contact_items_write_what_the_template_loop_wrote(language, may_edit):
    contacts = _contacts()
    with translation.override(language):
        old = Template(OLD_LOOP).render(
            Context({"contacts": contacts, "may_edit": may_edit, "csrf_token": "T0K"})
        )
        new = contact_items(contacts, may_edit=may_edit, csrf_token="T0K")

    assert "\n          " + new + "\n" == old  # the white space around the loop
    assert ('value="T0K"' in new) is may_edit
    assert "Eva &quot;&lt;Ernst&gt;&quot; &amp; 0" in new and "<Ernst>" not in new
