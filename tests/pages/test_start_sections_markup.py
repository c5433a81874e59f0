"""The start pages' sections (portal/start_sections.py) are written in Python by the `start_sections`
tag (issue 18): byte for byte the markup of the template loop it replaced, which is kept here."""

from django.template import Context, Template

from portal.pages.templatetags.portal import start_sections
from portal.start_sections import StartItem, StartLink, StartSection

# The template loop before issue 18 (templates/pages/_start_sections.html).
OLD_LOOP = (
    "{% load i18n %}{# The sections the apps contribute to a start page (portal/start_sections.py): "
    "each item links where its work is done. #}\n"
    '<div class="portal-start-grid">\n'
    "  {% for section in sections %}\n"
    '    <section class="kern-card portal-start-section" aria-labelledby="start-{{ section.key }}">\n'
    '      <div class="kern-card__container">\n'
    '        <div class="kern-card__header">\n'
    '          <h2 class="kern-title" id="start-{{ section.key }}">{{ section.title }}{% if section.total is not None %} <span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">{{ section.total }}</span></span>{% endif %}</h2>\n'  # noqa: E501
    "        </div>\n"
    '        <div class="kern-card__body">\n'
    "          {% if section.items %}\n"
    '            <ul class="portal-start-list">\n'
    "              {% for item in section.items %}\n"
    "                <li>\n"
    '                  <a class="kern-link" href="{{ item.url }}">{{ item.title }}</a>\n'
    '                  {% if item.badge %} <span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">{{ item.badge }}</span></span>{% endif %}\n'  # noqa: E501
    '                  {% if item.meta %}<p class="kern-body kern-body--small portal-start-list__meta">{{ item.meta }}</p>{% endif %}\n'  # noqa: E501
    '                  {% for link in item.links %}<p class="kern-body kern-body--small"><a class="kern-link" href="{{ link.url }}">{{ link.label }}<span class="kern-sr-only">: {{ item.title }}</span></a></p>{% endfor %}\n'  # noqa: E501
    "                </li>\n"
    "              {% endfor %}\n"
    "            </ul>\n"
    "          {% else %}\n"
    '            <p class="kern-body">{{ section.empty }}</p>\n'
    "          {% endif %}\n"
    "        </div>\n"
    '        {% if section.more %}<div class="kern-card__footer"><a class="kern-link" href="{{ section.more.url }}">{{ section.more.label }}</a></div>{% endif %}\n'  # noqa: E501
    "      </div>\n"
    "    </section>\n"
    "  {% endfor %}\n"
    "</div>\n"
)


SECTIONS = [
    StartSection(
        key="schulungen",
        title="Meine nächsten Schulungen",
        items=[
            StartItem(
                title='Recht & <Praxis> "kompakt"',
                url="/schulungen/1/?a=1&b=2",
                meta="01.02.2027, 09:00 Uhr",
                badge="angefragt",
                links=(StartLink("In den Kalender (.ics)", "/schulungen/1/ics/"),),
            ),
            StartItem(title="Ohne alles", url="/schulungen/2/"),
        ],
        empty="Sie sind zu keiner kommenden Schulung angemeldet.",
        more=StartLink("Zum Schulungskatalog", "/schulungen/"),
    ),
    StartSection(key="anfragen", title="Anfragen zu bestätigen", empty="Keine Anfrage wartet.", total=1234),
    StartSection(
        key="aufgaben",
        title="Offene Aufgaben",
        items=[StartItem(title="Eine Aufgabe", url="/n/1/", meta="fällig · Mainz", badge="überfällig")],
        total=0,
    ),
]


def test_the_sections_have_the_markup_of_the_old_template_loop():
    for sections in (SECTIONS, SECTIONS[1:2], []):
        old = Template(OLD_LOOP).render(Context({"sections": sections}))

        assert start_sections(sections) == old


def test_the_sections_escape_what_they_show():
    html = start_sections(SECTIONS)

    assert "Recht &amp; &lt;Praxis&gt; &quot;kompakt&quot;" in html and "<Praxis>" not in html
    assert 'href="/schulungen/1/?a=1&amp;b=2"' in html
